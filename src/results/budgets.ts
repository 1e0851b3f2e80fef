/**
 * Budget verdicts made from a run's results: each budgeted step, journey and page vital is `ok`,
 * `degraded` (over its warn limit) or `failed` (over its fail limit). Over what the metrics are made
 * of: per journey the combined result of its users (a step's median over the users that passed it),
 * only for what was measured: a step that failed or was not reached, a journey that did not pass, a
 * vital not measured has no verdict. The budgets' shape matches src/config/budgets.ts's (this model
 * imports nothing).
 */
import { journeyRuns } from './multi-user.ts';
import type { PageTiming, RunResults } from './results.ts';

export interface BudgetLimits {
  warn?: number;
  fail?: number;
}

export interface BudgetTable {
  journeys: Record<string, { steps: Record<string, BudgetLimits>; journey?: BudgetLimits; pages: Record<string, Partial<Record<string, BudgetLimits>>> }>;
}

export const BUDGET_VERDICTS = ['ok', 'degraded', 'failed'] as const;
export type BudgetVerdict = (typeof BUDGET_VERDICTS)[number];

export interface BudgetCheck {
  journey: string;
  /** The step, or `_journey` for the whole journey; absent for a page vital. */
  step?: string;
  /** A page vital's page slug and vital (`lcp`, `cls`…). */
  page?: string;
  vital?: string;
  /** What was measured: seconds (CLS unit-less). */
  value: number;
  warn?: number;
  fail?: number;
  verdict: BudgetVerdict;
}

/** The PageTiming field a vital is read from, and its scale to the budget's unit. */
const VITAL_FIELDS: Record<string, [keyof PageTiming, number]> = {
  ttfb: ['ttfbMs', 1 / 1000],
  fcp: ['fcpMs', 1 / 1000],
  lcp: ['lcpMs', 1 / 1000],
  inp: ['inpMs', 1 / 1000],
  cls: ['cls', 1],
  dom_content_loaded: ['domContentLoadedMs', 1 / 1000],
  load: ['loadMs', 1 / 1000],
};

export function verdictOf(value: number, limits: BudgetLimits): BudgetVerdict {
  if (limits.fail !== undefined && value > limits.fail) return 'failed';
  if (limits.warn !== undefined && value > limits.warn) return 'degraded';
  return 'ok';
}

const check = (base: Omit<BudgetCheck, 'verdict' | 'warn' | 'fail'>, limits: BudgetLimits): BudgetCheck => ({
  ...base,
  ...(limits.warn !== undefined ? { warn: limits.warn } : {}),
  ...(limits.fail !== undefined ? { fail: limits.fail } : {}),
  verdict: verdictOf(base.value, limits),
});

/** Every budget of the table that this run measured, with its verdict (journeys in run order). */
export function checkBudgets(results: RunResults, table: BudgetTable): BudgetCheck[] {
  const out: BudgetCheck[] = [];
  for (const { journey, combined } of journeyRuns(results.journeys)) {
    const budgets = table.journeys[journey];
    if (!budgets) continue;
    for (const s of combined.steps) {
      const limits = budgets.steps[s.name];
      if (limits && s.ok) out.push(check({ journey, step: s.name, value: s.durationMs / 1000 }, limits));
    }
    if (budgets.journey && combined.status === 'passed' && combined.durationMs !== undefined) out.push(check({ journey, step: '_journey', value: combined.durationMs / 1000 }, budgets.journey));
    for (const [page, vitals] of Object.entries(budgets.pages)) {
      for (const [vital, limits] of Object.entries(vitals)) {
        const [field, scale] = VITAL_FIELDS[vital] ?? [];
        if (!limits || !field || scale === undefined) continue;
        // the page's worst load in the journey
        const values = (combined.measured?.pages ?? []).filter((p) => p.page === page).map((p) => p[field]).filter((v): v is number => typeof v === 'number');
        if (values.length) out.push(check({ journey, page, vital, value: Math.max(...values) * scale }, limits));
      }
    }
  }
  return out;
}

/** The check of one step (or `_journey`) of a journey. */
export function stepBudget(checks: readonly BudgetCheck[], journey: string, step: string): BudgetCheck | undefined {
  return checks.find((c) => c.journey === journey && c.step === step);
}

/** `degraded (1.234 s > warn 1 s)`, for people. */
export function budgetText(c: BudgetCheck): string {
  const unit = c.vital === 'cls' ? '' : ' s';
  const v = `${c.value.toFixed(3)}${unit}`;
  if (c.verdict === 'failed') return `failed (${v} > fail ${c.fail}${unit})`;
  if (c.verdict === 'degraded') return `degraded (${v} > warn ${c.warn}${unit})`;
  return `ok (${v}${c.warn !== undefined ? ` ≤ warn ${c.warn}${unit}` : ` ≤ fail ${c.fail}${unit}`})`;
}
