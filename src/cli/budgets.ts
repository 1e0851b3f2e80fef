/**
 * The run's budgets (`--budgets <file>`, else the env profile's `budgets:`), their shape checked by
 * src/config/budgets.ts and here every journey and step checked against what this installation
 * declares (src/runtime/runner/journey-steps.ts): an unknown one is one line, exit 2, before
 * anything starts. After the journeys, the verdicts (src/results/budgets.ts) and what
 * `--fail-on-budget` makes of them.
 */
import { loadBudgetsFile, parseBudgets, type Budgets } from '../config/budgets.ts';
import type { EnvProfile } from '../config/profile.ts';
import { UserError } from '../errors.ts';
import { budgetText, checkBudgets, stepBudget, type BudgetCheck } from '../results/budgets.ts';
import type { RunResults } from '../results/results.ts';
import type { RunBudgets } from '../results/run.ts';
import type { JunitBudget } from '../report/junit.ts';
import { availableJourneys } from '../runtime/runner/journeys.ts';
import { allSteps } from './declared-steps.ts';

/** The budgets the run holds its journeys to, or undefined when none are given. */
export async function runBudgets(flag: string | undefined, profile: EnvProfile, journeysDir?: string): Promise<Budgets | undefined> {
  const budgets =
    flag !== undefined ? loadBudgetsFile(flag) : profile.budgets !== undefined ? parseBudgets(profile.budgets, `in env profile ${profile.source}`) : undefined;
  if (!budgets) return undefined;
  const known = availableJourneys(journeysDir);
  for (const [journey, b] of Object.entries(budgets.journeys)) {
    if (!known.includes(journey)) throw new UserError(`budgets ${budgets.source}: unknown journey "${journey}" (journeys: ${known.join(', ')})`);
    const steps = await allSteps(journey, journeysDir);
    for (const step of Object.keys(b.steps)) {
      if (!steps.includes(step)) throw new UserError(`budgets ${budgets.source}: journey ${journey} has no step "${step}" (its steps: ${steps.join(', ')}; _journey for the whole journey, _pages for Web Vitals)`);
    }
  }
  return budgets;
}

/** This run's verdicts, with the table, as the metrics take them. */
export function budgetVerdicts(results: RunResults, budgets: Budgets | undefined): RunBudgets | undefined {
  return budgets ? { table: budgets, checks: checkBudgets(results, budgets) } : undefined;
}

/** Checks over their fail limit. */
export const overBudget = (b: RunBudgets | undefined): BudgetCheck[] => (b ? b.checks.filter((c) => c.verdict === 'failed') : []);

/** What a check is called in a line: `login › submit_credentials`, `login (journey)`, `login page access_login lcp`. */
export const budgetSubject = (c: BudgetCheck) => (c.page !== undefined ? `${c.journey} page ${c.page} ${c.vital}` : c.step === '_journey' ? `${c.journey} (journey)` : `${c.journey} › ${c.step}`);

/** One line per check not ok, after the summary table. */
export function budgetLines(b: RunBudgets | undefined): string[] {
  return (b?.checks ?? []).filter((c) => c.verdict !== 'ok').map((c) => `budget: ${budgetSubject(c)}: ${budgetText(c)}`);
}

/** The budget notes and (with --fail-on-budget) failures of the JUnit file. */
export function junitBudget(b: RunBudgets | undefined, failOnBudget: boolean): JunitBudget | undefined {
  if (!b) return undefined;
  return {
    note: (journey, step) => {
      const c = stepBudget(b.checks, journey, step);
      return c ? `budget: ${budgetText(c)}` : undefined;
    },
    failure: (journey, step) => {
      const c = stepBudget(b.checks, journey, step);
      return failOnBudget && c?.verdict === 'failed' ? `${budgetSubject(c)}: over budget, ${budgetText(c)}` : undefined;
    },
  };
}
