/**
 * The probes' part of `perfpulse-journeys [run]`: the probes the env profile enables run after the
 * journeys, in the same process, each pushed to its own group; `--only journeys|probes` narrows
 * the run. Kept here so src/cli/run.ts only calls in.
 */
import type { Credentials } from '../config/credentials.ts';
import type { EnvProfile } from '../config/profile.ts';
import { ExitCode, UserError } from '../errors.ts';
import type { RunResults } from '../results/results.ts';
import type { DeliverOptions } from '../push/deliver.ts';
import { gatewayDelivery, stdoutDelivery } from './deliver.ts';
import { prepareProfileProbes, runProfileProbes, type PreparedProbes, type ProfileProbesResult } from './run-profile.ts';

export type Only = 'journeys' | 'probes';

export function parseOnly(value: string | undefined): Only | undefined {
  if (value === undefined) return undefined;
  if (value !== 'journeys' && value !== 'probes') throw new UserError(`--only must be journeys or probes (got ${JSON.stringify(value)})`);
  return value;
}

/** The probes this run will do (validated now, before anything starts), or undefined for none. */
export async function prepareRunProbes(profile: EnvProfile, only: Only | undefined): Promise<PreparedProbes | undefined> {
  if (only === 'journeys') return undefined;
  const prepared = await prepareProfileProbes(profile);
  const any = Boolean(prepared.services || prepared.k8sTarget);
  if (only === 'probes' && !any) throw new UserError(`--only probes: env ${profile.name} enables no probes (add a probes: section, docs/environments.md)`);
  return any ? prepared : undefined;
}

/** Results of a run that ran no journey (`--only probes`). */
export function noJourneys(env: string): RunResults {
  const now = Date.now();
  return { env, startedAtMs: now, finishedAtMs: now, status: 'passed', journeys: [] };
}

/** Runs the prepared probes, prints their table and deliveries, and folds them into the exit code. */
export async function runProbesInRun(o: {
  code: ExitCode;
  profile: EnvProfile;
  prepared: PreparedProbes | undefined;
  credentials?: Credentials;
  /** Undefined for --dry-run (exposition text to stdout). */
  gateway?: string;
  replicaServes?: (method: string, path: string) => boolean;
  signal?: AbortSignal;
  /** Gateway credentials, TLS and spool of the run (src/push). */
  delivery?: DeliverOptions;
  /** `run --json`: the table and delivery lines go to stderr (stdout is the JSON), the outcome to this. */
  json?: (r: ProfileProbesResult) => void;
}): Promise<ExitCode> {
  if (!o.prepared || o.signal?.aborted) return o.code;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`running the probes of env ${o.profile.name}`);
  const r = await runProfileProbes({
    profile: o.profile,
    prepared: o.prepared,
    credentials: o.credentials,
    deliver: o.gateway ? gatewayDelivery(o.gateway, o.delivery) : stdoutDelivery(),
    log,
    replicaServes: o.replicaServes,
    signal: o.signal,
  });
  const lines = r.deliveries.filter((d) => d.where !== 'stdout').map((d) => (d.ok ? `pushed probes to ${d.where}` : `NOT DELIVERED probes to ${d.where}: ${d.message}`));
  if (o.gateway && !o.json) process.stdout.write(`\n${r.summary}\n\n${lines.join('\n')}\n`);
  else log(o.json ? `${r.summary}\n\n${lines.join('\n')}` : r.summary);
  o.json?.(r);
  if (o.code === ExitCode.aborted || o.code === ExitCode.notDelivered) return o.code;
  if (r.deliveries.some((d) => !d.ok)) return ExitCode.notDelivered;
  return r.failures && o.code === ExitCode.ok ? ExitCode.journeyFailed : o.code;
}
