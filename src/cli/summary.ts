/** The table a person reads at the end of a run. */
import { journeyOutcome, type RunResults } from '../runtime/results.ts';

export function formatTable(rows: string[][], rightAligned: ReadonlySet<number> = new Set()): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows
    .map((r) => r.map((cell, c) => (rightAligned.has(c) ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0))).join('  ').trimEnd())
    .join('\n');
}

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(3));

/** One row per step and one per journey; journeys selected but never reported show "not run". */
export function summaryTable(results: RunResults, selected: readonly string[]): string {
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
