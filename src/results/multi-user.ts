/**
 * Several virtual users (`--users N`): each user's run of a journey is its own JourneyResult,
 * marked with `user` (1..N). What people and metrics get per journey is worked out here, once:
 * which runs belong together, whether the journey passed (every user passed), and one combined
 * JourneyResult that the existing per-journey metrics are made from (docs/decisions.md 17).
 * A single-user run (no `user` marks) passes through unchanged.
 */
import type { JourneyMeasurements, JourneyResult, PageTiming, StepResult } from './results.ts';

export function median(values: readonly number[]): number | undefined {
  if (!values.length) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Nearest-rank percentile (p in 0..100): always one of the values, so p95 of 2 users is the slower one. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (!values.length) return undefined;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length))) - 1];
}

/** The spread over users that the metrics and the summary show. */
export interface Spread {
  min: number;
  median: number;
  p95: number;
  max: number;
  /** How many values it was made of. */
  n: number;
}

export function spreadOf(values: readonly number[]): Spread | undefined {
  if (!values.length) return undefined;
  return {
    min: Math.min(...values),
    median: median(values) as number,
    p95: percentile(values, 95) as number,
    max: Math.max(...values),
    n: values.length,
  };
}

/** Journey runs grouped by journey, in the order journeys first appear; users in user order. */
export function groupByJourney(journeys: readonly JourneyResult[]): Map<string, JourneyResult[]> {
  const groups = new Map<string, JourneyResult[]>();
  for (const j of journeys) groups.set(j.journey, [...(groups.get(j.journey) ?? []), j]);
  for (const runs of groups.values()) runs.sort((a, b) => (a.user ?? 0) - (b.user ?? 0));
  return groups;
}

/** One journey of a run over all its users: their runs and the one result standing for them all. */
export interface JourneyRuns {
  journey: string;
  /** Every user's run of the journey, in user order; the one run of a single-user run. */
  runs: readonly JourneyResult[];
  /** combineUsers(runs): what the per-journey gauges are made of. */
  combined: JourneyResult;
  /** The runs carry user marks (--users N > 1): the multi-user gauges are made from them too. */
  multiUser: boolean;
}

/** Groups journey runs by journey (groupByJourney's order) and combines each journey's users, once. */
export function journeyRuns(journeys: readonly JourneyResult[]): JourneyRuns[] {
  return [...groupByJourney(journeys).values()].map((runs) => ({
    journey: (runs[0] as JourneyResult).journey,
    runs,
    combined: combineUsers(runs),
    multiUser: isMultiUser(runs),
  }));
}

/** True when these runs come from a multi-user run (they carry a `user` mark). */
export function isMultiUser(runs: readonly JourneyResult[]): boolean {
  return runs.some((j) => j.user !== undefined);
}

/** A journey passed when every one of `users` users reported it and every run of it passed. */
export function everyUserPassed(runs: readonly JourneyResult[], users = 1): boolean {
  return runs.length >= Math.max(1, users) && runs.every((j) => j.status === 'passed');
}

/** Durations of a step over the users that passed it; when none did, over the users that reached it. */
export function stepDurations(runs: readonly JourneyResult[], step: string): number[] {
  const reached = runs.flatMap((j) => j.steps.filter((s) => s.name === step));
  const passed = reached.filter((s) => s.ok);
  return (passed.length ? passed : reached).map((s) => s.durationMs);
}

/** Journey durations over the users that passed; when none did, over the users with a duration. */
export function journeyDurations(runs: readonly JourneyResult[]): number[] {
  const withDuration = runs.filter((j) => j.durationMs !== undefined);
  const passed = withDuration.filter((j) => j.status === 'passed');
  return (passed.length ? passed : withDuration).map((j) => j.durationMs as number);
}

/** Step names in the order they first appear over the users. */
export function stepNames(runs: readonly JourneyResult[]): string[] {
  const names: string[] = [];
  for (const j of runs) for (const s of j.steps) if (!names.includes(s.name)) names.push(s.name);
  return names;
}

const present = (values: Array<number | undefined>): number[] => values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));

/**
 * One JourneyResult standing for every user's run of a journey, for the per-journey gauges:
 * passed only when every user passed; a step's time is the median over the users that passed it
 * (that reached it, when none passed) and it is ok only when every user that reached it passed it;
 * the journey's time is the median over the users that passed; journey-recorded values and
 * per-page browser timings are medians; the harness overhead, host load and CPU throttling are the
 * worst user's (upper estimates stay upper estimates). A single run without a user mark is returned as it is.
 */
export function combineUsers(runs: readonly JourneyResult[]): JourneyResult {
  const first = runs[0];
  if (!first) throw new Error('combineUsers needs at least one run');
  if (runs.length === 1 && first.user === undefined) return first;
  const failed = runs.find((j) => j.status !== 'passed');
  const steps: StepResult[] = stepNames(runs).map((name) => {
    const reached = runs.flatMap((j) => j.steps.filter((s) => s.name === name));
    const bad = reached.find((s) => !s.ok);
    return {
      name,
      durationMs: median(stepDurations(runs, name)) as number,
      startedAtMs: Math.min(...reached.map((s) => s.startedAtMs)),
      ok: !bad,
      ...(bad?.error ? { error: bad.error } : {}),
    };
  });
  const out: JourneyResult = {
    journey: first.journey,
    status: failed?.status ?? 'passed',
    startedAtMs: Math.min(...runs.map((j) => j.startedAtMs)),
    steps,
  };
  const duration = median(journeyDurations(runs));
  if (duration !== undefined) out.durationMs = duration;
  // --retries: the most attempts any user needed (so flaky when every user passed and one only on a retry)
  const attempts = present(runs.map((j) => j.attempts));
  if (attempts.length) out.attempts = Math.max(...attempts);
  if (failed?.error) out.error = failed.error;
  const measures: NonNullable<JourneyResult['measures']> = {};
  for (const key of new Set(runs.flatMap((j) => Object.keys(j.measures ?? {})))) {
    const m = median(present(runs.map((j) => j.measures?.[key as keyof typeof measures])));
    if (m !== undefined) measures[key as keyof typeof measures] = m;
  }
  if (Object.keys(measures).length) out.measures = measures;
  const measured = combineMeasurements(runs.flatMap((j) => (j.measured ? [j.measured] : [])));
  if (measured) out.measured = measured;
  return out;
}

const PAGE_FIELDS = ['ttfbMs', 'fcpMs', 'lcpMs', 'inpMs', 'cls', 'domContentLoadedMs', 'loadMs'] as const;

function combineMeasurements(all: readonly JourneyMeasurements[]): JourneyMeasurements | undefined {
  if (!all.length) return undefined;
  const out: JourneyMeasurements = {};
  const pages = new Map<string, PageTiming[]>();
  for (const m of all) for (const p of m.pages ?? []) pages.set(`${p.step}\u0000${p.page}`, [...(pages.get(`${p.step}\u0000${p.page}`) ?? []), p]);
  if (pages.size) {
    out.pages = [...pages.values()].map((same) => {
      const t: PageTiming = { step: (same[0] as PageTiming).step, page: (same[0] as PageTiming).page };
      for (const f of PAGE_FIELDS) {
        const v = median(present(same.map((p) => p[f])));
        if (v !== undefined) t[f] = v;
      }
      return t;
    });
  }
  const setup = median(present(all.map((m) => m.browserSetupMs)));
  if (setup !== undefined) out.browserSetupMs = setup;
  const calibration = all.flatMap((m) => m.calibrationMs ?? []);
  if (calibration.length) out.calibrationMs = calibration;
  const load = present(all.map((m) => m.loadPerCpu));
  if (load.length) out.loadPerCpu = Math.max(...load);
  const throttled = present(all.map((m) => m.cpuThrottledSeconds));
  if (throttled.length) out.cpuThrottledSeconds = Math.max(...throttled);
  const versions = all.find((m) => m.playwright && m.chromium);
  if (versions) {
    out.playwright = versions.playwright as string;
    out.chromium = versions.chromium as string;
  }
  return out;
}
