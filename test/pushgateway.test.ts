/** Pushing to a real prometheus-pushgateway (persistence off, free port). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { journeyBodies } from '../src/metrics/bodies.ts';
import { METRICS, USERSIM_JOB } from '../src/metrics/catalog.ts';
import { samplesOf } from '../src/metrics/parse.ts';
import { deliverRun } from '../src/push/deliver.ts';
import { groupUrl, pushGroup, redactUrl } from '../src/push/pushgateway.ts';
import { freePort } from '../src/net.ts';
import type { RunResults } from '../src/results/results.ts';
import { measuredRun } from '../src/results/run.ts';
import { gatewayFamilies } from './support/helpers.ts';
import { suiteGateway } from './support/gateway.ts';

const run = (steps: string[], env = 'lab'): RunResults => ({
  env,
  startedAtMs: 1_700_000_000_000,
  finishedAtMs: 1_700_000_001_000,
  status: 'passed',
  journeys: [
    {
      journey: 'login',
      status: 'passed',
      startedAtMs: 1_700_000_000_000,
      durationMs: 100 * steps.length,
      steps: steps.map((name, i) => ({ name, durationMs: 100, startedAtMs: 1_700_000_000_000 + i * 100, ok: true })),
    },
  ],
});

describe('pushgateway', () => {
  const gw = suiteGateway();

  it('PUTs each journey to its own {job, env, journey} group and PUT replaces the group', async () => {
    const first = await deliverRun(await journeyBodies(measuredRun(run(['a_step', 'old_step']))), gw.url);
    assert.deepEqual(first.map((d) => d.ok), [true]);
    let steps = samplesOf(await gatewayFamilies(gw.url), METRICS.stepDuration.name);
    assert.deepEqual(steps.map((s) => s.labels.step).sort(), ['a_step', 'old_step']);
    assert.deepEqual(steps[0]?.labels, { env: 'lab', instance: '', job: USERSIM_JOB, journey: 'login', step: steps[0]?.labels.step });

    await deliverRun(await journeyBodies(measuredRun(run(['a_step']))), gw.url);
    steps = samplesOf(await gatewayFamilies(gw.url), METRICS.stepDuration.name);
    assert.deepEqual(steps.map((s) => s.labels.step), ['a_step'], 'a removed step vanishes with the next run');
  });

  it('sends grouping values with "/" or empty in the @base64 form', async () => {
    assert.equal(groupUrl('http://gw:9091/', 'j', { env: 'a/b', journey: '' }), 'http://gw:9091/metrics/job/j/env@base64/YS9i/journey@base64/=');
    const res = await pushGroup({ gateway: gw.url, job: 'perfpulse_test', grouping: { env: 'a/b' }, body: 'perfpulse_test_value 1\n' });
    assert.equal(res.ok, true, res.message);
    const sample = samplesOf(await gatewayFamilies(gw.url), 'perfpulse_test_value')[0];
    assert.equal(sample?.labels.env, 'a/b');
  });

  it('reports the gateway\'s reason for a rejected push, and a refused connection, without throwing', async () => {
    const bad = await pushGroup({ gateway: gw.url, job: 'perfpulse_test', grouping: {}, body: 'not exposition text at all {\n' });
    assert.equal(bad.ok, false);
    assert.equal(bad.status, 400);
    const port = await freePort();
    const refused = await pushGroup({ gateway: `http://127.0.0.1:${port}`, job: 'j', grouping: {}, body: 'x 1\n', deadlineMs: 2000 });
    assert.equal(refused.ok, false);
    assert.match(refused.message, /ECONNREFUSED/);
  });

  it('never prints a URL\'s user-info', () => {
    assert.equal(redactUrl('https://user:hunter2@gw.example.org:9091/'), 'https://gw.example.org:9091');
    assert.equal(groupUrl('https://user:hunter2@gw.example.org/', 'j', {}), 'https://gw.example.org/metrics/job/j');
  });
});
