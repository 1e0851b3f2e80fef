/**
 * The run as what leaves the process is made of: per journey, every user's run as far as it was
 * measured, and their combination, worked out once per run. The metrics (every body pushed, and
 * the --dry-run text) read this; verdicts will read the same.
 */
import type { BudgetCheck, BudgetTable } from './budgets.ts';
import { journeyRuns, type JourneyRuns } from './multi-user.ts';
import type { JourneyResult, RunResults } from './results.ts';

export interface MeasuredRun {
  /** The `env` label. */
  env: string;
  /** `network` / `device` labels (--throttle, --device); empty on a plain run. */
  conditions: Record<string, string>;
  /** One entry per journey, in the order the journeys first reported. */
  journeys: readonly JourneyRuns[];
  /** --budgets: the limits and this run's verdicts (./budgets.ts); absent without budgets. */
  budgets?: RunBudgets;
}

export interface RunBudgets {
  table: BudgetTable;
  checks: readonly BudgetCheck[];
}

/**
 * A journey stopped by SIGINT/SIGTERM: the step the signal cut short and the journey's span were
 * not measured (their times end at the signal, not at what the user waited for), so they are left
 * out; the steps that finished before the signal stay. Any other journey is returned as it is.
 */
export function measuredPart(j: JourneyResult): JourneyResult {
  if (j.status !== 'interrupted') return j;
  const { durationMs: _notMeasured, ...rest } = j;
  return { ...rest, steps: j.steps.filter((s) => s.ok) };
}

export function measuredRun(results: RunResults, budgets?: RunBudgets): MeasuredRun {
  return { env: results.env, conditions: results.conditions ?? {}, journeys: journeyRuns(results.journeys.map(measuredPart)), ...(budgets ? { budgets } : {}) };
}
