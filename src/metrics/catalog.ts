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
export type LabelName = 'env' | 'journey' | 'step' | ProbeLabelName;

export interface MetricDef {
  readonly name: string;
  readonly type: MetricType;
  /** Help text: what it measures, its unit, and whether it is wall time or browser time. */
  readonly help: string;
  readonly labels: readonly LabelName[];
}

/** Pushgateway job for browser journeys; each journey is its own group {env, journey}. */
export const USERSIM_JOB = 'perfpulse_usersim';

export const METRICS = {
  stepDuration: {
    name: 'perfpulse_usersim_step_duration_seconds',
    type: 'gauge',
    help: 'Wall-clock time of one journey step as the user felt it, from the step start to its end; excludes browser launch and context set-up.',
    labels: ['env', 'journey', 'step'],
  },
  stepFailed: {
    name: 'perfpulse_usersim_step_failed',
    type: 'gauge',
    help: '1 for the step where a journey failed in this run, 0 for its steps that passed; steps never reached are absent.',
    labels: ['env', 'journey', 'step'],
  },
  journeyDuration: {
    name: 'perfpulse_usersim_journey_duration_seconds',
    type: 'gauge',
    help: 'Wall-clock time of a whole journey, from the start of its first step to the end of its last; excludes browser launch and context set-up.',
    labels: ['env', 'journey'],
  },
  journeySuccess: {
    name: 'perfpulse_usersim_journey_success',
    type: 'gauge',
    help: '1 when the journey passed in this run, 0 when it failed, timed out or was skipped for missing credentials.',
    labels: ['env', 'journey'],
  },
  journeyRunTimestamp: {
    name: 'perfpulse_usersim_journey_run_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time at which this run of the journey started (seconds); tells a fresh value from a stale one.',
    labels: ['env', 'journey'],
  },
} as const satisfies Record<string, MetricDef>;

export type MetricKey = keyof typeof METRICS;

/** Every metric definition, in catalog order; the API probes' (./catalog-probes.ts) follow. */
export function allMetrics(): MetricDef[] {
  return [...Object.values(METRICS), ...Object.values(PROBE_METRICS)];
}
