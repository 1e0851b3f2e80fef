/** The table a person reads at the end of a run. */
import { failureLine, journeyWho } from '../results/failure.ts';
import { groupByJourney, journeyDurations, spreadOf, stepDurations, stepNames } from '../results/multi-user.ts';
import { stepBudget, type BudgetCheck } from '../results/budgets.ts';
import { journeyErrorClass } from '../results/error-class.ts';
import { budgetLines } from './budgets.ts';
import { journeyOutcome, type JourneyResult, type RunResults } from '../results/results.ts';
import { combinedStepVerdicts, stepVerdicts } from '../results/verdicts.ts';

export function formatTable(rows: string[][], rightAligned: ReadonlySet<number> = new Set()): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows
    .map((r) => r.map((cell, c) => (rightAligned.has(c) ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0))).join('  ').trimEnd())
    .join('\n');
}

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(3));

/** A failed row's result: `FAILED (timeout)`, with the error class (src/results/error-class.ts). */
const failedWith = (classes: readonly string[]) => (classes.length ? `FAILED (${classes.join(', ')})` : 'FAILED');
/** Steps never reached are listed for a journey that failed (not for one skipped: none of its steps ran). */
const listsUnreached = (j: JourneyResult) => j.status !== 'passed' && j.status !== 'skipped';

/**
 * One row per step and one per journey; journeys selected but never reported show "not run". A
 * failed step says its error class, and after it the steps never reached say so.
 */
export function summaryTable(results: RunResults, selected: readonly string[], budgets?: readonly BudgetCheck[]): string {
  const table = results.users !== undefined && results.users > 1 ? usersSummaryTable(results, selected, results.users, budgets) : singleSummaryTable(results, selected, budgets);
  // --budgets: a line for every verdict that is not ok, after the failure lines
  return budgets ? [table, ...budgetLines({ table: { journeys: {} }, checks: budgets })].join('\n') : table;
}

/** --budgets: the budget column's cell of a step or journey row (`ok`, `degraded`, `failed`, or empty). */
const budgetCell = (budgets: readonly BudgetCheck[] | undefined, journey: string, step: string): string[] =>
  budgets ? [stepBudget(budgets, journey, step === '(journey)' ? '_journey' : step)?.verdict ?? ''] : [];

function singleSummaryTable(results: RunResults, selected: readonly string[], budgets?: readonly BudgetCheck[]): string {
  const rows: string[][] = [['journey', 'step', 'result', 'seconds', ...(budgets ? ['budget'] : [])]];
  for (const name of selected) {
    const j = results.journeys.find((x) => x.journey === name);
    if (!j) {
      rows.push([name, '(journey)', 'not run', '-']);
      continue;
    }
    for (const v of stepVerdicts(j)) {
      if (v.outcome === 'not_reached') {
        if (listsUnreached(j)) rows.push([j.journey, v.step, 'not reached', '-']);
      } else rows.push([j.journey, v.step, v.outcome === 'passed' ? 'ok' : failedWith(v.errorClass ? [v.errorClass] : []), seconds(v.result?.durationMs), ...budgetCell(budgets, j.journey, v.step)]);
    }
    const cls = journeyErrorClass(j);
    const outsideSteps = cls && !j.steps.some((s) => !s.ok) ? ` (${cls})` : ''; // a failure outside every step says its class on the journey's row
    rows.push([
      j.journey,
      '(journey)',
      j.status === 'passed' ? journeyOutcome(j) : `${journeyOutcome(j).replace(j.status, j.status.toUpperCase())}${outsideSteps}`,
      seconds(j.durationMs),
      ...budgetCell(budgets, j.journey, '(journey)'),
    ]);
  }
  // each a line of its own: `<journey> › <step>: <expected> (<locator>): <seen>` (src/results/failure.ts)
  const failures = results.journeys.filter((j) => j.status !== 'passed' && j.error).map((j) => failureLine(j.journey, j.error as string));
  return [formatTable(rows, new Set([3])), ...failures].join('\n');
}

/**
 * `--users N`: one row per step and per journey over all users: how many users passed it, the
 * median and the slowest user's time (steps: over the users that passed it, or that reached it
 * when none did). Each failed user's failure line follows the table.
 */
export function usersSummaryTable(results: RunResults, selected: readonly string[], users: number, budgets?: readonly BudgetCheck[]): string {
  const rows: string[][] = [['journey', 'step', 'result', 'users ok', 'median s', 'max s', ...(budgets ? ['budget'] : [])]];
  const groups = groupByJourney(results.journeys);
  for (const name of selected) {
    const runs = groups.get(name) ?? [];
    if (!runs.length) {
      rows.push([name, '(journey)', 'not run', `0/${users}`, '-', '-']);
      continue;
    }
    const verdicts = new Map(combinedStepVerdicts(runs).map((v) => [v.step, v]));
    for (const step of stepNames(runs)) {
      const reached = runs.flatMap((j) => j.steps.filter((s) => s.name === step));
      const ok = reached.filter((s) => s.ok).length;
      const spread = spreadOf(stepDurations(runs, step));
      rows.push([
        name,
        step,
        ok === reached.length ? 'ok' : failedWith(verdicts.get(step)?.errorClasses ?? []),
        `${ok}/${reached.length}`,
        seconds(spread?.median),
        seconds(spread?.max),
        ...budgetCell(budgets, name, step),
      ]);
    }
    // steps no user reached, after a failure
    if (runs.some(listsUnreached)) for (const v of verdicts.values()) if (v.outcome === 'not_reached') rows.push([name, v.step, 'not reached', `0/${users}`, '-', '-']);
    const passed = runs.filter((j) => j.status === 'passed').length;
    const spread = spreadOf(journeyDurations(runs));
    rows.push([name, '(journey)', passed === users ? 'passed' : 'FAILED', `${passed}/${users}`, seconds(spread?.median), seconds(spread?.max), ...budgetCell(budgets, name, '(journey)')]);
  }
  // `<journey> user <k> › <step>: …`, as the results reporter wrote it
  const failures = results.journeys.filter((j) => j.status !== 'passed' && j.error).map((j) => failureLine(journeyWho(j.journey, j.user), j.error as string));
  return [formatTable(rows, new Set([3, 4, 5])), ...failures].join('\n');
}
