/**
 * The golden test: what the CLI prints for --dry-run and what it pushes (every group: the journeys'
 * run groups, their last-success groups, the delivery health) stay byte-identical, on the results
 * recorded from real runs (test/fixtures/golden/README.md says how they were recorded). The code
 * under them may be rearranged; these bytes may not change unless a metric is meant to.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { healthBody, journeyBodies } from '../src/metrics/bodies.ts';
import { USERSIM_JOB } from '../src/metrics/catalog.ts';
import { runExposition } from '../src/metrics/exposition.ts';
import { groupUrl } from '../src/push/pushgateway.ts';
import { Spool } from '../src/push/spool.ts';
import type { RunResults } from '../src/results/results.ts';
import { measuredRun } from '../src/results/run.ts';
import { tmpDir } from './support/helpers.ts';

const GOLDEN = join(import.meta.dirname, 'fixtures', 'golden');
const SCENARIOS = readdirSync(GOLDEN, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

interface Push {
  method: string;
  /** The group's path on the gateway, e.g. /metrics/job/perfpulse_usersim/env/local/journey/login. */
  path: string;
  body: string;
}

const read = (scenario: string, file: string) => readFileSync(join(GOLDEN, scenario, file), 'utf8');
const resultsOf = (scenario: string) => JSON.parse(read(scenario, 'results.json')) as RunResults;

/** What a run pushes, in order: per journey its run group (and last-success group), then the env's delivery health. */
async function pushesOf(results: RunResults, spool: Spool): Promise<Push[]> {
  const items = [...(await journeyBodies(measuredRun(results))).flatMap((j) => j.items), await healthBody(results.env, spool.health(results.env))];
  return items.map((i) => ({ method: i.method, path: new URL(groupUrl('http://gateway', i.job, i.grouping)).pathname, body: i.body }));
}

/** What `--dry-run` prints on stdout for these results (src/cli/run.ts). */
async function dryRunOf(results: RunResults): Promise<string> {
  return runExposition(measuredRun(results));
}

const lines = (text: string) => new Set(text.split('\n'));

describe('golden: --dry-run text and pushed bodies on recorded results', () => {
  it('covers what the results model tells apart', () => {
    const all = SCENARIOS.map(resultsOf);
    const runs = all.flatMap((r) => r.journeys);
    for (const status of ['passed', 'failed', 'skipped', 'interrupted'] as const) {
      assert.ok(runs.some((j) => j.status === status), `a recorded journey ${status}`);
    }
    assert.ok(runs.some((j) => j.status === 'passed' && (j.attempts ?? 1) > 1), 'a flaky journey (passed on a retry)');
    assert.ok(all.some((r) => (r.users ?? 1) > 1 && r.journeys.some((j) => j.status !== 'passed') && r.journeys.some((j) => j.status === 'passed')), 'a --users run where one user failed');
    assert.ok(all.some((r) => r.conditions && Object.keys(r.conditions).length), 'a run under an emulated condition (its own grouping label)');
    assert.ok(runs.some((j) => j.measures && Object.keys(j.measures).length), 'journey-recorded values');
    assert.ok(all.some((r) => new Set(r.journeys.map((j) => j.journey)).size > 1), 'a run of several journeys');
  });

  for (const scenario of SCENARIOS) {
    it(`${scenario}: the --dry-run text is byte-identical`, async () => {
      assert.equal(await dryRunOf(resultsOf(scenario)), read(scenario, 'dry-run.prom'));
    });

    it(`${scenario}: every pushed group and body is byte-identical`, async () => {
      const expected = JSON.parse(read(scenario, 'pushes.json')) as Push[];
      assert.deepEqual(await pushesOf(resultsOf(scenario), new Spool(tmpDir('perfpulse-golden-spool-'))), expected);
    });

    it(`${scenario}: --dry-run prints what the journeys' run groups were pushed`, async () => {
      const dry = await dryRunOf(resultsOf(scenario));
      const runGroups = (JSON.parse(read(scenario, 'pushes.json')) as Push[]).filter((p) => p.path.startsWith(`/metrics/job/${USERSIM_JOB}/`)).map((p) => p.body);
      assert.ok(runGroups.length, 'the run pushed at least one journey');
      if (runGroups.length === 1) {
        assert.equal(dry, runGroups[0], 'one journey: the dry-run text is its body, byte for byte');
      } else {
        // several journeys: one exposition of them all (each HELP/TYPE once), holding every line of every body and no other
        assert.deepEqual(lines(dry), new Set(runGroups.flatMap((b) => [...lines(b)])));
      }
    });
  }

  it('the delivery health body, with spooled pushes and counted failures, drops and losses, is byte-identical', async () => {
    const spool = new Spool(tmpDir('perfpulse-golden-spool-'));
    const item = (env: string, t: number) => ({ job: 'perfpulse_usersim', grouping: { env, journey: 'login' }, method: 'PUT' as const, body: '', runTimestampMs: t });
    spool.write(item('local', 1_700_000_000_000), 'gateway down', 1_700_000_000_000);
    spool.write(item('local', 1_700_000_060_000), 'gateway down', 1_700_000_060_000);
    spool.write(item('prod', 1_700_000_000_000), 'gateway down', 1_700_000_000_000);
    spool.count('failures', ['local', 'local', 'local', 'prod']);
    spool.count('dropped', ['local']);
    spool.count('lost', ['local', 'local']);
    assert.equal((await healthBody('local', spool.health('local'))).body, readFileSync(join(GOLDEN, 'health-spooled.prom'), 'utf8'));
  });
});
