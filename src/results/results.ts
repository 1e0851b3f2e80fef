/**
 * What a run produced, before it becomes metrics. The journey runner (its Playwright results
 * reporter) writes this as JSON; the CLI reads it, and metrics, the report and the summary are made
 * from it. Everything here is measured; nothing is a default standing in for a missing value.
 * This model imports nothing: every room may read it (docs/architecture.md).
 */

import type { Failure } from './failure.ts';

export interface StepResult {
  /** Step slug, e.g. `open_login_page`. */
  name: string;
  /** Wall-clock milliseconds from the step's start to its end. */
  durationMs: number;
  /** Epoch milliseconds at which the step started. */
  startedAtMs: number;
  ok: boolean;
  /** One-line failure for people, `<journey> › <step>: <expected> (<locator>): <seen>` (src/results/failure.ts); never a label. */
  error?: string;
  /** The same failure in parts, for machines. */
  failure?: Omit<Failure, 'line'>;
  /** A failed step only: what the portal answered while it ran, to classify its failure (./error-class.ts). */
  network?: StepNetwork;
}

/** One request of the page (document, xhr or fetch) as the failure evidence keeps it: never a URL, a query or a body. */
export interface RequestEvidence {
  method: string;
  /** Slug of the request's path (src/metrics/labels.ts pageSlug), e.g. `search_find`. */
  page: string;
  /** `document`, `xhr` or `fetch`. */
  type: string;
  /** The status it answered with (>= 400 here). */
  status?: number;
  /** Chromium's network error (`net::ERR_CONNECTION_REFUSED`), for a request that got no answer at all. */
  error?: string;
  /** How long it had been open, unanswered, when the step gave up (a hung request). */
  openMs?: number;
}

/**
 * What the page's requests did during a failed step, recorded by the network collector
 * (src/runtime/collectors/network.ts) and kept only for failed steps. Requests the journey makes
 * with Playwright's API client (`page.request`) are not seen by the browser and are not here.
 */
export interface StepNetwork {
  /** Answered with a status >= 400 while the step ran. */
  errors?: RequestEvidence[];
  /** Failed without an answer (refused, reset, DNS, TLS) while the step ran; aborted requests are left out. */
  failed?: RequestEvidence[];
  /** Still unanswered when the step gave up, after being open at least HUNG_REQUEST_MS (./error-class.ts). */
  hung?: RequestEvidence[];
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
  /** One-line failure or skip reason for people: the failed step's line, else `<journey>: <reason>`. */
  error?: string;
  /** Playwright's whole error message (colours and secrets removed) behind `error`, for the report. */
  rawError?: string;
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
  /** Path of the failure screenshot with every credential field masked (src/runtime/collectors/failure-screenshot.ts). */
  maskedScreenshot?: string;
  /** Attempts made (1 = first try; more only with --retries); the steps above are the last attempt's. */
  attempts?: number;
  /** --trace on-failure: how the traced re-run of this failed journey ended (evidence only, never measured). */
  tracedRerun?: JourneyStatus;
  /** Which virtual user ran it (1..N, from Playwright's repeatEachIndex); absent in a single-user run. */
  user?: number;
  /**
   * The steps the journey declares for this run, in order (optional steps whose option is off left
   * out); filled in by the CLI from the journey's declaration, so a step never reached can be told.
   */
  declaredSteps?: string[];
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
  /** The browser died under the journey (its connection lost or the page crashed before the journey's end). */
  browserCrashed?: boolean;
}
