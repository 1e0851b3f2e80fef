/** `perfpulse-journeys probe headless`: the headless batch-job probe (src/probes/ops/headless.ts) on an env profile. */
import { Command, Option } from 'commander';
import { credentialsFromEnv } from '../../config/credentials.ts';
import { builtinEnvNames, loadProfile } from '../../config/profile.ts';
import type { ExitCode } from '../../errors.ts';
import { HEADLESS_OPTIONS, headlessDefaults } from '../../probes/ops/headless.ts';
import { withFlags } from '../../probes/ops/options.ts';
import { probeOptions } from '../../probes/plan.ts';
import { DEMO_USER } from '../../replica/users.ts';
import { addDeliveryOptions, type DeliveryFlags } from '../flags.ts';
import { PROBE_EXIT_CODES, collect } from '../help.ts';
import { probeTarget } from '../probe-replica.ts';
import { finishProbes, headlessDelivered, sinkFor } from '../probe-runs.ts';
import { headlessTable } from '../probe-tables.ts';
import { withStop } from '../signals.ts';

const info = (line: string) => process.stderr.write(`${line}\n`);

const HEADLESS_HELP = `
What it does, for the run's user (PERFPULSE_USERNAME, PERFPULSE_PASSWORD[_FILE]; the demo user on --env local):
submits one headless skaha session (POST /skaha/v1/session, type=headless, image, cmd, args), watches
GET /skaha/v1/session every --poll seconds, and times, from the POST being sent (docs/probes.md):
  submit      the session id answered
  visible     the id first listed
  running     status Running first seen
  completed   status Completed (or Succeeded) first seen
  whole       the session deleted (DELETE answered)
A job not completed within --deadline fails with class timeout (counted as result="timeout"); a job that
ends Failed fails with class assertion; either way its events and logs are read for the one-line reason.
The session is always deleted, also after a failure or Ctrl-C; a session of the same name left by an
earlier run is deleted first. Pushed with PUT to job perfpulse_skaha_headless, group {env}:
perfpulse_skaha_headless_job_duration_seconds{phase}, perfpulse_skaha_headless_jobs_total{result},
perfpulse_skaha_headless_jobs_expected_count. It starts a job: a plain run does it only where the env
profile enables probes.headless (the local profile does).

Examples:
  $ perfpulse-journeys probe headless --env local
  $ PERFPULSE_USERNAME=me PERFPULSE_PASSWORD_FILE=/run/secrets/cadc \\
      perfpulse-journeys probe headless --env prod --deadline 600 --pushgateway http://pushgateway:9091
  $ perfpulse-journeys probe headless --env local --replica-fault "POST /skaha/v1/session=stuck" --deadline 10 --dry-run
${PROBE_EXIT_CODES}`;

interface HeadlessFlags extends DeliveryFlags {
  env: string;
  image?: string;
  cmd?: string;
  args?: string;
  name?: string;
  deadline?: string;
  poll?: string;
  timeout?: string;
  pushgateway?: string;
  dryRun?: boolean;
  replicaFault?: string[];
}

export async function probeHeadlessCommand(flags: HeadlessFlags): Promise<ExitCode> {
  const base = loadProfile(flags.env);
  const config = withFlags(HEADLESS_OPTIONS, probeOptions(base).headless ?? headlessDefaults(), flags as unknown as Record<string, unknown>);
  // a local run without a gateway prints, like --dry-run
  const sink = sinkFor({ ...flags, dryRun: flags.dryRun || (base.replica && !flags.pushgateway && !process.env.PERFPULSE_PUSHGATEWAY) });
  const credentials = credentialsFromEnv(process.env, base.replica ? DEMO_USER : undefined);
  const target = await probeTarget(base, flags.replicaFault ?? [], info);
  try {
    const [run, aborted] = await withStop(
      (sig) => info(`received ${sig}: deleting the session, then delivering what was measured`),
      (signal) => headlessDelivered({ profile: target.profile, credentials, config, log: info, signal }, sink),
    );
    info(headlessTable(run.results));
    return finishProbes(run, aborted);
  } finally {
    await target.stop();
  }
}

export function headlessProbeCommand(): Command {
  const cmd = addDeliveryOptions(new Command('headless'))
    .description('time a headless skaha batch job: submitted, listed, Running, Completed, deleted; jobs past their deadline counted')
    .addOption(new Option('-e, --env <name|file>', `env profile: ${builtinEnvNames().join(', ')}, or a .yaml file`).default('local'));
  for (const o of Object.values(HEADLESS_OPTIONS)) cmd.option(o.flag, `${o.help} (default: the profile's probes.headless.${o.key}, else ${o.default})`);
  return cmd
    .addOption(new Option('--pushgateway <url>', 'Pushgateway base URL; user-info becomes Basic auth').env('PERFPULSE_PUSHGATEWAY'))
    .option('--dry-run', 'print the Prometheus exposition text to stdout and push nothing', false)
    .option('--replica-fault <spec>', 'inject a fault into the bundled replica (repeatable), e.g. "POST /skaha/v1/session=stuck"', collect, [])
    .addHelpText('after', HEADLESS_HELP)
    .action(async (flags: HeadlessFlags) => {
      process.exitCode = await probeHeadlessCommand(flags);
    });
}
