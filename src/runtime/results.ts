/**
 * What a run produced, before it becomes metrics. The journey runtime (Playwright reporter)
 * writes this as JSON; the CLI reads it, turns it into metrics, pushes and prints the summary.
 * Everything here is measured; nothing is a default standing in for a missing value.
 */

import type { MeasureKey } from '../metrics/catalog.ts';

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
  /** Values the journey recorded with `record()` (rows found, bytes downloaded…), base units. */
  measures?: Partial<Record<MeasureKey, number>>;
  /** Screenshot and trace of a failed journey, when kept. */
  artifacts?: string[];
}

export interface RunResults {
  /** Env profile name (the `env` label). */
  env: string;
  startedAtMs: number;
  finishedAtMs: number;
  /** Playwright's overall status for the run. */
  status: 'passed' | 'failed' | 'timedout' | 'interrupted';
  journeys: JourneyResult[];
}

export function journeyPassed(j: JourneyResult): boolean {
  return j.status === 'passed';
}
