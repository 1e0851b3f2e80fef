/** `perfpulse-journeys probe vospace`: the VOSpace transfer probe (src/probes/ops/vospace.ts) on an env profile. */
import { Command, Option } from 'commander';
import { credentialsFromEnv } from '../../config/credentials.ts';
import { builtinEnvNames, loadProfile } from '../../config/profile.ts';
import type { ExitCode } from '../../errors.ts';
import { VOSPACE_OPTIONS, vospaceDefaults } from '../../probes/ops/vospace.ts';
import { withFlags } from '../../probes/ops/options.ts';
import { probeOptions } from '../../probes/plan.ts';
import { DEMO_USER } from '../../replica/users.ts';
import { addDeliveryOptions, type DeliveryFlags } from '../flags.ts';
import { PROBE_EXIT_CODES, collect } from '../help.ts';
import { probeTarget } from '../probe-replica.ts';
import { finishProbes, sinkFor, vospaceDelivered } from '../probe-runs.ts';
import { vospaceTable } from '../probe-tables.ts';
import { withStop } from '../signals.ts';

const info = (line: string) => process.stderr.write(`${line}\n`);

const VOSPACE_HELP = `
What it does, for the run's user (PERFPULSE_USERNAME, PERFPULSE_PASSWORD[_FILE]; the demo user on --env local),
on each service, as vcp does (docs/probes.md):
  set-up      login, the service's endpoints from the registry, a test node left by an earlier run deleted,
              the scratch folder home/<user>/<folder> created when missing (none of it timed)
  vos_push    negotiate a pushToVoSpace transfer (POST <svc>/synctrans and its 303s), PUT the random bytes
              with Digest: md5=…, check the Digest the service answers
  vos_pull    negotiate a pullFromVoSpace transfer, GET the bytes, compare their md5 with the answer's
              Digest and with the bytes pushed (a mismatch fails as class download)
  vos_delete  DELETE <svc>/nodes/<file>
  clean-up    always, also after a failure or Ctrl-C: the test node, and the scratch folder when empty
Each operation is timed per phase: negotiate, transfer, whole (perfpulse_vos_transfer_duration_seconds{kind,phase}).
Pushed with PUT to job perfpulse_vos_transfers, group {env}. It writes to the user's storage: a plain
run does it only where the env profile enables probes.vospace (the local profile does).

Examples:
  $ perfpulse-journeys probe vospace --env local
      push, pull and delete 1 MiB on the bundled replica's vault and arc, print the exposition text
  $ PERFPULSE_USERNAME=me PERFPULSE_PASSWORD_FILE=/run/secrets/cadc \\
      perfpulse-journeys probe vospace --env prod --services arc --size 16MiB --pushgateway http://pushgateway:9091
  $ perfpulse-journeys probe vospace --env local --replica-fault "GET /arc/files/{path+}=corrupt" --dry-run
${PROBE_EXIT_CODES}`;

interface VospaceFlags extends DeliveryFlags {
  env: string;
  services?: string;
  size?: string;
  folder?: string;
  timeout?: string;
  pushgateway?: string;
  dryRun?: boolean;
  replicaFault?: string[];
}

export async function probeVospaceCommand(flags: VospaceFlags): Promise<ExitCode> {
  const base = loadProfile(flags.env);
  const config = withFlags(VOSPACE_OPTIONS, probeOptions(base).vospace ?? vospaceDefaults(), flags as unknown as Record<string, unknown>);
  // a local run without a gateway prints, like --dry-run
  const sink = sinkFor({ ...flags, dryRun: flags.dryRun || (base.replica && !flags.pushgateway && !process.env.PERFPULSE_PUSHGATEWAY) });
  const credentials = credentialsFromEnv(process.env, base.replica ? DEMO_USER : undefined);
  const target = await probeTarget(base, flags.replicaFault ?? [], info);
  try {
    const [run, aborted] = await withStop(
      (sig) => info(`received ${sig}: cleaning up, then delivering what was measured`),
      (signal) => vospaceDelivered({ profile: target.profile, credentials, config, log: info, signal }, sink),
    );
    info(vospaceTable(run.results));
    return finishProbes(run, aborted);
  } finally {
    await target.stop();
  }
}

export function vospaceProbeCommand(): Command {
  const cmd = addDeliveryOptions(new Command('vospace'))
    .description("time a VOSpace transfer as vcp does it: push, pull (digest compared) and delete a test file under the user's home on vault and/or arc")
    .addOption(new Option('-e, --env <name|file>', `env profile: ${builtinEnvNames().join(', ')}, or a .yaml file`).default('local'));
  for (const o of Object.values(VOSPACE_OPTIONS)) cmd.option(o.flag, `${o.help} (default: the profile's probes.vospace.${o.key}, else ${o.default})`);
  return cmd
    .addOption(new Option('--pushgateway <url>', 'Pushgateway base URL; user-info becomes Basic auth').env('PERFPULSE_PUSHGATEWAY'))
    .option('--dry-run', 'print the Prometheus exposition text to stdout and push nothing', false)
    .option('--replica-fault <spec>', 'inject a fault into the bundled replica (repeatable), e.g. "PUT /arc/files/{path+}=delay:500"', collect, [])
    .addHelpText('after', VOSPACE_HELP)
    .action(async (flags: VospaceFlags) => {
      process.exitCode = await probeVospaceCommand(flags);
    });
}
