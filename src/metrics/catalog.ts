/**
 * The metric catalog: the one place that names, types, documents and labels every metric this
 * tool emits. The reporter, the pusher, the docs (docs/metrics.md) and the tests read it; nothing
 * else spells a metric name.
 *
 * Naming follows the seed guide: snake_case, `perfpulse_usersim_` for browser journeys, base unit
 * in the name, `_total` only on counters, one name reused with labels.
 */

import { PROBE_METRICS, type ProbeLabelName } from './catalog-probes.ts';

export type MetricType = 'gauge' | 'counter' | 'histogram';
export type LabelName =
  | 'env'
  | 'journey'
  | 'step'
  | 'page'
  | 'version'
  | 'playwright'
  | 'chromium'
  | 'statistic'
  | 'outcome'
  | 'error_class'
  | 'limit'
  | 'verdict'
  | 'vital'
  | ConditionLabel
  | ProbeLabelName;

/**
 * Labels a run adds to every series it pushes, and to its Pushgateway grouping key, only when it
 * ran under an emulated condition: `network` (--throttle profile name) and `device` (--device,
 * slugged). Absent on plain runs, so a throttled run never mixes with a plain one (decision 19).
 */
export const CONDITION_LABELS = ['network', 'device'] as const;
export type ConditionLabel = (typeof CONDITION_LABELS)[number];

export interface MetricDef {
  readonly name: string;
  readonly type: MetricType;
  /** Help text: what it measures, its unit, and whether it is wall time or browser time. */
  readonly help: string;
  readonly labels: readonly LabelName[];
  /** Wall time (Node's clock around what the harness does) or browser time (the page's own clock). */
  readonly clock?: 'wall' | 'browser';
}

/** Pushgateway job for browser journeys; each journey is its own group {env, journey}. */
export const USERSIM_JOB = 'perfpulse_usersim';

/**
 * Pushgateway job for the last-success timestamp, one group {env, journey}: pushed only when a
 * journey passes, so a failed run (which replaces the USERSIM_JOB group) never erases it.
 */
export const USERSIM_LAST_SUCCESS_JOB = 'perfpulse_usersim_last_success';

/** Pushgateway job for delivery health (spool size, failed pushes), one group per {env}. */
export const PUSH_JOB = 'perfpulse_push';

export const METRICS = {
  stepDuration: {
    name: 'perfpulse_usersim_step_duration_seconds',
    type: 'gauge',
    help: 'Wall-clock time of one journey step as the user felt it, from the step start to its end; excludes browser launch and context set-up.',
    labels: ['env', 'journey', 'step'],
    clock: 'wall',
  },
  stepFailed: {
    name: 'perfpulse_usersim_step_failed',
    type: 'gauge',
    help: '1 for the step where a journey failed in this run, 0 for its steps that passed; steps never reached are absent (a state, neither wall nor browser time).',
    labels: ['env', 'journey', 'step'],
  },
  // The verdicts (src/results/verdicts.ts, error-class.ts): every declared step's outcome, and failures by class.
  stepOutcome: {
    name: 'perfpulse_usersim_step_outcome',
    type: 'gauge',
    help: '1 for every step the journey declares, under its outcome in this run: passed, failed, or not_reached (a step after the failed one, or of a skipped or interrupted journey); count the steps never reached with outcome="not_reached" (a state, neither wall nor browser time).',
    labels: ['env', 'journey', 'step', 'outcome'],
  },
  journeyFailures: {
    name: 'perfpulse_usersim_journey_failures_count',
    type: 'gauge',
    help: 'Runs of the journey that failed in this run (1, or with --users N the users that failed), by error_class: timeout, selector, http_4xx, http_5xx, auth, navigation, download, assertion, interrupted, browser_crashed or harness (README "Failure classes"); absent when it passed. The failure message is in the log, the report and JUnit, never a label.',
    labels: ['env', 'journey', 'error_class'],
  },
  // --budgets (src/results/budgets.ts): the limits as gauges Grafana can draw, and each verdict. Only with budgets.
  stepBudget: {
    name: 'perfpulse_usersim_step_budget_seconds',
    type: 'gauge',
    help: 'The budget of a step (--budgets, budgets: in the env profile): limit="warn" or "fail", wall-clock seconds its perfpulse_usersim_step_duration_seconds is held to.',
    labels: ['env', 'journey', 'step', 'limit'],
    clock: 'wall',
  },
  stepBudgetVerdict: {
    name: 'perfpulse_usersim_step_budget_verdict',
    type: 'gauge',
    help: '1 for each budgeted step that passed, under its verdict in this run: ok, degraded (over its warn limit) or failed (over its fail limit); absent for a step that failed or was not reached (a state).',
    labels: ['env', 'journey', 'step', 'verdict'],
  },
  journeyBudget: {
    name: 'perfpulse_usersim_journey_budget_seconds',
    type: 'gauge',
    help: 'The budget of a whole journey (_journey: in --budgets): limit="warn" or "fail", wall-clock seconds its perfpulse_usersim_journey_duration_seconds is held to.',
    labels: ['env', 'journey', 'limit'],
    clock: 'wall',
  },
  journeyBudgetVerdict: {
    name: 'perfpulse_usersim_journey_budget_verdict',
    type: 'gauge',
    help: '1 for a budgeted journey that passed, under its verdict in this run: ok, degraded (over its warn limit) or failed (over its fail limit) (a state).',
    labels: ['env', 'journey', 'verdict'],
  },
  pageBudget: {
    name: 'perfpulse_usersim_page_budget_seconds',
    type: 'gauge',
    help: 'The budget of a Web Vital of a page (_pages: in --budgets): vital ttfb, fcp, lcp, inp, dom_content_loaded or load, limit="warn" or "fail", browser-time seconds the page\'s worst load in the journey is held to.',
    labels: ['env', 'journey', 'page', 'vital', 'limit'],
    clock: 'browser',
  },
  pageBudgetRatio: {
    name: 'perfpulse_usersim_page_budget_ratio',
    type: 'gauge',
    help: 'The budget of a page\'s cumulative layout shift (vital="cls" under _pages: in --budgets), limit="warn" or "fail": the unit-less score its worst load in the journey is held to.',
    labels: ['env', 'journey', 'page', 'vital', 'limit'],
    clock: 'browser',
  },
  pageBudgetVerdict: {
    name: 'perfpulse_usersim_page_budget_verdict',
    type: 'gauge',
    help: '1 for each budgeted vital of a page measured in this run, under its verdict: ok, degraded (over its warn limit) or failed (over its fail limit) (a state).',
    labels: ['env', 'journey', 'page', 'vital', 'verdict'],
  },
  journeyDuration: {
    name: 'perfpulse_usersim_journey_duration_seconds',
    type: 'gauge',
    help: 'Wall-clock time of a whole journey, from the start of its first step to the end of its last; excludes browser launch and context set-up.',
    labels: ['env', 'journey'],
    clock: 'wall',
  },
  journeySuccess: {
    name: 'perfpulse_usersim_journey_success',
    type: 'gauge',
    help: '1 when the journey passed in this run, 0 when it failed, timed out or was skipped for missing credentials (a state, neither wall nor browser time).',
    labels: ['env', 'journey'],
  },
  journeyAttempts: {
    name: 'perfpulse_usersim_journey_attempts_count',
    type: 'gauge',
    help: 'Attempts this run made at the journey: 1 when the first try decided it; more only with --retries, and with journey_success 1 that means it was flaky (failed, then passed on a retry), not an outage.',
    labels: ['env', 'journey'],
  },
  journeyRunTimestamp: {
    name: 'perfpulse_usersim_journey_run_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time (wall clock, seconds) at which this run of the journey started; tells a fresh value from a stale one.',
    labels: ['env', 'journey'],
    clock: 'wall',
  },
  // --users N > 1 only (docs/decisions.md 17): how the users fared, never a label per user.
  journeyUsers: {
    name: 'perfpulse_usersim_journey_users_count',
    type: 'gauge',
    help: 'Virtual users (--users N) whose run of the journey passed (result="passed") or did not (result="failed": failed, timed out, skipped, interrupted) in this run; their sum is the users that ran it. Multi-user runs only.',
    labels: ['env', 'journey', 'result'],
  },
  stepUsersDuration: {
    name: 'perfpulse_usersim_step_users_duration_seconds',
    type: 'gauge',
    help: 'Spread of a step\'s wall-clock time over the virtual users that passed it (that reached it, when none passed): statistic is min, median, p95 (nearest rank) or max. Multi-user runs only.',
    labels: ['env', 'journey', 'step', 'statistic'],
    clock: 'wall',
  },
  journeyUsersDuration: {
    name: 'perfpulse_usersim_journey_users_duration_seconds',
    type: 'gauge',
    help: 'Spread of the whole journey\'s wall-clock time over the virtual users that passed it (that have one, when none passed): statistic is min, median, p95 (nearest rank) or max. Multi-user runs only.',
    labels: ['env', 'journey', 'statistic'],
    clock: 'wall',
  },
  // Per page, browser time: measured by the page's own clock (web-vitals, Navigation Timing), from the
  // navigation's start. `page` is a slug of the path (src/metrics/labels.ts pageSlug), never a URL.
  pageTtfb: {
    name: 'perfpulse_usersim_page_ttfb_seconds',
    type: 'gauge',
    help: 'Browser time from the start of the navigation to the first byte of the page (web-vitals TTFB), per page loaded in a step.',
    labels: ['env', 'journey', 'step', 'page'],
    clock: 'browser',
  },
  pageFcp: {
    name: 'perfpulse_usersim_page_fcp_seconds',
    type: 'gauge',
    help: 'Browser time from the start of the navigation to the first contentful paint (web-vitals FCP), per page loaded in a step.',
    labels: ['env', 'journey', 'step', 'page'],
    clock: 'browser',
  },
  pageLcp: {
    name: 'perfpulse_usersim_page_lcp_seconds',
    type: 'gauge',
    help: 'Browser time from the start of the navigation to the largest contentful paint seen before the page was read (web-vitals LCP, all changes reported).',
    labels: ['env', 'journey', 'step', 'page'],
    clock: 'browser',
  },
  pageInp: {
    name: 'perfpulse_usersim_page_inp_seconds',
    type: 'gauge',
    help: 'Browser time from a user interaction to the next paint, the slowest seen on the page (web-vitals INP); absent when the journey did not interact with the page.',
    labels: ['env', 'journey', 'step', 'page'],
    clock: 'browser',
  },
  pageCls: {
    name: 'perfpulse_usersim_page_cls_ratio',
    type: 'gauge',
    help: 'Cumulative layout shift of the page (web-vitals CLS), a unit-less score measured by the browser; 0 means nothing moved.',
    labels: ['env', 'journey', 'step', 'page'],
    clock: 'browser',
  },
  pageDomContentLoaded: {
    name: 'perfpulse_usersim_page_dom_content_loaded_seconds',
    type: 'gauge',
    help: 'Browser time from the start of the navigation to the end of DOMContentLoaded (Navigation Timing domContentLoadedEventEnd).',
    labels: ['env', 'journey', 'step', 'page'],
    clock: 'browser',
  },
  pageLoad: {
    name: 'perfpulse_usersim_page_load_seconds',
    type: 'gauge',
    help: 'Browser time from the start of the navigation to the end of the load event (Navigation Timing loadEventEnd).',
    labels: ['env', 'journey', 'step', 'page'],
    clock: 'browser',
  },
  // Honesty about the harness itself (wall time unless said otherwise).
  browserSetup: {
    name: 'perfpulse_usersim_browser_setup_seconds',
    type: 'gauge',
    help: 'Wall-clock time from the start of the journey to its first step: browser launch, context, page, collectors and a warm-up navigation; never part of a step.',
    labels: ['env', 'journey'],
    clock: 'wall',
  },
  harnessOverhead: {
    name: 'perfpulse_usersim_harness_overhead_seconds',
    type: 'gauge',
    help: 'Wall-clock time of a calibration step against a loopback page that does nothing, timed like a real step; the largest of 3 before and 3 after the journey (before only, when it failed): what the harness itself adds to a step.',
    labels: ['env', 'journey'],
    clock: 'wall',
  },
  hostLoadPerCpu: {
    name: 'perfpulse_usersim_host_load_per_cpu_ratio',
    type: 'gauge',
    help: '1-minute load average of the machine running the browser divided by its CPU count, read at the end of the journey; above 1 the machine was oversubscribed and wall times are inflated.',
    labels: ['env', 'journey'],
    clock: 'wall',
  },
  cpuThrottled: {
    name: 'perfpulse_usersim_cpu_throttled_seconds',
    type: 'gauge',
    help: 'Wall-clock time the cgroup of the runner was CPU-throttled during the journey (cgroup cpu.stat); absent where the cgroup is not readable.',
    labels: ['env', 'journey'],
    clock: 'wall',
  },
  buildInfo: {
    name: 'perfpulse_usersim_build_info',
    type: 'gauge',
    help: 'Always 1; its labels name the perfpulse-journeys version, the Playwright version and the Chromium version that measured (neither wall nor browser time).',
    labels: ['version', 'playwright', 'chromium'],
  },
  searchResultRows: {
    name: 'perfpulse_usersim_search_rows_count',
    type: 'gauge',
    help: 'Rows the Advanced Search results grid reported in its header ("Showing {n} rows") in this run.',
    labels: ['env', 'journey'],
  },
  storageHomeRows: {
    name: 'perfpulse_usersim_storage_rows_count',
    type: 'gauge',
    help: 'Entries the storage UI listed in the user\'s home folder (its status line "Showing … of {n} entries") in this run; 0 for an empty home folder.',
    labels: ['env', 'journey'],
  },
  downloadFirstByte: {
    name: 'perfpulse_usersim_download_first_byte_seconds',
    type: 'gauge',
    help: 'Wall-clock time from asking the browser for the file (/data/pub, through its redirect) to the download starting (response headers in).',
    clock: 'wall',
    labels: ['env', 'journey'],
  },
  downloadDuration: {
    name: 'perfpulse_usersim_download_duration_seconds',
    type: 'gauge',
    help: 'Wall-clock time from asking the browser for the file to the last byte saved.',
    clock: 'wall',
    labels: ['env', 'journey'],
  },
  downloadBytes: {
    name: 'perfpulse_usersim_download_bytes',
    type: 'gauge',
    help: 'Size of the downloaded file as saved by the browser, bytes.',
    labels: ['env', 'journey'],
  },
  downloadThroughput: {
    name: 'perfpulse_usersim_download_throughput_bytes_per_second',
    type: 'gauge',
    help: 'Downloaded bytes divided by the time from first byte to last byte (body transfer only).',
    labels: ['env', 'journey'],
  },
  journeyLastSuccess: {
    name: 'perfpulse_usersim_journey_last_success_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time at which the last run of the journey that passed started (seconds); pushed only on success, to its own group, so a failed run never erases it.',
    labels: ['env', 'journey'],
  },
  pushSpoolEntries: {
    name: 'perfpulse_push_spool_entries_count',
    type: 'gauge',
    help: 'Pushes for this env waiting in the spool of the machine that pushed this, after its last delivery or replay; 0 when everything was delivered.',
    labels: ['env'],
  },
  pushFailures: {
    name: 'perfpulse_push_failures_total',
    type: 'counter',
    help: 'Pushes for this env that got no 2xx from the Pushgateway after every retry (each was spooled or kept); persisted in the spool directory so it survives one-shot runs, and resets when that directory is lost.',
    labels: ['env'],
  },
  pushSpoolDropped: {
    name: 'perfpulse_push_spool_dropped_total',
    type: 'counter',
    help: 'Spooled pushes for this env dropped undelivered because they were older than the spool max age or beyond its max entries; persisted like perfpulse_push_failures_total.',
    labels: ['env'],
  },
  pushLost: {
    name: 'perfpulse_push_lost_total',
    type: 'counter',
    help: 'Pushes for this env neither delivered nor spooled, because the spool directory could not be written (unwritable, disk full); persisted like perfpulse_push_failures_total when the spool can take that much, else pushed by the run that lost them.',
    labels: ['env'],
  },
} as const satisfies Record<string, MetricDef>;

export type MetricKey = keyof typeof METRICS;

/** Values a journey records itself (in the metric's base unit), exported per {env, journey}. */
export const JOURNEY_MEASURES = ['searchResultRows', 'storageHomeRows', 'downloadFirstByte', 'downloadDuration', 'downloadBytes', 'downloadThroughput'] as const;
export type MeasureKey = (typeof JOURNEY_MEASURES)[number];

/** Every metric definition, in catalog order; the API probes' (./catalog-probes.ts) follow. */
export function allMetrics(): MetricDef[] {
  return [...Object.values(METRICS), ...Object.values(PROBE_METRICS)];
}
