/** `perfpulse-journeys run` (the default command): flags, help and examples. */
import { Command, Option } from 'commander';
import { ExitCode } from '../../errors.ts';
import { builtinEnvNames } from '../../config/profile.ts';
import { availableJourneys } from '../../runtime/runner/journeys.ts';
import { ERROR_CLASSES_HELP, EXIT_CODES_HELP, collect } from '../help.ts';
import { DEFAULT_SLEEP_SECONDS } from '../loop.ts';
import { runCommand, type RunFlags } from '../run.ts';
import { ABSOLUTE_MAX_USERS, USER_MEMORY_BYTES, usersBound } from '../users.ts';
import { MAX_SHARDS, addDeliveryOptions, withRange } from '../flags.ts';
import { TRACE_MODES, throttleNames } from '../../runtime/browser/emulation.ts';

const RUN_EXAMPLES = `
Examples:
  $ perfpulse-journeys --env local
      run every journey on the bundled replica, push to a Pushgateway started for the run
  $ perfpulse-journeys --env local --dry-run
      print the Prometheus exposition text instead of pushing
  $ PERFPULSE_USERNAME=me PERFPULSE_PASSWORD_FILE=/run/secrets/cadc \\
      perfpulse-journeys --env prod --pushgateway http://pushgateway:9091
  $ perfpulse-journeys --env ./my-portal.yaml --journeys login
  $ perfpulse-journeys --env local --journeys-dir ./journeys --journeys login,my_flow
      your own journeys/my_flow.journey.ts beside the built-in login (perfpulse-journeys init makes a project for them)
  $ perfpulse-journeys --env local --report perfpulse-report
      also write perfpulse-report/report.json and report.html
  $ perfpulse-journeys --env prod --junit perfpulse-junit.xml --pushgateway http://pushgateway:9091
      also write JUnit XML that GitLab, GitHub Actions or Jenkins show as test results
  $ perfpulse-journeys --env prod --budgets budgets.yaml --fail-on-budget --pushgateway http://pushgateway:9091
      hold each step to its limits; exit ${ExitCode.overBudget} when one went over its fail limit
      (budgets.yaml:  login: { submit_credentials: { warn: 2, fail: 5 }, _journey: { fail: 10 } })
  $ perfpulse-journeys --env local --replica-fault "POST /access/login=delay:800"
      slow the replica's login POST by 800 ms and watch submit_credentials move
  $ perfpulse-journeys --env local --journeys login --replica-fault "GET /ac/whoami=hang"
      whoami never answers: the summary ends with the failure line
      login › see_user_menu: visible (locator('li.user-authenticated span.auth-username')): hidden, waited 15 s
  $ perfpulse-journeys --env local --journeys science_portal --launch-sessions
      also launch a notebook session, wait until it is Running, and delete it
  $ perfpulse-journeys --env local --journeys login,search --users 2
      two virtual users at once; metrics and the table give per step the median, and the
      slowest user, and how many users passed (with a bar on a terminal)
  $ perfpulse-journeys --env prod --only probes --pushgateway http://pushgateway:9091
      only the API probes the profile enables (its probes: section); see perfpulse-journeys probe --help
  $ perfpulse-journeys --env prod --count -1 --sleep 300 --pushgateway http://pushgateway:9091
      measure every 5 minutes until SIGINT/SIGTERM (the replica and a local gateway start once)
  $ perfpulse-journeys --env local --journeys login --count 3 --sleep 10 --json | jq .exitCode
      three iterations, one JSON document each on stdout (JSON Lines)
  $ perfpulse-journeys --env prod --shard 2/4 --pushgateway http://pushgateway:9091
      the second quarter of the journeys (an Indexed Job pod needs no flag: JOB_COMPLETION_INDEX
      and PERFPULSE_SHARD_COUNT say which shard it is)

Shards count from 1 (as Playwright's --shard): the selected journeys, sorted by name, are dealt
round-robin, so each is measured by exactly one shard; the profile's probes run in shard 1 only.
In an Indexed Job the shard is JOB_COMPLETION_INDEX + 1 of --shard-count (else
PERFPULSE_SHARD_COUNT). A shard left without journeys says so and exits 0.

A failed journey ends the summary with one line, "<journey> › <step>: <what was expected>
(<locator>): <what was seen>" (a timeout says how long it waited; a journey's own error is kept
as it is); the same line is in --json, the --report and the progress log, and the report also
holds Playwright's whole error. No password or token is ever in them.
${ERROR_CLASSES_HELP}

A loop's exit code is the worst of its iterations: 4 (stopped by a signal) over 3 (not delivered)
over 1 (a journey or probe failed) over 0. A signal during --sleep ends the loop at once.
  $ perfpulse-journeys --env prod --retries 2 --pushgateway http://pushgateway:9091
      retry a failed journey up to twice; one that then passes is "flaky (passed on attempt 2)", exit 0
  $ perfpulse-journeys --env local --journeys login --trace on --output traces
      keep every journey's redacted trace in traces/ (open with npx playwright show-trace)
  $ perfpulse-journeys --env local --trace off
      never trace: no trace even of a failed journey, and no traced re-run of it
  $ xvfb-run -a perfpulse-journeys --env local --journeys login --headed
      a visible browser window (here on a virtual display: Debian package xvfb)
  $ perfpulse-journeys --env prod --throttle slow-3g --pushgateway http://pushgateway:9091
      throttle the browser's network like Chrome DevTools' Slow 3G; series get network="slow-3g"
  $ perfpulse-journeys --env prod --device "Pixel 7" --dry-run
      emulate a Pixel 7 (viewport, user agent, pixel ratio, touch) in Chromium; series get device="pixel_7"

Credentials come only from the environment: PERFPULSE_USERNAME plus PERFPULSE_PASSWORD_FILE
(preferred) or PERFPULSE_PASSWORD. --env local defaults to the replica's demo user.
${EXIT_CODES_HELP}`;

export function runCommandDefinition(): Command {
  const cmd = new Command('run')
    .description('run journeys on an env and push their timings (the default command)')
    .addOption(new Option('-e, --env <name|file>', `env profile: ${builtinEnvNames().join(', ')}, or a .yaml file`).default('local'))
    .option('-j, --journeys <list>', `comma-separated journeys to run (default: all, the built-in ${availableJourneys().join(', ')} and those of --journeys-dir)`)
    .addOption(new Option('--journeys-dir <dir>', "your own <name>.journey.ts files, run beside the built-in journeys (default: the env profile's journeys_dir)").env('PERFPULSE_JOURNEYS_DIR'))
    .addOption(new Option('--pushgateway <url>', 'Pushgateway base URL; user-info becomes Basic auth').env('PERFPULSE_PUSHGATEWAY'))
    .option('--dry-run', 'print the Prometheus exposition text to stdout and push nothing', false)
    .addOption(
      new Option('--browser <path>', "Chromium executable (default: Playwright's own if installed, else /usr/bin/chromium)").env('PERFPULSE_BROWSER'),
    )
    .option(
      '--replica-fault <spec>',
      'inject a fault into the bundled replica, repeatable; kinds delay:<ms>, status:<code>, hang, slowbody:<bytes/s>, wrongpage, corrupt, stuck, nocookie: "POST /access/login=delay:500", "GET /en/=wrongpage"',
      collect,
      [],
    )
    .option('-o, --output <dir>', 'where screenshots and traces of failed journeys go, and each one\'s evidence folder <dir>/evidence/<journey> (trace, masked screenshot, the bodies pushed, step log, error class)', 'test-results')
    .option('--launch-sessions', 'let science_portal launch a real session, wait until it is Running and delete it', false)
    .addOption(new Option('--only <what>', "run only the journeys, or only the probes the env profile enables (probes: section)").choices(['journeys', 'probes']))
    .option('--report <dir>', 'write report.json and a self-contained report.html (steps, Web Vitals, failures with Playwright\'s whole error) into <dir>')
    .option('--junit <file>', 'also write the run as JUnit XML for CI test reports: a testsuite per journey, a testcase per step (failure type = its error class, skipped = not reached)')
    .option('--budgets <file>', 'hold steps, journeys (_journey) and page Web Vitals (_pages) to warn/fail limits in seconds (YAML; overrides the profile\'s budgets:): ok, degraded or failed in the table, --json, the report, JUnit and metrics')
    .option('--fail-on-budget', `exit ${ExitCode.overBudget} when a budget's fail limit was exceeded (without it a breach is reported, not fatal)`, false)
    .option('--shard <i/n>', `run shard i of n (1-based): every selected journey is run by exactly one shard (default: from JOB_COMPLETION_INDEX) [n whole number 1 to ${MAX_SHARDS}, i 1 to n]`)
    .option('--shard-count <n>', withRange('--shard-count', 'with JOB_COMPLETION_INDEX (an Indexed Job, 0-based): run shard JOB_COMPLETION_INDEX+1 of n (default: $PERFPULSE_SHARD_COUNT)'))
    .option('--count <n>', withRange('--count', 'run everything n times; -1 = until SIGINT/SIGTERM'), '1')
    .option('--sleep <seconds>', withRange('--sleep', 'pause between iterations of --count'), String(DEFAULT_SLEEP_SECONDS))
    .option('--max-run-seconds <n>', withRange('--max-run-seconds', `run watchdog: end the run this long after it started (the journeys are stopped as by SIGINT), deliver or spool what was measured, exit ${ExitCode.watchdog}; bounds every iteration of --count together (default: no limit)`))
    .option('--json', 'one JSON document per iteration on stdout (JSON Lines) instead of the summary table; not with --dry-run', false)
    // browser options (src/cli/browser-flags.ts): checked before anything starts
    .option('--retries <n>', withRange('--retries', 'retry a failed journey up to n times; passing on a retry is reported as flaky, journey_success 1, exit 0'), '0')
    .option('--trace <mode>', `${TRACE_MODES.join('|')}: on-failure measures untraced and runs a failed journey once more, traced, for its evidence (not measured); on keeps every journey's redacted trace; off never traces; retain-on-failure traces every attempt and keeps a failed one's (costs step time)`, 'on-failure')
    .option('--headed', 'show the browser window (needs a display; without one use xvfb-run -a)', false)
    .option('--throttle <profile>', `throttle the browser's network (Chromium DevTools protocol): ${throttleNames().join(', ')}; adds the label network="<profile>"`)
    .option('--device <name>', 'emulate a Playwright device in Chromium ("Pixel 7", "iPhone 15", "iPad Mini"...); adds the label device="<slug>"')
    .option(
      '--users <n>',
      withRange('--users', `concurrent virtual users, each a browser of its own running every selected journey (default 1; at most ${usersBound()} here: one per CPU from os.availableParallelism() and per ${USER_MEMORY_BYTES / 2 ** 20} MiB of memory)`),
    )
    .option('--users-max-override', `allow --users above this machine's limit, up to ${ABSOLUTE_MAX_USERS}`, false)
    .addHelpText('after', RUN_EXAMPLES)
    .action(async (flags: RunFlags) => {
      process.exitCode = await runCommand(flags);
    });
  return addDeliveryOptions(cmd);
}
