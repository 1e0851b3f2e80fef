/**
 * What a run produced, before it becomes metrics. The journey runner (its Playwright results
 * reporter) writes this as JSON; the CLI reads it, and metrics, the report and the summary are made
 * from it. Everything here is measured; nothing is a default standing in for a missing value.
 * This model imports nothing: every room may read it (docs/architecture.md).
 */

export interface StepResult {
  /** Step slug, e.g. `open_login_page`. */
  name: string;
  /** Wall-clock milliseconds from the step's start to its end. */
  durationMs: number;
  /** Epoch milliseconds at which the step started. */
  startedAtMs: number;
  ok: boolean;
  /** One-line failure text for people (never becomes a label). */
  error?: string;
}

export type JourneyStatus = 'passed' | 'failed' | 'timedOut' | 'skipped' | 'interrupted';

export interface JourneyResult {
  /** Journey slug, e.g. `login`. */
  journey: string;
  status: JourneyStatus;
  /** Epoch milliseconds at which the journey's test started (before fixtures). */
  startedAtMs: number;
  /** First step start to last step end, ms; undefined when no step ran. */
  durationMs?: number;
  steps: StepResult[];
  /** One-line failure or skip reason for people. */
  error?: string;
  /**
   * Values the journey recorded with `record()` (rows found, bytes downloaded…), base units, under
   * the catalog key of the metric they become (src/metrics/catalog.ts JOURNEY_MEASURES).
   */
  measures?: Partial<Record<string, number>>;
  /** Screenshot and trace of a failed journey, when kept. */
  artifacts?: string[];
  /** What the browser-side collectors measured; absent when none ran. */
  measured?: JourneyMeasurements;
  /** Path of Playwright's failure screenshot, when one was taken. */
  screenshot?: string;
  /** Attempts made (1 = first try; more only with --retries); the steps above are the last attempt's. */
  attempts?: number;
  /** Which virtual user ran it (1..N, from Playwright's repeatEachIndex); absent in a single-user run. */
  user?: number;
}

export interface RunResults {
  /** Env profile name (the `env` label). */
  env: string;
  startedAtMs: number;
  finishedAtMs: number;
  /** Playwright's overall status for the run. */
  status: 'passed' | 'failed' | 'timedout' | 'interrupted';
  /** Every user's run of every journey: one entry per journey, or per journey and user with --users N > 1. */
  journeys: JourneyResult[];
  /** `network` (--throttle) and `device` (--device) labels, only when set: they keep these series apart. */
  conditions?: Record<string, string>;
  /** Virtual users (`--users`), when more than one. */
  users?: number;
}

export function journeyPassed(j: JourneyResult): boolean {
  return j.status === 'passed';
}

/** The journey's outcome for people: `passed`, `flaky (passed on attempt 2)`, `failed`, `failed (3 attempts)`… */
/** Failed, then passed on a retry: reported as flaky, not as an outage (journey_success 1). */
export function isFlaky(j: JourneyResult): boolean {
  return j.status === 'passed' && (j.attempts ?? 1) > 1;
}

export function journeyOutcome(j: JourneyResult): string {
  if (j.status === 'passed') return isFlaky(j) ? `flaky (passed on attempt ${j.attempts ?? '?'})` : 'passed';
  return (j.attempts ?? 1) > 1 ? `${j.status} (${j.attempts} attempts)` : j.status;
}

/**
 * What the browser-side collectors measured in one journey run (src/runtime/collectors). Every
 * field is optional: a value that was not measured is absent, never 0.
 */
export interface PageTiming {
  /** Step during which the document was loaded. */
  step: string;
  /** Low-cardinality slug of the document's path (labels.ts pageSlug), never a URL. */
  page: string;
  /** Browser-clock milliseconds from the navigation's start (web-vitals / Navigation Timing). */
  ttfbMs?: number;
  fcpMs?: number;
  lcpMs?: number;
  inpMs?: number;
  /** Cumulative layout shift, unit-less. */
  cls?: number;
  domContentLoadedMs?: number;
  loadMs?: number;
}

export interface JourneyMeasurements {
  pages?: PageTiming[];
  /** Epoch ms (wall) when set-up (browser, context, page, collectors, warm-up) ended and steps could start. */
  setupDoneAtMs?: number;
  /** Wall ms from the journey's test start to setupDoneAtMs (computed by the results reporter). */
  browserSetupMs?: number;
  /** Wall ms of each calibration step against a do-nothing loopback page. */
  calibrationMs?: number[];
  /** 1-minute load average / CPU count at the end of the journey. */
  loadPerCpu?: number;
  /** Seconds the runner's cgroup was CPU-throttled during the journey. */
  cpuThrottledSeconds?: number;
  /** Versions of what measured. */
  playwright?: string;
  chromium?: string;
}
