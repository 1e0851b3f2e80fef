/**
 * The metric catalog: the one place that names, types, documents and labels every metric this
 * tool emits. The reporter, the pusher, the docs (docs/metrics.md) and the tests read it; nothing
 * else spells a metric name.
 *
 * Naming follows the seed guide: snake_case, `perfpulse_usersim_` for browser journeys, base unit
 * in the name, `_total` only on counters, one name reused with labels.
 */

export type MetricType = 'gauge' | 'counter' | 'histogram';
export type LabelName = 'env' | 'journey' | 'step' | 'page' | 'version' | 'playwright' | 'chromium';

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
  journeyRunTimestamp: {
    name: 'perfpulse_usersim_journey_run_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time (wall clock, seconds) at which this run of the journey started; tells a fresh value from a stale one.',
    labels: ['env', 'journey'],
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
} as const satisfies Record<string, MetricDef>;

export type MetricKey = keyof typeof METRICS;

/** Every metric definition, in catalog order. */
export function allMetrics(): MetricDef[] {
  return Object.values(METRICS);
}
