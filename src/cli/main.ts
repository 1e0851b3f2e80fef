/**
 * perfpulse-journeys command line. Every failure the user can fix ends with one line on stderr
 * and a distinct exit code (src/errors.ts); stack traces only with PERFPULSE_DEBUG=1.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { builtinEnvNames, loadProfile, URL_ROLES } from '../config/profile.ts';
import { ExitCode, UserError, oneLine } from '../errors.ts';
import { availableJourneys, PROJECT_ROOT } from '../runtime/journeys.ts';
import { runCommand, type RunFlags } from './run.ts';

const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };

const EXIT_CODES_HELP = `
Exit codes:
  0   every journey passed and its metrics were delivered (or printed by --dry-run)
  1   a journey failed (its metrics were still delivered)
  2   bad input: unknown env, bad flag, unreadable profile or password file, missing tool
  3   metrics not delivered to the Pushgateway
  4   aborted by SIGINT/SIGTERM
  70  internal error (PERFPULSE_DEBUG=1 shows the stack)`;

const RUN_EXAMPLES = `
Examples:
  $ perfpulse-journeys --env local
      run every journey on the bundled replica, push to a Pushgateway started for the run
  $ perfpulse-journeys --env local --dry-run
      print the Prometheus exposition text instead of pushing
  $ PERFPULSE_USERNAME=me PERFPULSE_PASSWORD_FILE=/run/secrets/cadc \\
      perfpulse-journeys --env prod --pushgateway http://pushgateway:9091
  $ perfpulse-journeys --env ./my-portal.yaml --journeys login
  $ perfpulse-journeys --env local --replica-fault "POST /access/login=delay:800"
      slow the replica's login POST by 800 ms and watch submit_credentials move

Credentials come only from the environment: PERFPULSE_USERNAME plus PERFPULSE_PASSWORD_FILE
(preferred) or PERFPULSE_PASSWORD. --env local defaults to the replica's demo user.
${EXIT_CODES_HELP}`;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function buildProgram(): Command {
  const program = new Command('perfpulse-journeys')
    .description(
      'Times what a CADC/CANFAR portal user feels: runs Playwright journeys in headless Chromium, times each step,\n' +
        'and pushes the timings as labeled Prometheus metrics to a Pushgateway.',
    )
    .version(pkg.version)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`perfpulse-journeys: ${text.replace(/^error: /, '')}`) });

  program
    .command('run', { isDefault: true })
    .description('run journeys on an env and push their timings (the default command)')
    .addOption(new Option('-e, --env <name|file>', `env profile: ${builtinEnvNames().join(', ')}, or a .yaml file`).default('local'))
    .option('-j, --journeys <list>', `comma-separated journeys to run (default: all of ${availableJourneys().join(', ')})`)
    .addOption(new Option('--pushgateway <url>', 'Pushgateway base URL; user-info becomes Basic auth').env('PERFPULSE_PUSHGATEWAY'))
    .option('--dry-run', 'print the Prometheus exposition text to stdout and push nothing', false)
    .addOption(new Option('--browser <path>', 'Chromium executable (default: Playwright\'s own if installed, else /usr/bin/chromium)').env('PERFPULSE_BROWSER'))
    .option('--replica-fault <spec>', 'inject a fault into the bundled replica, repeatable: "POST /access/login=delay:500", "GET /en/=status:503", "GET /ac/whoami=hang"', collect, [])
    .option('-o, --output <dir>', 'where screenshots of failed journeys go', 'test-results')
    .addHelpText('after', RUN_EXAMPLES)
    .action(async (flags: RunFlags) => {
      process.exitCode = await runCommand(flags);
    });

  program
    .command('envs')
    .description('list the built-in env profiles and their base URLs')
    .addHelpText('after', '\nExample:\n  $ perfpulse-journeys envs\n\nA custom profile is a .yaml file with the same fields (docs/environments.md).')
    .action(() => {
      for (const name of builtinEnvNames()) {
        const p = loadProfile(name);
        process.stdout.write(`${p.name}  ${p.description}${p.replica ? '  [bundled replica]' : ''}\n`);
        for (const role of URL_ROLES) process.stdout.write(`  ${role.padEnd(8)} ${p.urls[role]}\n`);
      }
    });

  program
    .command('journeys')
    .description('list the journeys this installation has')
    .addHelpText('after', '\nExample:\n  $ perfpulse-journeys journeys\n\nEach is journeys/<name>.journey.ts; docs/journeys.md lists their steps.')
    .action(() => {
      for (const j of availableJourneys()) process.stdout.write(`${j}\n`);
    });

  program.addHelpText('after', EXIT_CODES_HELP);
  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
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
