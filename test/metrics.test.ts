import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { METRICS, allMetrics, type MetricDef } from '../src/metrics/catalog.ts';
import { expositionFor } from '../src/metrics/exposition.ts';
import { ExpositionError, parseExposition, samplesOf } from '../src/metrics/parse.ts';
import type { JourneyResult } from '../src/results/results.ts';

const passed: JourneyResult = {
  journey: 'login',
  status: 'passed',
  startedAtMs: 1_700_000_000_000,
  durationMs: 900,
  steps: [
    { name: 'open_login_page', durationMs: 400, startedAtMs: 1_700_000_000_100, ok: true },
    { name: 'submit_credentials', durationMs: 500, startedAtMs: 1_700_000_000_500, ok: true },
  ],
};

describe('metric catalog', () => {
  it('follows the seed naming guide', () => {
    for (const m of allMetrics()) {
      assert.match(m.name, /^perfpulse_(usersim|push|k8s|vosi|api|http|vos|skaha)_[a-z0-9_]+$/, `${m.name}: snake_case with a perfpulse_<area>_ prefix`);
      assert.equal(m.name.endsWith('_total'), m.type === 'counter', `${m.name}: _total only on counters`);
      if (/duration|latency|timestamp/.test(m.name)) assert.ok(m.name.endsWith('_seconds'), `${m.name}: base unit in the name`);
      assert.ok(m.help.length > 20, `${m.name}: help says what it measures`);
      // outcome, error_class, limit (warn|fail), verdict, vital: small fixed sets (src/results), never free text
      const labels = ['env', 'journey', 'step', 'page', 'cluster', 'namespace', 'kind', 'service', 'probe', 'result', 'statistic', 'phase', 'role', 'http_version', 'outcome', 'error_class', 'limit', 'verdict', 'vital'];
      // an _info gauge also names versions (one series per build)
      const allowed = m.name.endsWith('_info') ? [...labels, 'version', 'playwright', 'chromium'] : labels;
      for (const l of m.labels) assert.ok(allowed.includes(l), `${m.name}: low-cardinality label ${l}`);
      if (m.name.startsWith('perfpulse_usersim_') && m.name.endsWith('_seconds') && !m.name.endsWith('_timestamp_seconds')) {
        assert.match(m.help, /wall|browser/i, `${m.name}: help says wall time or browser time`);
        assert.ok(m.clock, `${m.name}: catalog says which clock`);
      }
    }
    assert.equal(new Set(allMetrics().map((m) => m.name)).size, allMetrics().length, 'names are unique');
  });
});

describe('exposition', () => {
  it('turns a passed journey into gauges in seconds with env, journey and step labels', async () => {
    const fams = parseExposition(await expositionFor('prod', [passed]));
    const steps = samplesOf(fams, METRICS.stepDuration.name);
    assert.deepEqual(
      steps.map((s) => [s.labels, s.value]),
      [
        [{ env: 'prod', journey: 'login', step: 'open_login_page' }, 0.4],
        [{ env: 'prod', journey: 'login', step: 'submit_credentials' }, 0.5],
      ],
    );
    assert.equal(fams.find((f) => f.name === METRICS.stepDuration.name)?.type, 'gauge');
    assert.deepEqual(samplesOf(fams, METRICS.journeySuccess.name).map((s) => s.value), [1]);
    assert.deepEqual(samplesOf(fams, METRICS.journeyDuration.name).map((s) => s.value), [0.9]);
    assert.deepEqual(samplesOf(fams, METRICS.journeyRunTimestamp.name).map((s) => s.value), [1_700_000_000]);
    assert.deepEqual(samplesOf(fams, METRICS.stepFailed.name).map((s) => s.value), [0, 0]);
  });

  it('marks the failed step and leaves out what was not measured', async () => {
    const failed: JourneyResult = {
      journey: 'login',
      status: 'failed',
      startedAtMs: 1_700_000_000_000,
      steps: [{ name: 'open_login_page', durationMs: 30_000, startedAtMs: 1_700_000_000_000, ok: false, error: 'page.goto: net::ERR_CONNECTION_REFUSED at http://portal.example.org/en/' }],
    };
    const fams = parseExposition(await expositionFor('prod', [failed]));
    assert.deepEqual(samplesOf(fams, METRICS.journeySuccess.name).map((s) => s.value), [0]);
    assert.deepEqual(samplesOf(fams, METRICS.stepFailed.name).map((s) => s.value), [1]);
    assert.equal(samplesOf(fams, METRICS.journeyDuration.name).length, 0, 'no duration without a measured span');
    const text = JSON.stringify(fams);
    assert.ok(!text.includes('ERR_CONNECTION_REFUSED') && !text.includes('portal.example.org'), 'error text never becomes a label');
  });
});

describe('exposition parser', () => {
  it('reads labels with escapes and rejects malformed text', () => {
    const fams = parseExposition('# HELP a_seconds x\n# TYPE a_seconds gauge\na_seconds{l="q\\"uote",m="n"} 1.5\n');
    assert.deepEqual(samplesOf(fams, 'a_seconds')[0], { name: 'a_seconds', labels: { l: 'q"uote', m: 'n' }, value: 1.5 });
    for (const bad of ['a{l=1} 2', 'a 1 2 3', '# TYPE a gauge\n# TYPE a gauge', '9a 1', 'a{l="x",l="y"} 1']) {
      assert.throws(() => parseExposition(bad), ExpositionError, bad);
    }
  });
});
