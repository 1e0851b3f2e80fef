/** `perfpulse-journeys metrics lint [file|url|-]`: the naming guide, checked on any exposition text. */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { ExitCode, UserError, oneLine } from '../../errors.ts';
import { LINT_RULES, formatFinding, lintExposition } from '../../metrics/lint.ts';
import { ExpositionError } from '../../metrics/parse.ts';
import { commanderOutput } from '../help.ts';

const LINT_HELP = `
Reads Prometheus text exposition from a file, an http(s) URL (e.g. a Pushgateway's /metrics) or
stdin (- or nothing), and prints one line per finding: <metric>: [<rule>] <message>.

Rules (the naming guide of the original perfPulse README):
${Object.entries(LINT_RULES).map(([rule, what]) => `  ${rule.padEnd(24)} ${what}`).join('\n')}

Examples:
  $ perfpulse-journeys --env local --dry-run | perfpulse-journeys metrics lint
  $ perfpulse-journeys metrics lint http://127.0.0.1:9091/metrics
  $ perfpulse-journeys metrics lint exported.prom

Exit codes: 0 no findings, ${ExitCode.lintFindings} findings, ${ExitCode.badInput} unreadable input or not exposition text.`;

async function readInput(source: string): Promise<string> {
  if (source === '-') {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  if (/^https?:\/\//i.test(source)) {
    try {
      const res = await fetch(source, { signal: AbortSignal.timeout(15_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return await res.text();
    } catch (err) {
      throw new UserError(`cannot read ${source}: ${oneLine(err)}`);
    }
  }
  try {
    return readFileSync(source, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read ${source}: ${(err as NodeJS.ErrnoException).code ?? oneLine(err)}`);
  }
}

export function metricsCommand(): Command {
  const metrics = new Command('metrics')
    .description('work with Prometheus metrics: `metrics lint` checks names and labels')
    .addHelpText('after', '\nExamples:\n  $ perfpulse-journeys --env local --dry-run | perfpulse-journeys metrics lint\n  $ perfpulse-journeys metrics lint --help');
  metrics.addCommand(
    new Command('lint')
      .description('check Prometheus exposition text against the perfPulse naming guide')
      .argument('[source]', 'a file, an http(s) URL, or - for stdin', '-')
      .addHelpText('after', LINT_HELP)
      .action(async (source: string) => {
        const text = await readInput(source);
        let findings;
        try {
          findings = lintExposition(text);
        } catch (err) {
          if (err instanceof ExpositionError) throw new UserError(`${source === '-' ? 'stdin' : source} is not Prometheus exposition text: ${err.message}`);
          throw err;
        }
        for (const f of findings) process.stdout.write(`${formatFinding(f)}\n`);
        process.stderr.write(`${findings.length} finding${findings.length === 1 ? '' : 's'}\n`);
        process.exitCode = findings.length ? ExitCode.lintFindings : ExitCode.ok;
      }),
  );
  for (const cmd of metrics.commands) {
    cmd.exitOverride().configureOutput(commanderOutput(`metrics ${cmd.name()}`));
  }
  return metrics;
}
