/** The table a person reads at the end of a run. */
import { groupByJourney, journeyDurations, spreadOf, stepDurations, stepNames } from '../results/multi-user.ts';
import { journeyOutcome, type RunResults } from '../results/results.ts';

export function formatTable(rows: string[][], rightAligned: ReadonlySet<number> = new Set()): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows
    .map((r) => r.map((cell, c) => (rightAligned.has(c) ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0))).join('  ').trimEnd())
    .join('\n');
}

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(3));

/** One row per step and one per journey; journeys selected but never reported show "not run". */
export function summaryTable(results: RunResults, selected: readonly string[]): string {
  if (results.users !== undefined && results.users > 1) return usersSummaryTable(results, selected, results.users);
  const rows: string[][] = [['journey', 'step', 'result', 'seconds']];
  for (const name of selected) {
    const j = results.journeys.find((x) => x.journey === name);
    if (!j) {
      rows.push([name, '(journey)', 'not run', '-']);
      continue;
    }
    for (const s of j.steps) rows.push([j.journey, s.name, s.ok ? 'ok' : 'FAILED', seconds(s.durationMs)]);
    rows.push([j.journey, '(journey)', j.status === 'passed' ? journeyOutcome(j) : journeyOutcome(j).replace(j.status, j.status.toUpperCase()), seconds(j.durationMs)]);
  }
  const failures = results.journeys
    .filter((j) => j.status !== 'passed' && j.error)
    .map((j) => `${j.journey}: ${j.error}`);
  return [formatTable(rows, new Set([3])), ...failures].join('\n');
}

/**
 * `--users N`: one row per step and per journey over all users: how many users passed it, the
 * median and the slowest user's time (steps: over the users that passed it, or that reached it
 * when none did). Each failed user's reason follows the table.
 */
export function usersSummaryTable(results: RunResults, selected: readonly string[], users: number): string {
  const rows: string[][] = [['journey', 'step', 'result', 'users ok', 'median s', 'max s']];
  const groups = groupByJourney(results.journeys);
  for (const name of selected) {
    const runs = groups.get(name) ?? [];
    if (!runs.length) {
      rows.push([name, '(journey)', 'not run', `0/${users}`, '-', '-']);
      continue;
    }
    for (const step of stepNames(runs)) {
      const reached = runs.flatMap((j) => j.steps.filter((s) => s.name === step));
      const ok = reached.filter((s) => s.ok).length;
      const spread = spreadOf(stepDurations(runs, step));
      rows.push([name, step, ok === reached.length ? 'ok' : 'FAILED', `${ok}/${reached.length}`, seconds(spread?.median), seconds(spread?.max)]);
    }
    const passed = runs.filter((j) => j.status === 'passed').length;
    const spread = spreadOf(journeyDurations(runs));
    rows.push([name, '(journey)', passed === users ? 'passed' : 'FAILED', `${passed}/${users}`, seconds(spread?.median), seconds(spread?.max)]);
  }
  const failures = results.journeys
    .filter((j) => j.status !== 'passed' && j.error)
    .map((j) => `${j.journey} user ${j.user ?? '?'}: ${j.error}`);
  return [formatTable(rows, new Set([3, 4, 5])), ...failures].join('\n');
}
