/**
 * Numeric flags (src/cli/flags.ts FLAG_RANGES): every one has a range, `--help` and the README show
 * it, and a value outside it is one line and exit 2 before anything starts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { FLAG_RANGES, numberFlag, rangeText, type NumericFlag } from '../src/cli/flags.ts';
import { UserError } from '../src/errors.ts';
import { runCli } from './support/helpers.ts';

/** Every command whose --help is read. */
const COMMANDS: string[][] = [['run'], ['push'], ['probe', 'http'], ['probe', 'k8s'], ['check'], ['record'], ['metrics', 'lint'], ['envs'], ['journeys']];

/** Each option of a --help text with its description on one line: flag → description. */
function optionsOf(help: string): Map<string, { placeholder: string; text: string }> {
  const out = new Map<string, { placeholder: string; text: string }>();
  let current: { placeholder: string; text: string } | undefined;
  // from "Options:" to the first empty line after it
  for (const line of help.slice(help.indexOf('Options:')).split('\n').slice(1)) {
    if (!line.trim()) break;
    const m = /^\s{2}(?:-\w, )?(--[a-z-]+)(?: (<[^>]+>|\[[^\]]+\]))?\s{2,}(.*)$/.exec(line);
    if (m) {
      current = { placeholder: m[2] ?? '', text: m[3] as string };
      out.set(m[1] as string, current);
    } else if (current) current.text += ` ${line.trim()}`;
  }
  return out;
}

describe('numeric flags: one range each, documented, enforced', () => {
  it('numberFlag: in range passes, anything else is one line naming the range', () => {
    assert.equal(numberFlag('--count', '-1'), -1);
    assert.equal(numberFlag('--count', '3'), 3);
    assert.equal(numberFlag('--sleep', '1.5'), 1.5);
    assert.equal(numberFlag('--spool-max-age', '0.5'), 0.5);
    const bad: Array<[NumericFlag, string]> = [
      ['--count', '0'], ['--count', '-2'], ['--count', '1.5'], ['--count', '1e3'], ['--count', ''], ['--count', 'two'],
      ['--sleep', '-1'], ['--sleep', '86401'], ['--sleep', '0x10'], ['--sleep', 'Infinity'], ['--sleep', ' '],
      ['--timeout', '0'], ['--timeout', '601'], ['--concurrency', '0'], ['--concurrency', '9'],
      ['--retries', '-1'], ['--retries', '6'], ['--users', '0'], ['--users', '33'], ['--shard-count', '0'],
      ['--spool-max-age', '0'], ['--spool-max-age', '-1'], ['--spool-max-age', '8761'], ['--spool-max-entries', '0'], ['--spool-max-entries', '2.5'],
    ];
    for (const [flag, value] of bad) {
      assert.throws(() => numberFlag(flag, value), (e: Error) => {
        assert.ok(e instanceof UserError);
        assert.equal(e.exitCode, 2);
        assert.ok(e.message.startsWith(`${flag} must be `), e.message);
        assert.ok(e.message.endsWith(`(got ${JSON.stringify(value)})`), e.message);
        assert.ok(!e.message.includes('\n'));
        return true;
      }, `${flag} ${JSON.stringify(value)}`);
    }
  });

  it('every numeric flag of every command has a range, and --help shows it', async () => {
    const seen = new Set<string>();
    for (const args of COMMANDS) {
      const r = await runCli([...args, '--help']);
      assert.equal(r.code, 0, r.stderr);
      for (const [flag, { placeholder, text }] of optionsOf(r.stdout)) {
        if (!/^<(n|seconds|hours)>$/.test(placeholder)) continue;
        assert.ok(flag in FLAG_RANGES, `${args.join(' ')} ${flag} ${placeholder} has a range in FLAG_RANGES`);
        assert.ok(text.replace(/\s+/g, ' ').includes(`[${rangeText(flag as NumericFlag)}]`), `${args.join(' ')} --help shows the range of ${flag}: ${text}`);
        seen.add(flag);
      }
    }
    assert.deepEqual([...seen].sort(), Object.keys(FLAG_RANGES).sort(), 'every range belongs to a flag some command takes');
  });

  it("the README's table lists every range", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const flag of Object.keys(FLAG_RANGES) as NumericFlag[]) {
      assert.ok(readme.includes(`| \`${flag}\` | ${rangeText(flag)} |`), `README row for ${flag}: | \`${flag}\` | ${rangeText(flag)} |`);
    }
  });

  // a value out of range stops the command before it reads a profile, starts a replica or a browser
  const outOfRange: Array<[string[], RegExp]> = [
    [['--env', 'local', '--spool-max-age', '-1'], /^perfpulse-journeys: --spool-max-age must be a number of hours above 0 and at most 8760 \(got "-1"\)\n$/],
    [['--env', 'local', '--dry-run', '--spool-max-entries', '0'], /^perfpulse-journeys: --spool-max-entries must be a whole number from 1 to 100000 \(got "0"\)\n$/],
    [['push', '--replay', '--spool-max-age', 'week'], /--spool-max-age must be a number of hours/],
    [['probe', 'http', '--env', 'local', '--timeout', '0'], /--timeout must be a number of seconds from 0\.1 to 600 \(got "0"\)/],
    [['probe', 'k8s', '--concurrency', '0', '--dry-run'], /--concurrency must be a whole number from 1 to 8 \(got "0"\)/],
    [['--env', 'nope', '--count', '0'], /^perfpulse-journeys: --count must be -1 \(until SIGINT\/SIGTERM\) or a whole number from 1 to 1000000 \(got "0"\)\n$/],
  ];
  for (const [args, line] of outOfRange) {
    it(`${args.join(' ')}: exit 2, one line`, async () => {
      const r = await runCli(args);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, line);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.equal(r.stdout, '');
    });
  }
});
