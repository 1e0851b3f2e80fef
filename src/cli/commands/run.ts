/** `perfpulse-journeys run` (the default command): flags, help and examples. */
import { Command, Option } from 'commander';
import { builtinEnvNames } from '../../config/profile.ts';
import { availableJourneys } from '../../runtime/journeys.ts';
import { EXIT_CODES_HELP, collect } from '../help.ts';
import { runCommand, type RunFlags } from '../run.ts';
import { ABSOLUTE_MAX_USERS, USER_MEMORY_BYTES, usersBound } from '../users.ts';
import { addDeliveryOptions } from './push.ts';

const RUN_EXAMPLES = `
Examples:
  $ perfpulse-journeys --env local
      run every journey on the bundled replica, push to a Pushgateway started for the run
  $ perfpulse-journeys --env local --dry-run
      print the Prometheus exposition text instead of pushing
  $ PERFPULSE_USERNAME=me PERFPULSE_PASSWORD_FILE=/run/secrets/cadc \\
      perfpulse-journeys --env prod --pushgateway http://pushgateway:9091
  $ perfpulse-journeys --env ./my-portal.yaml --journeys login
  $ perfpulse-journeys --env local --report perfpulse-report
      also write perfpulse-report/report.json and report.html
  $ perfpulse-journeys --env local --replica-fault "POST /access/login=delay:800"
      slow the replica's login POST by 800 ms and watch submit_credentials move
  $ perfpulse-journeys --env local --journeys science_portal --launch-sessions
      also launch a notebook session, wait until it is Running, and delete it
  $ perfpulse-journeys --env local --journeys login,search --users 2
      two virtual users at once; metrics and the table give per step the median, and the
      slowest user, and how many users passed (with a bar on a terminal)
  $ perfpulse-journeys --env prod --only probes --pushgateway http://pushgateway:9091
      only the API probes the profile enables (its probes: section); see perfpulse-journeys probe --help

Credentials come only from the environment: PERFPULSE_USERNAME plus PERFPULSE_PASSWORD_FILE
(preferred) or PERFPULSE_PASSWORD. --env local defaults to the replica's demo user.
${EXIT_CODES_HELP}`;

export function runCommandDefinition(): Command {
  const cmd = new Command('run')
    .description('run journeys on an env and push their timings (the default command)')
    .addOption(new Option('-e, --env <name|file>', `env profile: ${builtinEnvNames().join(', ')}, or a .yaml file`).default('local'))
    .option('-j, --journeys <list>', `comma-separated journeys to run (default: all of ${availableJourneys().join(', ')})`)
    .addOption(new Option('--pushgateway <url>', 'Pushgateway base URL; user-info becomes Basic auth').env('PERFPULSE_PUSHGATEWAY'))
    .option('--dry-run', 'print the Prometheus exposition text to stdout and push nothing', false)
    .addOption(
      new Option('--browser <path>', "Chromium executable (default: Playwright's own if installed, else /usr/bin/chromium)").env('PERFPULSE_BROWSER'),
    )
    .option(
      '--replica-fault <spec>',
      'inject a fault into the bundled replica, repeatable; kinds delay:<ms>, status:<code>, hang, slowbody:<bytes/s>, wrongpage: "POST /access/login=delay:500", "GET /en/=wrongpage"',
      collect,
      [],
    )
    .option('-o, --output <dir>', 'where screenshots and traces of failed journeys go', 'test-results')
    .option('--launch-sessions', 'let science_portal launch a real session, wait until it is Running and delete it', false)
    .addOption(new Option('--only <what>', "run only the journeys, or only the probes the env profile enables (probes: section)").choices(['journeys', 'probes']))
    .option('--report <dir>', 'write report.json and a self-contained report.html (steps, Web Vitals, failures) into <dir>')
    .option(
      '--users <n>',
      `concurrent virtual users, each a browser of its own running every selected journey (default 1; at most ${usersBound()} here: one per CPU from os.availableParallelism() and per ${USER_MEMORY_BYTES / 2 ** 20} MiB of memory)`,
    )
    .option('--users-max-override', `allow --users above this machine's limit, up to ${ABSOLUTE_MAX_USERS}`, false)
    .addHelpText('after', RUN_EXAMPLES)
    .action(async (flags: RunFlags) => {
      process.exitCode = await runCommand(flags);
    });
  return addDeliveryOptions(cmd);
}
