/** `perfpulse-journeys compare <baseline> <current>`: which steps got slower (src/report/compare.ts). */
import { Command } from 'commander';
import { ExitCode, UserError } from '../../errors.ts';
import { DEFAULT_ALPHA, DEFAULT_THRESHOLD, MIN_SAMPLES, compareSamples, parseThreshold, readSamples, type StepComparison } from '../../report/compare.ts';
import { formatTable } from '../summary.ts';

const COMPARE_HELP = `
<baseline> and <current> are each a report.json (written by run --report <dir>) or a directory
holding any number of them (searched recursively for *.json): say, one --report dir per run of a
loop, or copies of report.json from each CronJob run. Per journey and step, over the runs where
the step passed: the median wall time of each side, its change, a one-sided Mann-Whitney U test
(is current slower?) with Holm-adjusted p-values over the steps, and Cliff's delta as the effect
size (negligible < 0.147 <= small < 0.33 <= medium < 0.474 <= large). At least ${MIN_SAMPLES} runs a side
are needed to test a step.

A step is a regression when it is significantly slower (adjusted p < --alpha) and its median
grew beyond --threshold: a share of the baseline median (default ${DEFAULT_THRESHOLD}) or a time (200ms, 0.2s).

Examples:
  $ perfpulse-journeys compare base/ current/
      base/ and current/ each hold report.json files of many runs, e.g. made by
      for i in $(seq 20); do perfpulse-journeys --env prod --dry-run --report base/$i >/dev/null; done
  $ perfpulse-journeys compare base/ current/ --threshold 200ms --json | jq '.steps[] | select(.regression)'

Exit codes: 0 no regression, ${ExitCode.regression} a step got slower beyond --threshold, ${ExitCode.badInput} unreadable input or bad flag.`;

const s3 = (ms: number) => (ms / 1000).toFixed(3);
const signed = (v: number, text: string) => `${v >= 0 ? '+' : ''}${text}`;
const pct = (r: number) => signed(r, `${(r * 100).toFixed(1)}%`);
const pFmt = (p: number | undefined) => (p === undefined ? '-' : p < 0.0001 ? '<0.0001' : p.toFixed(4));

/** One line for a step that got significantly slower. */
export function slowerLine(r: StepComparison): string {
  return `${r.regression ? 'REGRESSION' : 'slower'}: ${r.step}: ${s3(r.baseline.medianMs)} s → ${s3(r.current.medianMs)} s (${signed(r.changeMs, `${s3(r.changeMs)} s`)}, ${pct(r.changeRatio)}), p ${pFmt(r.pAdjusted)} (Holm), Cliff's delta ${(r.effect as number).toFixed(2)} (${r.effectSize})`;
}

export function compareCommand(): Command {
  return new Command('compare')
    .description('compare saved results (--report) of a baseline and a current run, step by step: which got significantly slower')
    .argument('<baseline>', 'a report.json or a directory of them')
    .argument('<current>', 'a report.json or a directory of them')
    .option('--threshold <share|time>', `a regression must grow the median beyond this: 10% of the baseline median, or 200ms / 0.2s`, DEFAULT_THRESHOLD)
    .option('--alpha <p>', 'significance level of the Holm-adjusted one-sided Mann-Whitney U test', String(DEFAULT_ALPHA))
    .option('--json', 'one JSON document on stdout instead of the table', false)
    .addHelpText('after', COMPARE_HELP)
    .action((baselinePath: string, currentPath: string, flags: { threshold: string; alpha: string; json?: boolean }) => {
      const threshold = parseThreshold(flags.threshold);
      const alpha = Number(flags.alpha);
      if (!(alpha > 0 && alpha < 1)) throw new UserError(`--alpha ${JSON.stringify(flags.alpha)}: give a number between 0 and 1, e.g. 0.05`);
      const base = readSamples(baselinePath);
      const cur = readSamples(currentPath);
      const rows = compareSamples(base.samples, cur.samples, { threshold, alpha });
      if (!rows.length) throw new UserError('no step passed on both sides: nothing to compare');
      const regressions = rows.filter((r) => r.regression);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ baseline: { path: baselinePath, runs: base.runs }, current: { path: currentPath, runs: cur.runs }, threshold: flags.threshold, alpha, steps: rows, regressions: regressions.length })}\n`);
      } else {
        const table = formatTable(
          [
            ['step', 'base n', 'base median s', 'cur n', 'cur median s', 'change s', 'change', 'p (Holm)', 'effect'],
            ...rows.map((r) => [
              r.step,
              String(r.baseline.n),
              s3(r.baseline.medianMs),
              String(r.current.n),
              s3(r.current.medianMs),
              signed(r.changeMs, s3(r.changeMs)),
              pct(r.changeRatio),
              pFmt(r.pAdjusted),
              r.effect === undefined ? (r.note ?? '-') : `${r.effect.toFixed(2)} ${r.effectSize}`,
            ]),
          ],
          new Set([1, 2, 3, 4, 5, 6, 7]),
        );
        const slower = rows.filter((r) => r.slower).map(slowerLine);
        const verdict = regressions.length
          ? `${regressions.length} step${regressions.length === 1 ? '' : 's'} got slower beyond ${flags.threshold}: exit ${ExitCode.regression}`
          : `no step got significantly slower beyond ${flags.threshold} (${base.runs} baseline run${base.runs === 1 ? '' : 's'}, ${cur.runs} current)`;
        process.stdout.write(`${[table, '', ...slower, verdict].join('\n')}\n`);
      }
      process.exitCode = regressions.length ? ExitCode.regression : ExitCode.ok;
    });
}
