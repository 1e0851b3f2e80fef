/**
 * The search and download journeys on what the real Advanced Search page does (opencadc/caom2ui@1214fb8,
 * as the replica models it: test/replica-search.test.ts): the real CLI, Debian's Chromium, the replica.
 * Each behaviour here made the journeys fail before they followed the real page:
 * - the Target input sits in a collapsed <details> (the old fill_form timed out typing into it);
 * - `span.grid-header-label` is there twice, results and Error grids (the old locator was a strict-mode violation);
 * - while rows stream in the header already says "Showing 0 rows" (the old journey would have read 0);
 * - the grid sorts by Start Date and draws only the rows in view, so `input._select_vov_1` may not exist;
 * - the Download Manager's buttons are labelled "TAR file", "URL list in a file";
 * - a collection the data train does not offer: the search fails at once naming what is offered, and the
 *   auto-submitted results page raises an alert, which fails open_results at once with its text.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { METRICS } from '../src/metrics/catalog.ts';
import type { Report } from '../src/report/report.ts';
import { parseExposition, samplesOf, type Family } from '../src/metrics/parse.ts';
import { generateObservations } from '../src/replica/data.ts';
import { faultTable } from '../src/replica/faults.ts';
import { startReplica, type Replica } from '../src/replica/server.ts';
import { runCli, tmpDir } from './support/helpers.ts';

function profile(origin: string, name: string, journeysYaml: string): string {
  const file = join(tmpDir(), `${name}.yaml`);
  const roles = ['www', 'canfar', 'ws_cadc', 'ws', 'ws_uv'];
  writeFileSync(file, `name: ${name}\nurls:\n${roles.map((r) => `  ${r}: ${origin}`).join('\n')}\n${journeysYaml}`);
  return file;
}

const value = (fams: Family[], metric: string, journey: string, step?: string) =>
  samplesOf(fams, metric).find((s) => s.labels.journey === journey && (step === undefined || s.labels.step === step))?.value;

describe('search and download journeys on the real page\'s behaviour (replica, real Chromium)', () => {
  let replica: Replica;
  before(async () => {
    // The results stream at 16 KiB/s: the header says "Showing 0 rows" for a while before the count.
    replica = await startReplica({ faults: faultTable(['GET /argus/sync/{id}/run=slowbody:16384']) });
  });
  after(() => replica.stop());

  it('collapsed Target section, two grid headers, streaming count, unsorted rows: both journeys pass and the full count is read', async () => {
    const r = await runCli(['--env', profile(replica.origin, 'realpage', ''), '--journeys', 'search,download', '--dry-run'], {}, 180_000);
    assert.equal(r.code, 0, `${r.stdout.slice(-1500)}\n${r.stderr}`);
    const fams = parseExposition(r.stdout);
    for (const journey of ['search', 'download']) assert.equal(value(fams, METRICS.journeySuccess.name, journey), 1, journey);
    for (const step of ['open_search_page', 'fill_form', 'submit_search']) assert.equal(value(fams, METRICS.stepFailed.name, 'search', step), 0, step);
    for (const step of ['open_results', 'open_download_manager']) assert.equal(value(fams, METRICS.stepFailed.name, 'download', step), 0, step);
    const expected = generateObservations().filter((o) => o.targetName === 'M101' && o.collection === 'CFHT').length;
    assert.ok(expected > 0);
    assert.equal(value(fams, METRICS.searchResultRows.name, 'search'), expected, 'every row, not the "Showing 0 rows" shown while they stream');
  });

  it('a collection the data train does not offer: fill_form fails at once listing the offered ones; open_results fails at once on the page\'s alert', async () => {
    const yaml = 'journeys:\n  search:\n    target: ""\n    collection: NOPE\n    timeout_seconds: 60\n';
    const r = await runCli(['--env', profile(replica.origin, 'nope', yaml), '--journeys', 'search,download', '--dry-run'], {}, 180_000);
    assert.equal(r.code, 1, r.stderr);
    const fams = parseExposition(r.stdout);
    assert.equal(value(fams, METRICS.stepFailed.name, 'search', 'fill_form'), 1);
    assert.equal(value(fams, METRICS.stepFailed.name, 'download', 'open_results'), 1);
    const collections = [...new Set(generateObservations().map((o) => o.collection))].sort();
    const out = `${r.stdout}\n${r.stderr}`;
    assert.ok(out.includes(`Collection NOPE is not offered; the Collection list has: ${collections.join(', ')}`), out.slice(-2000));
    assert.ok(out.includes('the search page said: Incompatible query parameter: Observation.collection > NOPE'), out.slice(-2000));
    for (const [journey, step] of [['search', 'fill_form'], ['download', 'open_results']] as const) {
      const seconds = value(fams, METRICS.stepDuration.name, journey, step) ?? NaN;
      assert.ok(seconds < 30, `${journey}/${step} failed after ${seconds} s, not at the 60 s deadline`);
    }
  });
});

describe('a hung search page: the failure names what hung, and the journey ends with the step', () => {
  /** The search journey alone on a replica with `fault`, journeys.search.timeout_seconds 5 (so its test timeout is 90 s). */
  async function hung(name: string, fault: string) {
    const replica = await startReplica({ faults: faultTable([fault]) });
    try {
      const yaml = 'journeys:\n  search:\n    timeout_seconds: 5\n';
      const reportDir = join(tmpDir(), `${name}-report`);
      const r = await runCli(['--env', profile(replica.origin, name, yaml), '--journeys', 'search', '--dry-run', '--report', reportDir], {}, 240_000);
      const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as Report;
      return { ...r, report, port: replica.origin, fams: r.code === 1 ? parseExposition(r.stdout) : [] };
    } finally {
      await replica.stop();
    }
  }

  it('GET /en/search/ never answers: open_search_page fails on its 30 s page load, and that is the journey\'s failure, not its 90 s timeout', async () => {
    const r = await hung('hungpage', 'GET /en/search/=hang');
    assert.equal(r.code, 1, r.stderr);
    assert.equal(value(r.fams, METRICS.stepFailed.name, 'search', 'open_search_page'), 1);
    const line = `search › open_search_page: page loaded (${r.port}/en/search/): not loaded, waited 30 s`;
    const lines = r.stderr.split('\n').filter((l) => l.includes('search › open_search_page:'));
    assert.ok(lines.length > 0, r.stderr);
    // a teardown waiting on the pending navigation would run into the journey's timeout: "; the journey's 90 s timeout ran out"
    for (const l of lines) assert.ok(l.trimEnd().endsWith(line), `${l}\n---\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /timeout ran out/);
    // Without the fix the teardown (failure screenshot, the collectors' last page.evaluate) waited on the pending
    // navigation until Playwright's timeout for it: the run went on for 90 s more after the step failed.
    const journey = r.report.journeys[0];
    assert.ok(journey);
    const SEARCH_TEST_TIMEOUT_MS = 90_000; // max(playwright.config.ts timeout 90 s, 3 × 5 s + 30 s)
    assert.ok(r.report.finishedAtMs - journey.startedAtMs < SEARCH_TEST_TIMEOUT_MS, `the run ended ${r.report.finishedAtMs - journey.startedAtMs} ms after the journey started`);
  });

  it('POST /search/find never answers: submit_search\'s line names the step and /search/find, and how long it waited', async () => {
    const r = await hung('hungfind', 'POST /search/find=hang');
    assert.equal(r.code, 1, r.stderr);
    assert.equal(value(r.fams, METRICS.stepFailed.name, 'search', 'submit_search'), 1);
    const line = 'search › submit_search: a response ("**/search/find"): none, waited 5 s';
    const lines = r.stderr.split('\n').filter((l) => l.includes('search › submit_search:'));
    assert.ok(lines.length > 0, r.stderr);
    for (const l of lines) assert.ok(l.trimEnd().endsWith(line), `${l}\n---\n${r.stderr}`);
  });
});
