/**
 * docs/metrics.md is generated from the catalog; this fails when someone changes one and not the other.
 * And every command and flag that --help shows is documented in the README or docs/.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { allMetrics } from '../src/metrics/catalog.ts';
import { METRICS_DOC, metricsMarkdown } from '../src/metrics/docs.ts';
import { PROJECT_ROOT } from '../src/runtime/runner/journeys.ts';

describe('docs/metrics.md', () => {
  it('is what `npm run docs:metrics` generates from the catalog', () => {
    assert.equal(readFileSync(METRICS_DOC, 'utf8'), metricsMarkdown(), 'docs/metrics.md is stale: run `npm run docs:metrics` and commit it');
  });
  it('names every metric of the catalog, and the README table names them too', () => {
    const doc = readFileSync(METRICS_DOC, 'utf8');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const m of allMetrics()) {
      assert.ok(doc.includes(`\`${m.name}\``), `${m.name} in docs/metrics.md`);
      assert.ok(readme.includes(`\`${m.name}\``), `${m.name} in README.md`);
    }
  });
});

describe('every command and flag is documented', () => {
  const BIN = join(PROJECT_ROOT, 'bin', 'perfpulse-journeys.js');
  const help = (path: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...path, '--help'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  const docs = [join(PROJECT_ROOT, 'README.md'), ...readdirSync(join(PROJECT_ROOT, 'docs')).map((f) => join(PROJECT_ROOT, 'docs', f))]
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');

  it('each command of the --help tree, and each of its flags, is in the README or docs/', () => {
    const queue: string[][] = [[]];
    const missing: string[] = [];
    let flags = 0;
    while (queue.length) {
      const path = queue.shift() as string[];
      const text = help(path);
      if (path.length && !docs.includes(`perfpulse-journeys ${path.join(' ')}`) && !(path[0] === 'run' && docs.includes('perfpulse-journeys [run]'))) missing.push(`command ${path.join(' ')}`);
      const options = /\nOptions:\n([\s\S]*?)(\n\n|$)/.exec(text)?.[1] ?? '';
      for (const m of options.matchAll(/^ {2}(?:-\w, )?(--[a-z][\w-]*)/gm)) {
        if (['--help', '--version'].includes(m[1] as string)) continue;
        flags++;
        if (!new RegExp(`[\\s\`(|]${m[1]}(?![\\w-])`).test(docs)) missing.push(`${['perfpulse-journeys', ...path].join(' ')} ${m[1]}`);
      }
      const commands = /\nCommands:\n([\s\S]*?)(\n\n|$)/.exec(text)?.[1] ?? '';
      for (const line of commands.split('\n')) {
        const sub = /^ {2}([a-z][\w-]*)/.exec(line)?.[1];
        if (sub && sub !== 'help') queue.push([...path, sub]);
      }
    }
    assert.ok(flags > 40, `${flags} flags read`);
    assert.deepEqual(missing, []);
  });
});
