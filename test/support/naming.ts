/**
 * The seed's metric naming guide as assertions on exposition text (until `metrics lint` from
 * issue 6 is merged): snake_case, a perfpulse_<area>_ prefix, base units in the name, `_total`
 * only on counters, every name in the catalog, and low-cardinality labels only (no URLs, ids,
 * error texts).
 */
import assert from 'node:assert/strict';
import { allMetrics } from '../../src/metrics/catalog.ts';
import { parseExposition } from '../../src/metrics/parse.ts';

const ALLOWED_LABELS = new Set(['env', 'journey', 'step', 'cluster', 'namespace', 'kind', 'result', 'service', 'probe', 'phase', 'job', 'instance', 'le']);

export function assertNamingGuide(text: string): void {
  const catalog = new Map(allMetrics().map((m) => [m.name, m]));
  const families = parseExposition(text);
  assert.ok(families.length > 0, 'some metrics');
  for (const f of families) {
    assert.match(f.name, /^perfpulse_[a-z0-9]+_[a-z0-9_]+$/, `${f.name}: snake_case with a perfpulse_<area>_ prefix`);
    const def = catalog.get(f.name);
    assert.ok(def, `${f.name} is in the metric catalog`);
    assert.equal(f.type, def.type, `${f.name}: type as catalogued`);
    assert.equal(f.name.endsWith('_total'), f.type === 'counter', `${f.name}: _total only on counters`);
    if (/duration|latency|connect|age|timestamp/.test(f.name)) assert.ok(f.name.endsWith('_seconds'), `${f.name}: base unit in the name`);
    assert.ok((f.help ?? '').length > 20, `${f.name}: help says what it measures`);
    for (const s of f.samples) {
      for (const [k, v] of Object.entries(s.labels)) {
        assert.ok(ALLOWED_LABELS.has(k), `${f.name}: label ${k} is one of the low-cardinality set`);
        if (k === 'le' || k === 'instance') continue;
        assert.doesNotMatch(v, /:\/\/|\/|\s|@/, `${f.name}: label ${k}="${v}" is no URL, path, user or text`);
        assert.ok(v.length <= 63, `${f.name}: label ${k} value is short`);
      }
      if (s.name === f.name) for (const l of def.labels) assert.ok(l in s.labels, `${f.name}: has label ${l}`);
    }
  }
}
