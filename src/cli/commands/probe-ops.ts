/**
 * The commands of the probes that act for the user (`probe vospace`, `probe headless`): one
 * factory, since they differ only in their probe, its option table (src/probes/ops/options.ts),
 * help, body and table. Each option's flag comes from the table and overrides the env profile's
 * `probes.<name>` key, which overrides the default; --env local starts the bundled replica
 * (with --replica-fault); without a gateway a local run prints, like --dry-run.
 */
import { Command, Option } from 'commander';
import type { Credentials } from '../../config/credentials.ts';
import { credentialsFromEnv } from '../../config/credentials.ts';
import { builtinEnvNames, loadProfile, type EnvProfile } from '../../config/profile.ts';
import type { ExitCode } from '../../errors.ts';
import { withFlags, type OptionTable } from '../../probes/ops/options.ts';
import { probeOptions } from '../../probes/plan.ts';
import type { Sink } from '../../push/sink.ts';
import { DEMO_USER } from '../../replica/users.ts';
import { addDeliveryOptions, type DeliveryFlags } from '../flags.ts';
import { collect } from '../help.ts';
import { probeTarget } from '../probe-replica.ts';
import { finishProbes, sinkFor, type ProbesDelivered } from '../probe-runs.ts';
import { withStop } from '../signals.ts';

const info = (line: string) => process.stderr.write(`${line}\n`);

interface OpsFlags extends DeliveryFlags {
  env: string;
  pushgateway?: string;
  dryRun?: boolean;
  replicaFault?: string[];
  /** The table's options, by commander's camelCase of their flags. */
  [option: string]: unknown;
}

export interface OpsProbeCommand<C extends object, R> {
  /** `vospace`: the subcommand, and the profile's `probes.<name>`. */
  name: 'vospace' | 'headless';
  description: string;
  /** The text after the flags: what it does, examples, exit codes. */
  help: string;
  options: OptionTable;
  defaults: () => C;
  /** What it says on SIGINT/SIGTERM before it delivers: `cleaning up`. */
  onStop: string;
  /** A --replica-fault example for its help. */
  faultExample: string;
  deliver: (o: { profile: EnvProfile; credentials?: Credentials; config: C; log: (line: string) => void; signal?: AbortSignal }, sink: Sink) => Promise<ProbesDelivered<R>>;
  table: (results: R) => string;
}

async function runOpsProbe<C extends object, R>(d: OpsProbeCommand<C, R>, flags: OpsFlags): Promise<ExitCode> {
  const base = loadProfile(flags.env);
  const fromProfile = probeOptions(base)[d.name] as C | undefined;
  const config = withFlags(d.options, fromProfile ?? d.defaults(), flags);
  // a local run without a gateway prints, like --dry-run
  const sink = sinkFor({ ...flags, dryRun: flags.dryRun || (base.replica && !flags.pushgateway && !process.env.PERFPULSE_PUSHGATEWAY) });
  const credentials = credentialsFromEnv(process.env, base.replica ? DEMO_USER : undefined);
  const target = await probeTarget(base, flags.replicaFault ?? [], info);
  try {
    const [run, aborted] = await withStop(
      (sig) => info(`received ${sig}: ${d.onStop}, then delivering what was measured`),
      (signal) => d.deliver({ profile: target.profile, credentials, config, log: info, signal }, sink),
    );
    info(d.table(run.results));
    return finishProbes(run, aborted);
  } finally {
    await target.stop();
  }
}

export function opsProbeCommand<C extends object, R>(d: OpsProbeCommand<C, R>): Command {
  const cmd = addDeliveryOptions(new Command(d.name))
    .description(d.description)
    .addOption(new Option('-e, --env <name|file>', `env profile: ${builtinEnvNames().join(', ')}, or a .yaml file`).default('local'));
  for (const o of Object.values(d.options)) cmd.option(o.flag, `${o.help} (default: the profile's probes.${d.name}.${o.key}, else ${o.default})`);
  return cmd
    .addOption(new Option('--pushgateway <url>', 'Pushgateway base URL; user-info becomes Basic auth').env('PERFPULSE_PUSHGATEWAY'))
    .option('--dry-run', 'print the Prometheus exposition text to stdout and push nothing', false)
    .option('--replica-fault <spec>', `inject a fault into the bundled replica (repeatable), e.g. "${d.faultExample}"`, collect, [])
    .addHelpText('after', d.help)
    .action(async (flags: OpsFlags) => {
      process.exitCode = await runOpsProbe(d, flags);
    });
}
