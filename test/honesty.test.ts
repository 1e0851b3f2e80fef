/**
 * The honesty proof (issue 6): on the replica, with a server delay D on the first byte of the login
 * page, (1) the exported TTFB of that page is D within a stated tolerance, and (2) the wall time of
 * the step that opened it exceeds D by no more than the harness overhead the tool itself reports
 * plus the page's own browser time after its first byte (load − TTFB: parsing, its two scripts, the
 * load event). The overhead is calibrated on a page that does nothing, for which load − TTFB ≈ 0 and
 * (2) is literally "wall − D ≤ overhead"; the login page does work of its own, which is page time,
 * not harness time, so it is added, measured by the browser in the same run, never estimated.
 *
 * Both claims are relative to numbers measured in the same run, so they hold on a busy machine.
 * TTFB tolerance: the browser's TTFB counts from navigation start, so it includes connecting and
 * sending the request on loopback; it is never below D, and above D by at most TTFB_TOLERANCE_MS
 * (measured here: 20–125 ms) or, on an oversubscribed machine where the browser's own request
 * dispatch slows like everything else, by at most the harness overhead of the same run (whose
 * calibration navigations include exactly that dispatch).
 * Claim (2) compares one step with one calibration, and both are single samples of a noisy
 * quantity on a shared machine (load per CPU of 6 was seen while writing this): it is asserted on
 * the median of RUNS runs per D, so one run that a neighbour's burst hit cannot decide it. Every run
 * is printed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { METRICS } from '../src/metrics/catalog.ts';
import { parseExposition, samplesOf } from '../src/metrics/parse.ts';
import { faultTable } from '../src/replica/faults.ts';
import { startReplica } from '../src/replica/server.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { profilePointingAt, runCli } from './support/helpers.ts';

export const TTFB_TOLERANCE_MS = 150;
const RUNS = 3;

interface Run {
  ttfbMs: number;
  loadMs: number;
  wallMs: number;
  overheadMs: number;
}

async function measure(D: number): Promise<Run> {
  const replica = await startReplica({ faults: faultTable([`GET /access/login=delay:${D}`]) });
  try {
    const r = await runCli(['--env', profilePointingAt(replica.origin, 'honest'), '--dry-run', '--journeys', 'login'], {
      PERFPULSE_USERNAME: DEMO_USER.username,
      PERFPULSE_PASSWORD: DEMO_USER.password,
    });
    assert.equal(r.code, 0, r.stderr);
    const fams = parseExposition(r.stdout);
    const page = (name: string) => samplesOf(fams, name).find((s) => s.labels.step === 'open_login_page' && s.labels.page === 'access_login')?.value;
    const ttfb = page(METRICS.pageTtfb.name);
    const load = page(METRICS.pageLoad.name);
    const wall = samplesOf(fams, METRICS.stepDuration.name).find((s) => s.labels.step === 'open_login_page')?.value;
    const overhead = samplesOf(fams, METRICS.harnessOverhead.name)[0]?.value;
    assert.ok(ttfb !== undefined && load !== undefined && wall !== undefined && overhead !== undefined, r.stdout);
    return { ttfbMs: ttfb * 1000, loadMs: load * 1000, wallMs: wall * 1000, overheadMs: overhead * 1000 };
  } finally {
    await replica.stop();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

describe('honesty: injected first-byte delay D on the replica', () => {
  for (const D of [0, 200, 1000]) {
    it(`D = ${D} ms: TTFB ≈ D (0..+max(${TTFB_TOLERANCE_MS} ms, overhead)) and step wall − D ≤ reported harness overhead + page load − TTFB`, async () => {
      const runs: Run[] = [];
      for (let i = 0; i < RUNS; i++) {
        const run = await measure(D);
        runs.push(run);
        const { ttfbMs, loadMs, wallMs, overheadMs } = run;
        const note = `D=${D} ttfb=${ttfbMs.toFixed(1)} load=${loadMs.toFixed(0)} wall=${wallMs.toFixed(0)} overhead=${overheadMs.toFixed(0)} wall-D-overhead-(load-ttfb)=${(wallMs - D - overheadMs - (loadMs - ttfbMs)).toFixed(0)} (ms)`;
        process.stderr.write(`honesty: ${note}\n`);
        // (1) per run
        assert.ok(ttfbMs >= D - 1, `TTFB not below D: ${note}`); // 1 ms: timer granularity of the delay
        const tolerance = Math.max(TTFB_TOLERANCE_MS, overheadMs);
        assert.ok(ttfbMs <= D + tolerance, `TTFB within ${tolerance.toFixed(0)} ms of D: ${note}`);
        assert.ok(wallMs >= D, `the step includes the delay: ${note}`);
        assert.ok(loadMs >= ttfbMs, `load after first byte: ${note}`);
      }
      // (2) on the median of the runs: how far the step's wall time is beyond what is accounted for
      const excess = median(runs.map((r) => r.wallMs - D - r.overheadMs - (r.loadMs - r.ttfbMs)));
      assert.ok(excess <= 0, `median over ${RUNS} runs of wall − D − overhead − (load − TTFB) is ${excess.toFixed(0)} ms, must be ≤ 0`);
    });
  }
});
