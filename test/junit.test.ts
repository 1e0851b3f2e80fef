/**
 * `--junit <file>` (src/report/junit.ts): valid against test/fixtures/junit.xsd (written from the
 * commonly used Jenkins JUnit schema) by xmllint, a real XSD validator, and holding every journey
 * as a testsuite and every declared step as a testcase: a failed step's failure carries its error
 * class and its failure line, the steps after it are skipped as not reached. First from a real run
 * of the CLI on the replica, then from the recorded golden results (skipped, interrupted, several
 * users) and from a failure outside every step with characters XML must escape.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { junitXml } from '../src/report/junit.ts';
import type { RunResults } from '../src/results/results.ts';
import { PROJECT_ROOT } from '../src/runtime/runner/journeys.ts';
import { journeySteps } from '../src/runtime/runner/declarations.ts';
import { runCli, tmpDir } from './support/helpers.ts';

const XSD = join(PROJECT_ROOT, 'test', 'fixtures', 'junit.xsd');
const GOLDEN = join(PROJECT_ROOT, 'test', 'fixtures', 'golden');

/** xmllint's verdict on a file against the schema: its exit code and what it said. */
function validate(file: string): { ok: boolean; output: string } {
  const r = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
  assert.notEqual(r.error?.message.includes('ENOENT'), true, 'xmllint is installed (Debian libxml2-utils, npm run setup)');
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

const xpath = (file: string, expr: string) => spawnSync('xmllint', ['--xpath', expr, file], { encoding: 'utf8' }).stdout.trim();

function writeXml(xml: string): string {
  const file = join(tmpDir('perfpulse-junit-'), 'junit.xml');
  writeFileSync(file, xml);
  return file;
}

describe('--junit from a real run on the replica', () => {
  it('validates against the schema and lists every journey and every declared step, the failure with its class', async () => {
    const file = join(tmpDir('perfpulse-junit-run-'), 'out', 'junit.xml');
    const r = await runCli(['--env', 'local', '--journeys', 'login,search', '--replica-fault', 'POST /search/find=status:500', '--only', 'journeys', '--dry-run', '--junit', file], {}, 240_000);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`^junit: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    const v = validate(file);
    assert.ok(v.ok, v.output);
    assert.equal(xpath(file, 'count(/testsuites/testsuite)'), '2');
    for (const journey of ['login', 'search']) {
      const declared = (await journeySteps(journey)).filter((s) => !s.optionalOn).map((s) => s.name);
      const names = xpath(file, `/testsuites/testsuite[@name="${journey}"]/testcase/@name`)
        .split('\n')
        .map((l) => /name="(.*)"/.exec(l)?.[1]);
      assert.deepEqual(names, declared, `${journey}: a testcase per declared step`);
      assert.equal(xpath(file, `string(/testsuites/testsuite[@name="${journey}"]/@tests)`), String(declared.length));
    }
    // search › submit_search failed with http_5xx; its message is the failure line of the table
    const failure = `/testsuites/testsuite[@name="search"]/testcase[@name="submit_search"]/failure`;
    assert.equal(xpath(file, `string(${failure}/@type)`), 'http_5xx');
    assert.equal(xpath(file, `string(${failure}/@message)`), 'search › submit_search: search failed: /search/find answered 500');
    assert.ok(r.stderr.includes('search › submit_search: search failed: /search/find answered 500'));
    assert.match(xpath(file, `string(${failure})`), /^Error: search failed: \/search\/find answered 500/);
    assert.equal(xpath(file, 'string(/testsuites/testsuite[@name="search"]/properties/property[@name="error_class"]/@value)'), 'http_5xx');
    assert.equal(xpath(file, 'string(/testsuites/@failures)'), '1');
    assert.equal(xpath(file, 'count(//testsuite[@name="login"]//failure)'), '0');
    // every passed step has its wall time
    for (const t of xpath(file, '//testsuite[@name="login"]/testcase/@time').split('\n')) assert.ok(Number(/time="(.*)"/.exec(t)?.[1]) > 0, t);
  });
});

describe('--junit from recorded results', () => {
  const results = (scenario: string) => JSON.parse(readFileSync(join(GOLDEN, scenario, 'results.json'), 'utf8')) as RunResults;
  const scenarios = readdirSync(GOLDEN, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

  it('every golden scenario (passed, failed, flaky, skipped, interrupted, two users) gives a valid file', () => {
    for (const scenario of scenarios) {
      const file = writeXml(junitXml(results(scenario)));
      const v = validate(file);
      assert.ok(v.ok, `${scenario}: ${v.output}`);
    }
    // the skipped journey's steps are skipped testcases (once its declaration is known); two users are two suites
    const skipped = results('skipped');
    for (const j of skipped.journeys) if (j.status === 'skipped') j.declaredSteps = ['open_login_page', 'submit_credentials'];
    const file = writeXml(junitXml(skipped));
    assert.ok(validate(file).ok);
    assert.equal(xpath(file, 'count(//testsuite[@name="login"]/testcase/skipped)'), '2');
    assert.match(xpath(file, 'string(//testsuite[@name="login"]/testcase[1]/skipped/@message)'), /^not run: .*no credentials: set PERFPULSE_USERNAME/);
    const users = writeXml(junitXml(results('users2')));
    assert.equal(xpath(users, 'count(//testsuite[starts-with(@name, "search user ")])'), '2');
    assert.equal(xpath(users, 'string(//testsuite[@name="search user 2"]//failure/@type)') || xpath(users, 'string(//testsuite[@name="search user 1"]//failure/@type)'), 'http_5xx');
  });

  it('a failure outside every step is a (journey) testcase; XML characters are escaped and control characters dropped', () => {
    const run: RunResults = {
      env: 'local',
      startedAtMs: 1_800_000_000_000,
      finishedAtMs: 1_800_000_005_000,
      status: 'failed',
      journeys: [
        {
          journey: 'storage',
          status: 'failed',
          startedAtMs: 1_800_000_000_000,
          steps: [],
          declaredSteps: ['open_storage_ui'],
          error: 'storage: login for the other journeys refused (401) & <"odd"> \u0007',
          rawError: 'Error: login for the other journeys refused (401)\n  at <fixture> & "storageState"',
        },
      ],
    };
    const file = writeXml(junitXml(run));
    const v = validate(file);
    assert.ok(v.ok, v.output);
    assert.equal(xpath(file, 'string(//testcase[@name="(journey)"]/failure/@type)'), 'auth');
    assert.equal(xpath(file, 'string(//testcase[@name="(journey)"]/failure/@message)'), 'storage: login for the other journeys refused (401) & <"odd">'); // the BEL is gone (xpath output trimmed)
    assert.equal(xpath(file, 'count(//testcase[@name="open_storage_ui"]/skipped)'), '1');
    assert.ok(!readFileSync(file, 'utf8').includes('\u0007'), 'no control character in the file');
  });

  it('the schema is strict: a testcase without a name, an unknown attribute or a negative time is refused', () => {
    const good = junitXml(results('failed'));
    const accepted = validate(writeXml(good));
    assert.ok(accepted.ok, `the unchanged file is valid: ${accepted.output}`);
    for (const [what, bad] of [
      ['no name', good.replace(/<testcase name="[^"]*" /, '<testcase ')],
      ['unknown attribute', good.replace('<testsuite name=', '<testsuite colour="red" name=')],
      ['negative time', good.replace(/ time="[\d.]+"\/>/, ' time="-1"/>')],
      ['an element it does not know', good.replace('</testsuites>', '<extra/></testsuites>')],
    ] as const) {
      assert.notEqual(bad, good, what);
      assert.equal(validate(writeXml(bad)).ok, false, `${what} is refused`);
    }
  });
});
