/**
 * `perfpulse-journeys compare` (src/report/compare.ts) on generated samples: report.json files
 * written as --report writes them, step times drawn from a seeded generator (log-normal noise
 * around each step's median, as wall times are skewed to the right). A known 300 ms shift on one
 * step is found, by the CLI with its exit code and for every seed; with no shift there is no false
 * alarm over many seeds. The U statistic is checked against a pairwise count and the p-value
 * against the exact permutation distribution of small samples.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ExitCode } from '../src/errors.ts';
import { prng as generator } from '../src/replica/data.ts'; // mulberry32: every run of this test draws the same numbers
import { compareSamples, holm, mannWhitneyGreater, parseThreshold, type Samples } from '../src/report/compare.ts';
import { runCli, tmpDir } from './support/helpers.ts';

/** A standard normal draw (Box-Muller). */
const normal = (rand: () => number) => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

/** Step medians, ms, of two journeys. */
const STEPS: Record<string, Record<string, number>> = {
  login: { open_login_page: 400, submit_credentials: 900, see_user_menu: 300, token_login: 150 },
  search: { open_search_page: 1200, fill_form: 500, submit_search: 1000 },
};
const SIGMA = 0.15; // log-normal spread: a 1 s step mostly between 0.75 and 1.35 s
const RUNS = 30;

/** One run's times: each step's median times log-normal noise, plus `shift` ms on the steps it names. */
function drawRun(rand: () => number, shift: Record<string, number> = {}): Record<string, Record<string, number>> {
  return Object.fromEntries(
    Object.entries(STEPS).map(([journey, steps]) => [
      journey,
      Object.fromEntries(Object.entries(steps).map(([step, ms]) => [step, ms * Math.exp(SIGMA * normal(rand)) + (shift[`${journey} › ${step}`] ?? 0)])),
    ]),
  );
}

const samplesOf = (runs: ReturnType<typeof drawRun>[]): Samples => {
  const out: Samples = new Map();
  for (const run of runs) for (const [journey, steps] of Object.entries(run)) for (const [step, ms] of Object.entries(steps)) out.set(`${journey} › ${step}`, [...(out.get(`${journey} › ${step}`) ?? []), ms]);
  return out;
};

/** Writes each run as a report.json (the shape --report writes: journeys with their steps) in its own folder. */
function writeReports(dir: string, runs: ReturnType<typeof drawRun>[], failEvery = 0): void {
  runs.forEach((run, i) => {
    let t = 1_800_000_000_000 + i * 300_000;
    const journeys = Object.entries(run).map(([journey, steps]) => ({
      journey,
      status: 'passed',
      startedAtMs: t,
      outcome: 'passed',
      vitals: [],
      outcomes: [],
      steps: Object.entries(steps).map(([name, durationMs], k) => {
        const s = { name, durationMs, startedAtMs: t, ok: !(failEvery && i % failEvery === 0 && k === 0) };
        t += durationMs;
        return s;
      }),
    }));
    mkdirSync(join(dir, `run-${i + 1}`), { recursive: true });
    writeFileSync(join(dir, `run-${i + 1}`, 'report.json'), JSON.stringify({ generatedAtMs: t, env: 'prod', status: 'passed', startedAtMs: t, finishedAtMs: t, journeys }));
  });
}

const SHIFT = { 'search › submit_search': 300 };

describe('compare: the statistics', () => {
  it("U is the count of (current, baseline) pairs where current is slower, ties counting half; p is close to the exact permutation p-value", () => {
    const rand = generator(7);
    for (let trial = 0; trial < 20; trial++) {
      // small samples with ties (times rounded to 50 ms), the size where an exact enumeration is cheap
      const cur = Array.from({ length: 8 }, () => Math.round((1000 + 200 * normal(rand) + (trial % 2) * 150) / 50) * 50);
      const base = Array.from({ length: 8 }, () => Math.round((1000 + 200 * normal(rand)) / 50) * 50);
      const pairs = cur.reduce((sum, c) => sum + base.reduce((s, b) => s + (c > b ? 1 : c === b ? 0.5 : 0), 0), 0);
      const got = mannWhitneyGreater(cur, base);
      assert.equal(got.u, pairs, `trial ${trial}`);
      assert.equal(got.effect, (2 * pairs) / (cur.length * base.length) - 1);
      // exact one-sided p: the share of all splits of the pooled values whose U is at least the observed one
      const pooled = [...cur, ...base];
      let atLeast = 0;
      let all = 0;
      const pick = (start: number, chosen: number[]) => {
        if (chosen.length === cur.length) {
          const x = chosen.map((i) => pooled[i] as number);
          const y = pooled.filter((_, i) => !chosen.includes(i));
          const u = x.reduce((sum, c) => sum + y.reduce((s, b) => s + (c > b ? 1 : c === b ? 0.5 : 0), 0), 0);
          all++;
          if (u >= pairs - 1e-9) atLeast++;
          return;
        }
        for (let i = start; i < pooled.length; i++) pick(i + 1, [...chosen, i]);
      };
      pick(0, []);
      const exact = atLeast / all;
      // close where verdicts are made (small p), looser in the middle where nothing is decided
      assert.ok(Math.abs(got.p - exact) < (exact < 0.2 ? 0.015 : 0.04), `trial ${trial}: normal approximation ${got.p.toFixed(4)} vs exact ${exact.toFixed(4)}`);
    }
  });

  it("Holm's adjustment and the threshold forms", () => {
    assert.deepEqual(holm([0.01, 0.04, 0.03]), [0.03, 0.06, 0.06]);
    assert.deepEqual(parseThreshold('10%'), { relative: 0.1 });
    assert.deepEqual(parseThreshold('200ms'), { absoluteMs: 200 });
    assert.deepEqual(parseThreshold('0.2s'), { absoluteMs: 200 });
    assert.throws(() => parseThreshold('fast'), /--threshold "fast"/);
  });

  it('a 300 ms shift on one step is found (in at least 95 % of 100 seeds), and no other step is ever a regression', () => {
    let found = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const rand = generator(seed);
      const base = samplesOf(Array.from({ length: RUNS }, () => drawRun(rand)));
      const cur = samplesOf(Array.from({ length: RUNS }, () => drawRun(rand, SHIFT)));
      const rows = compareSamples(base, cur);
      const regressions = rows.filter((r) => r.regression).map((r) => r.step);
      assert.ok(regressions.every((s) => s === 'search › submit_search'), `seed ${seed}: ${regressions.join(', ')}`);
      if (regressions.length) found++;
      // the shifted step is at least significantly slower every time, with a large effect
      const shifted = rows.find((r) => r.step === 'search › submit_search');
      assert.ok(shifted?.slower && shifted.effectSize === 'large', `seed ${seed}: ${JSON.stringify(shifted)}`);
    }
    assert.ok(found >= 95, `found in ${found} of 100 seeds`);
  });

  it('with no shift there is no false alarm over 300 seeds', () => {
    let significant = 0;
    for (let seed = 1000; seed < 1300; seed++) {
      const rand = generator(seed);
      const base = samplesOf(Array.from({ length: RUNS }, () => drawRun(rand)));
      const cur = samplesOf(Array.from({ length: RUNS }, () => drawRun(rand)));
      const rows = compareSamples(base, cur);
      assert.deepEqual(
        rows.filter((r) => r.regression).map((r) => r.step),
        [],
        `seed ${seed}`,
      );
      significant += rows.filter((r) => r.slower).length;
    }
    // the test itself behaves: Holm keeps significant-but-small findings near alpha, over 300 × 7 steps
    assert.ok(significant <= 0.05 * 300, `${significant} significant steps over 300 comparisons`);
  });
});

describe('compare: the CLI', () => {
  it('prints the step that got slower and exits with its own code; a directory of reports on each side', async () => {
    const rand = generator(42);
    const base = tmpDir('perfpulse-compare-base-');
    const cur = tmpDir('perfpulse-compare-cur-');
    writeReports(base, Array.from({ length: RUNS }, () => drawRun(rand)), 7); // a failed first step now and then: left out
    writeReports(cur, Array.from({ length: RUNS }, () => drawRun(rand, SHIFT)));
    const r = await runCli(['compare', base, cur]);
    assert.equal(r.code, ExitCode.regression, r.stderr);
    assert.match(r.stdout, /^REGRESSION: search › submit_search: \d\.\d{3} s → \d\.\d{3} s \(\+0\.\d{3} s, \+\d+\.\d%\), p [<\d.]+ \(Holm\), Cliff's delta 0\.\d\d \(large\)$/m);
    assert.equal(r.stdout.match(/^REGRESSION: /gm)?.length, 1, r.stdout); // a "slower" line may come by chance (alpha); a regression may not
    assert.match(r.stdout, /^login › open_login_page +25 /m, 'failed steps are not samples (5 of 30 baseline runs)');
    assert.match(r.stdout, /1 step got slower beyond 10%: exit 6$/m);

    const json = await runCli(['compare', base, cur, '--json']);
    const doc = JSON.parse(json.stdout) as { baseline: { runs: number }; steps: Array<{ step: string; regression: boolean; changeMs: number }>; regressions: number };
    assert.equal(doc.baseline.runs, RUNS);
    assert.equal(doc.regressions, 1);
    assert.ok((doc.steps.find((s) => s.step === 'search › submit_search')?.changeMs ?? 0) > 150);

    // the same runs against themselves: nothing, exit 0; a threshold above the shift: slower, but no regression
    const same = await runCli(['compare', base, base]);
    assert.equal(same.code, ExitCode.ok, same.stdout);
    assert.match(same.stdout, /no step got significantly slower beyond 10% \(30 baseline runs, 30 current\)$/m);
    const high = await runCli(['compare', base, cur, '--threshold', '1s']);
    assert.equal(high.code, ExitCode.ok);
    assert.match(high.stdout, /^slower: search › submit_search: /m);
  });

  it('bad input is one line and exit 2', async () => {
    const missing = await runCli(['compare', '/nonexistent/base', '/nonexistent/cur']);
    assert.equal(missing.code, ExitCode.badInput);
    assert.equal(missing.stderr, 'perfpulse-journeys: cannot read /nonexistent/base: no such file or directory\n');
    const dir = tmpDir('perfpulse-compare-bad-');
    writeFileSync(join(dir, 'report.json'), '{"not":"a report"}');
    const bad = await runCli(['compare', dir, dir]);
    assert.equal(bad.code, ExitCode.badInput);
    assert.match(bad.stderr, /^perfpulse-journeys: .*report\.json is not a perfpulse-journeys report \(no journeys\): write one with --report <dir>\n$/);
    const alpha = await runCli(['compare', dir, dir, '--alpha', '2']);
    assert.equal(alpha.code, ExitCode.badInput);
  });
});
