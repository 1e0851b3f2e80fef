/** `perfpulse-journeys probe http`: the CADC service probes on an env profile's URL roles. */
import { Command, Option } from 'commander';
import { credentialsFromEnv } from '../../config/credentials.ts';
import { builtinEnvNames, loadProfile, withReplicaOrigin } from '../../config/profile.ts';
import { ExitCode, UserError } from '../../errors.ts';
import { HTTP_PROBES } from '../../probes/http/registry.ts';
import { DEFAULT_HTTP_SERVICES, HTTP_SERVICES, parseServices } from '../../probes/http/services.ts';
import { probeOptions, probesCa } from '../../probes/plan.ts';
import { faultTable } from '../../replica/faults.ts';
import { startReplica } from '../../replica/server.ts';
import { DEMO_USER } from '../../replica/users.ts';
import { addDeliveryOptions, numberFlag, secondsFlag, withRange, type DeliveryFlags } from '../flags.ts';
import { PROBE_EXIT_CODES, collect } from '../help.ts';
import { finishProbes, httpProbesDelivered, sinkFor } from '../probe-runs.ts';
import { httpTable } from '../probe-tables.ts';
import { withStop } from '../signals.ts';

const info = (line: string) => process.stderr.write(`${line}\n`);

const HTTP_HELP = `
What it measures (service label = the service, probe label = what was done; env = the profile's name):
  availability       GET /<svc>/availability, the VOSI XML parsed: perfpulse_vosi_available 1/0 (5xx → 0)
  capabilities       GET /<svc>/capabilities fetch time
  resource_caps      GET /reg/resource-caps (registry, Java-properties text)
  token_login        POST /ac/login with PERFPULSE_USERNAME / PERFPULSE_PASSWORD[_FILE] (never printed)
  tap_sync_query     POST /argus/sync (a one-row ADQL query) → 303 → GET …/run
  data_pub_redirect  GET /data/pub/<ARCHIVE>/<file> → 303 to minoc (the body is not downloaded)
  session_list       GET /skaha/v1/session with the token from token_login
  host_check         per URL role of the profile (role label: www, canfar, ws_cadc, ws, ws_uv), what a
                     blackbox prober tells: GET of the host's landing document timed by phase (dns, connect,
                     tls, first_byte, transfer), the certificate chain's earliest expiry and validity, the
                     HTTP version negotiated (perfpulse_http_*)
Every figure is one request's wall time (two for the TAP query), including a new TCP/TLS connection;
redirects are not followed. Certificates are verified against the system's CAs plus the profile's
probes.http.ca (a PEM file); a chain that does not verify fails the request before anything is sent.
Pushed with PUT to job perfpulse_api_probes, group {env}.

Examples:
  $ perfpulse-journeys probe http --env local
      probe the bundled replica, print the exposition text (a local run pushes nowhere unless --pushgateway)
  $ PERFPULSE_USERNAME=me PERFPULSE_PASSWORD_FILE=/run/secrets/cadc \\
      perfpulse-journeys probe http --env prod --pushgateway http://pushgateway:9091
  $ perfpulse-journeys probe http --env local --replica-fault "GET /argus/availability=status:503" --dry-run
${PROBE_EXIT_CODES}`;

interface HttpFlags extends DeliveryFlags {
  env: string;
  services?: string;
  /** The probes' options (src/probes/http/probe.ts ProbeOption), e.g. dataFile. */
  [option: string]: unknown;
  timeout: string;
  concurrency: string;
  pushgateway?: string;
  dryRun?: boolean;
  replicaFault?: string[];
}

export async function probeHttpCommand(flags: HttpFlags): Promise<ExitCode> {
  const base = loadProfile(flags.env);
  const fromProfile = probeOptions(base).http;
  const services = parseServices(flags.services?.split(',') ?? fromProfile?.services);
  const timeoutMs = secondsFlag('--timeout', flags.timeout);
  const concurrency = numberFlag('--concurrency', flags.concurrency);
  const ca = probesCa(base);
  const faults = faultTable(flags.replicaFault ?? []);
  if (faults.size && !base.replica) throw new UserError(`--replica-fault needs an env with the bundled replica (env ${base.name} has none)`);
  // a local run without a gateway prints, like --dry-run
  const sink = sinkFor({ ...flags, dryRun: flags.dryRun || (base.replica && !flags.pushgateway && !process.env.PERFPULSE_PUSHGATEWAY) });
  const credentials = credentialsFromEnv(process.env, base.replica ? DEMO_USER : undefined);

  let profile = base;
  let stop: (() => Promise<void>) | undefined;
  let replicaServes: ((m: string, p: string) => boolean) | undefined;
  if (base.replica) {
    const replica = await startReplica({ faults });
    stop = replica.stop;
    const unknown = [...faults.keys()].filter((k) => !replica.routeKeys.includes(k));
    if (unknown.length) {
      await stop();
      throw new UserError(`--replica-fault names no replica route: ${unknown.join(', ')}`);
    }
    profile = withReplicaOrigin(base, replica.origin);
    replicaServes = replica.serves;
    info(`replica: serving the CADC portal on ${replica.origin}`);
  }
  try {
    const [run, aborted] = await withStop(
      (sig) => info(`received ${sig}: stopping after this round, then delivering what was measured`),
      () => httpProbesDelivered({ profile, services, credentials, options: optionValues(flags, fromProfile?.options), timeoutMs, concurrency, log: info, replicaServes, ca }, sink),
    );
    info(httpTable(run.results));
    return finishProbes(run, aborted);
  } finally {
    await stop?.();
  }
}

/** Each probe option's value: its flag, else the env profile's (a flag's name is the option's). */
function optionValues(flags: HttpFlags, fromProfile: Record<string, string | undefined> | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const name of HTTP_PROBES.flatMap((p) => Object.keys(p.options ?? {}))) {
    const value = flags[name] ?? fromProfile?.[name];
    out[name] = typeof value === 'string' ? value : undefined;
  }
  return out;
}

export function httpProbeCommand(): Command {
  const cmd = addDeliveryOptions(new Command('http'))
    .description('time the CADC web services of an env profile: VOSI availability/capabilities, registry, ac login, TAP, /data/pub, skaha')
    .addOption(new Option('-e, --env <name|file>', `env profile: ${builtinEnvNames().join(', ')}, or a .yaml file`).default('local'))
    .option('--services <list>', `services, comma-separated: ${Object.keys(HTTP_SERVICES).join(', ')} (default: the profile's probes.http.services, else ${DEFAULT_HTTP_SERVICES.join(',')})`);
  for (const option of HTTP_PROBES.flatMap((p) => Object.values(p.options ?? {}))) {
    cmd.option(option.flag, `${option.help} (default: ${option.profile ? `the profile's probes.http.${option.profile.key}, else ` : ''}${option.default})`);
  }
  return cmd
    .option('--timeout <seconds>', withRange('--timeout', 'hard deadline of every request'), '15')
    .option('--concurrency <n>', withRange('--concurrency', 'requests at once'), '2')
    .addOption(new Option('--pushgateway <url>', 'Pushgateway base URL; user-info becomes Basic auth').env('PERFPULSE_PUSHGATEWAY'))
    .option('--dry-run', 'print the Prometheus exposition text to stdout and push nothing', false)
    .option('--replica-fault <spec>', 'inject a fault into the bundled replica (repeatable), e.g. "GET /argus/availability=status:503"', collect, [])
    .addHelpText('after', HTTP_HELP)
    .action(async (flags: HttpFlags) => {
      process.exitCode = await probeHttpCommand(flags);
    });
}
