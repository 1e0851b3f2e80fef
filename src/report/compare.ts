/**
 * `perfpulse-journeys compare <baseline> <current>`: did a step get slower? Over saved results
 * (report.json files written by `--report`, or directories holding any number of them), per
 * journey and step: the median wall time of the passed runs on each side, its change, a one-sided
 * Mann-Whitney U test (is current stochastically greater than baseline?) and the effect size.
 *
 * The statistics come from simple-statistics (7.x): its Wilcoxon rank-sum (average ranks for
 * ties) gives U, its error function the normal CDF. The p-value uses the normal approximation with
 * the tie-corrected variance and a continuity correction, so at least MIN_SAMPLES runs per side
 * are required; p-values are Holm-adjusted over the steps compared, so comparing many steps does not
 * make a false alarm likely. The effect size is Cliff's delta (the rank-biserial correlation, -1..1:
 * the share of (current, baseline) pairs where current is slower minus the share where it is
 * faster), named after Romano et al.'s thresholds (negligible < 0.147 ≤ small < 0.33 ≤ medium <
 * 0.474 ≤ large).
 *
 * A step is "significantly slower" when the test rejects "current is not slower" (Holm-adjusted
 * p < alpha). It is a regression, the verdict that sets the exit code, when it is slower beyond the
 * threshold (default DEFAULT_THRESHOLD: 10 % of the baseline median, or a time such as 200ms): the
 * same test on the current times brought back by the threshold (divided by 1 + 10 %, or less
 * 200 ms) still rejects, and the median grew by more than the threshold. Testing against the
 * threshold, not against no change, is what keeps a noisy but unchanged step from raising a false
 * alarm: a step whose true change is below the threshold is flagged far less often than alpha.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { errorFunction, median, wilcoxonRankSum } from 'simple-statistics';
import { UserError } from '../errors.ts';
import type { Report } from './report.ts';

export const DEFAULT_THRESHOLD = '10%';
export const DEFAULT_ALPHA = 0.05;
/** The normal approximation of U needs this many runs per side at least. */
export const MIN_SAMPLES = 5;

/** Wall times (ms) of every passed run of each step, keyed `journey › step`. */
export type Samples = Map<string, number[]>;

/** The threshold a median must grow beyond: a share of the baseline median, or milliseconds. */
export type Threshold = { relative: number } | { absoluteMs: number };

export function parseThreshold(text: string): Threshold {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%|ms|s)\s*$/.exec(text);
  if (!m) throw new UserError(`--threshold ${JSON.stringify(text)}: give a share of the baseline median (10%) or a time (200ms, 0.2s)`);
  const n = Number(m[1]);
  return m[2] === '%' ? { relative: n / 100 } : { absoluteMs: m[2] === 's' ? n * 1000 : n };
}

/** Every report.json under `path` (a file, or a directory searched recursively for *.json). */
export function reportFiles(path: string): string[] {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new UserError(`cannot read ${path}: no such file or directory`);
  }
  if (st.isFile()) return [path];
  const files = readdirSync(path, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(path, f))
    .filter((f) => statSync(f).isFile())
    .sort();
  if (!files.length) throw new UserError(`${path} holds no .json report (write one with --report <dir>)`);
  return files;
}

/** The passed steps' wall times of every report under `path`, with how many runs were read. */
export function readSamples(path: string): { samples: Samples; runs: number } {
  const samples: Samples = new Map();
  let runs = 0;
  for (const file of reportFiles(path)) {
    let report: Report;
    try {
      report = JSON.parse(readFileSync(file, 'utf8')) as Report;
    } catch (err) {
      throw new UserError(`${file} is not JSON: ${(err as Error).message.split('\n')[0]}`);
    }
    if (!report || !Array.isArray(report.journeys)) throw new UserError(`${file} is not a perfpulse-journeys report (no journeys): write one with --report <dir>`);
    runs++;
    for (const j of report.journeys) {
      for (const s of j.steps ?? []) {
        const key = `${j.journey} › ${s.name}`;
        if (!samples.has(key)) samples.set(key, []); // in the order the journeys ran them, failed ones too
        if (s.ok && typeof s.durationMs === 'number') samples.get(key)?.push(s.durationMs);
      }
    }
  }
  return { samples, runs };
}

export interface StepComparison {
  /** `journey › step`. */
  step: string;
  baseline: { n: number; medianMs: number };
  current: { n: number; medianMs: number };
  /** Current median minus baseline median, ms, and as a share of the baseline median. */
  changeMs: number;
  changeRatio: number;
  /** Mann-Whitney U of current over baseline (pairs where current is slower, ties count half). */
  u?: number;
  /** One-sided p-value (current slower), and Holm-adjusted over the steps compared. */
  p?: number;
  pAdjusted?: number;
  /** The same for "slower beyond the threshold" (current times brought back by it), Holm-adjusted. */
  pBeyond?: number;
  pBeyondAdjusted?: number;
  /** Cliff's delta, -1..1: > 0 means current tends to be slower. */
  effect?: number;
  effectSize?: 'negligible' | 'small' | 'medium' | 'large';
  /** Significantly slower (pAdjusted < alpha). */
  slower: boolean;
  /** Slower and beyond the threshold. */
  regression: boolean;
  /** Why no test was made (too few runs on a side). */
  note?: string;
}

const normalCdf = (z: number) => 0.5 * (1 + errorFunction(z / Math.SQRT2));

/** One-sided Mann-Whitney U test that `current` is stochastically greater than `baseline`. */
export function mannWhitneyGreater(current: readonly number[], baseline: readonly number[]): { u: number; p: number; effect: number } {
  const n1 = current.length;
  const n2 = baseline.length;
  const w = wilcoxonRankSum([...current], [...baseline]);
  const u = w - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  // tie correction: sum of t^3 - t over the groups of equal values
  const counts = new Map<number, number>();
  for (const v of [...current, ...baseline]) counts.set(v, (counts.get(v) ?? 0) + 1);
  let ties = 0;
  for (const t of counts.values()) ties += t ** 3 - t;
  const variance = ((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1)));
  const mean = (n1 * n2) / 2;
  const p = variance > 0 ? 1 - normalCdf((u - mean - 0.5) / Math.sqrt(variance)) : 0.5;
  return { u, p: Math.min(1, Math.max(0, p)), effect: (2 * u) / (n1 * n2) - 1 };
}

function effectName(delta: number): StepComparison['effectSize'] {
  const d = Math.abs(delta);
  return d < 0.147 ? 'negligible' : d < 0.33 ? 'small' : d < 0.474 ? 'medium' : 'large';
}

/** Holm's step-down adjustment of p-values (same order as given). */
export function holm(ps: readonly number[]): number[] {
  const order = ps.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(ps.length);
  let running = 0;
  order.forEach(([p, i], k) => {
    running = Math.max(running, Math.min(1, (ps.length - k) * p));
    out[i] = running;
  });
  return out;
}

/** Every step both sides have, compared (in the current side's order). */
export function compareSamples(baseline: Samples, current: Samples, opts: { threshold?: Threshold; alpha?: number } = {}): StepComparison[] {
  const threshold = opts.threshold ?? parseThreshold(DEFAULT_THRESHOLD);
  const alpha = opts.alpha ?? DEFAULT_ALPHA;
  const rows: StepComparison[] = [];
  for (const [step, cur] of current) {
    const base = baseline.get(step);
    if (!base?.length || !cur.length) continue;
    const b = median(base);
    const c = median(cur);
    const row: StepComparison = {
      step,
      baseline: { n: base.length, medianMs: b },
      current: { n: cur.length, medianMs: c },
      changeMs: c - b,
      changeRatio: b > 0 ? (c - b) / b : 0,
      slower: false,
      regression: false,
    };
    if (base.length < MIN_SAMPLES || cur.length < MIN_SAMPLES) row.note = `too few runs to test (at least ${MIN_SAMPLES} a side)`;
    else {
      Object.assign(row, mannWhitneyGreater(cur, base));
      const back = cur.map((v) => ('relative' in threshold ? v / (1 + threshold.relative) : v - threshold.absoluteMs));
      row.pBeyond = mannWhitneyGreater(back, base).p;
    }
    rows.push(row);
  }
  const tested = rows.filter((r) => r.p !== undefined);
  const adjusted = holm(tested.map((r) => r.p as number));
  const beyondAdjusted = holm(tested.map((r) => r.pBeyond as number));
  tested.forEach((r, i) => {
    r.pAdjusted = adjusted[i] as number;
    r.pBeyondAdjusted = beyondAdjusted[i] as number;
    r.effectSize = effectName(r.effect as number);
    r.slower = r.pAdjusted < alpha;
    const beyond = 'relative' in threshold ? r.changeRatio > threshold.relative : r.changeMs > threshold.absoluteMs;
    r.regression = r.slower && r.pBeyondAdjusted < alpha && beyond;
  });
  return rows;
}
