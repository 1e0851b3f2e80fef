/** docs/metrics.md is generated from the catalog; this fails when someone changes one and not the other. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { allMetrics } from '../src/metrics/catalog.ts';
import { METRICS_DOC, metricsMarkdown } from '../src/metrics/docs.ts';

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
