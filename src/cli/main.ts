/**
 * perfpulse-journeys command line. Each command lives in ./commands/; this file wires them up and
 * turns every failure into one line on stderr and a distinct exit code (src/errors.ts). Stack
 * traces only with PERFPULSE_DEBUG=1.
 */
import { Command, CommanderError } from 'commander';
import { ExitCode, UserError, oneLine } from '../errors.ts';
import { PACKAGE } from '../package.ts';
import { checkCommandDefinition } from './commands/check.ts';
import { compareCommand } from './commands/compare.ts';
import { envsCommand, journeysCommand } from './commands/list.ts';
import { pushCommandDefinition } from './commands/push.ts';
import { probeCommand } from './commands/probe.ts';
import { metricsCommand } from './commands/metrics.ts';
import { runCommandDefinition } from './commands/run.ts';
import { recordCommandDefinition } from './commands/record.ts';
import { initCommandDefinition } from './commands/init.ts';
import { EXIT_CODES_HELP, commanderOutput } from './help.ts';
import { nearestKey } from '../config/schema.ts';
import { checkNumericFlags } from './flags.ts';
import { declareWithoutPlaywright } from '../runtime/runner/declarations.ts';

export function buildProgram(): Command {
  const program = new Command('perfpulse-journeys')
    .description(
      'Times what a CADC/CANFAR portal user feels: runs Playwright journeys in headless Chromium, times each step, ' +
        'and pushes the timings as labeled Prometheus metrics to a Pushgateway.',
    )
    .version(PACKAGE.version)
    .addHelpText(
      'after',
      `
Examples:
  $ perfpulse-journeys --env local
      every journey on the bundled replica, pushed to a Pushgateway started for the run
  $ perfpulse-journeys --env prod --pushgateway http://pushgateway:9091
  $ perfpulse-journeys journeys
      the journeys and their steps; \`perfpulse-journeys <command> --help\` explains each command
  $ perfpulse-journeys compare baseline-reports/ current-reports/
      which steps got significantly slower (exit 6 when one did beyond --threshold)
  $ perfpulse-journeys record my_journey --env local
      record a new journey in a headed browser (needs a display, or xvfb-run -a)
  $ perfpulse-journeys init my-monitoring
      a project of your own: the package pinned, an env profile, your journeys, a kustomize overlay
  $ perfpulse-journeys check --env prod --pushgateway http://pushgateway:9091
      before a first scheduled run: profile, credentials, browser, URLs, Pushgateway, spool

Getting started, then running it every 5 minutes:
  1. perfpulse-journeys --env local            all of it on this machine, nothing to configure
  2. PERFPULSE_USERNAME=me PERFPULSE_PASSWORD_FILE=./pw perfpulse-journeys --env prod --dry-run
                                               the real portal, printed instead of pushed
  3. README.md "Deploying": the image, a Secret, deploy/k8s (CronJob every 5 min, RBAC, env
     ConfigMap, spool claim), deploy/prometheus (scrape config, alert rules), deploy/grafana (the
     dashboard), deploy/monitoring (the same for kube-prometheus-stack); perfpulse-journeys init
     writes a project with your journeys and a kustomize overlay of them.`,
    )
    .exitOverride()
    .configureOutput(commanderOutput(''));

  program.addCommand(runCommandDefinition(), { isDefault: true });
  program.addCommand(envsCommand());
  program.addCommand(journeysCommand());
  program.addCommand(pushCommandDefinition());
  program.addCommand(probeCommand());
  program.addCommand(metricsCommand());
  program.addCommand(compareCommand());
  program.addCommand(recordCommandDefinition());
  program.addCommand(initCommandDefinition());
  program.addCommand(checkCommandDefinition());
  program.addHelpText('after', EXIT_CODES_HELP);
  // every numeric flag of the command about to run, against its documented range (src/cli/flags.ts)
  program.hook('preAction', (_program, action) => checkNumericFlags(action));
  // subcommands inherit exitOverride/output only when set before they are added: apply to all
  for (const cmd of program.commands) cmd.exitOverride().configureOutput(commanderOutput(cmd.name()));
  return program;
}

/**
 * A reader that stops early (`perfpulse-journeys journeys | head`) closes our stdout: what is left to
 * print has nowhere to go, but the work (pushes, probes) goes on and ends with its own exit code.
 */
function tolerateClosedStdout(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') return;
    process.stderr.write(`perfpulse-journeys: cannot write to stdout: ${err.message}\n`);
    process.exitCode = ExitCode.internal;
  });
}

/**
 * A first word that names no command would go to the default command `run` as an argument it does
 * not take ("too many arguments for 'run'"): say what it is instead, and what is near.
 */
function checkCommandWord(program: Command, argv: string[]): void {
  const word = argv[2];
  if (word === undefined || word.startsWith('-')) return;
  const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  if (names.includes(word) || word === 'help') return;
  const near = nearestKey(word, names);
  throw new UserError(`unknown command '${word}': ${near ? `did you mean ${near}? ` : ''}commands are ${program.commands.map((c) => c.name()).join(', ')} (perfpulse-journeys --help)`);
}

async function main(argv: string[]): Promise<void> {
  tolerateClosedStdout();
  // this process only reads what journeys declare; the `playwright test` child runs them
  declareWithoutPlaywright();
  try {
    const program = buildProgram();
    checkCommandWord(program, argv);
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and --version exit 0; commander already printed its one-line error otherwise
      process.exitCode = err.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
    } else if (err instanceof UserError) {
      process.stderr.write(`perfpulse-journeys: ${oneLine(err)}\n`);
      process.exitCode = err.exitCode;
    } else {
      process.stderr.write(`perfpulse-journeys: internal error: ${oneLine(err)}\n`);
      if (process.env.PERFPULSE_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
      process.exitCode = ExitCode.internal;
    }
  }
}

await main(process.argv);
