/**
 * A probe run from the command line (`probe http`, `probe k8s`, and the probes of a run): the
 * probes measure (src/probes), their bodies are made of what they found
 * (src/metrics/probe-bodies.ts) and go to a sink (src/push/sink.ts: the Pushgateway, or stdout for
 * --dry-run), each as soon as it is made; then where each group went, and the exit code.
 */
import type { Credentials } from '../config/credentials.ts';
import type { EnvProfile } from '../config/profile.ts';
import { ExitCode, UserError } from '../errors.ts';
import type { PushItem } from '../metrics/bodies.ts';
import { K8S_PROBE_BODIES, headlessBody, httpProbesBody, vospaceBody } from '../metrics/probe-bodies.ts';
import { runHttpProbes, type HttpProbeOptions } from '../probes/http/run.ts';
import type { K8sProbeOptions } from '../probes/k8s/run.ts';
import { runHeadlessProbe, type HeadlessProbeOptions } from '../probes/ops/headless.ts';
import { runVospaceProbe, type VospaceProbeOptions } from '../probes/ops/vospace.ts';
import type { ProbePlan } from '../probes/plan.ts';
import { gatewayAccess } from '../push/access.ts';
import { checkGatewayUrl } from '../push/pushgateway.ts';
import { gatewaySink, stdoutSink, type GroupDelivery, type Sink } from '../push/sink.ts';
import type { HeadlessJobResult, HttpProbeResults, K8sProbeResults, VospaceProbeResults } from '../results/probes.ts';
import { spoolFromFlags, type DeliveryFlags } from './flags.ts';
import { headlessTable, httpTable, k8sTable, vospaceTable } from './probe-tables.ts';

const info = (line: string) => process.stderr.write(`${line}\n`);

/** stdout for --dry-run, else the gateway; no gateway and no --dry-run is bad input. */
export function sinkFor(flags: DeliveryFlags & { pushgateway?: string; dryRun?: boolean }): Sink {
  if (flags.dryRun) return stdoutSink();
  const gw = flags.pushgateway ?? process.env.PERFPULSE_PUSHGATEWAY;
  if (!gw) throw new UserError('no Pushgateway: pass --pushgateway <url> or set PERFPULSE_PUSHGATEWAY (or use --dry-run)');
  checkGatewayUrl(gw);
  return gatewaySink(gw, { access: gatewayAccess(gw, flags), spool: spoolFromFlags(flags), log: info });
}

/** What a probe run measured, where its groups went, and how many calls failed. */
export interface ProbesDelivered<R> {
  results: R;
  deliveries: GroupDelivery[];
  failures: number;
}

/** The CADC service probes, then their one group {env}. */
export async function httpProbesDelivered(o: HttpProbeOptions, sink: Sink): Promise<ProbesDelivered<HttpProbeResults>> {
  const results = await runHttpProbes(o);
  const deliveries = [await sink(await httpProbesBody(results))];
  return { results, deliveries, failures: results.failures };
}

/**
 * The Kubernetes probes of src/probes/k8s/registry.ts: each result a probe hands over becomes its
 * body (src/metrics/probe-bodies.ts K8S_PROBE_BODIES, under the probe's name) and is delivered at
 * once, so a loop pushes the kubectl-latency group after every round.
 */
export async function k8sProbesDelivered(o: Omit<K8sProbeOptions, 'onFound'>, sink: Sink): Promise<ProbesDelivered<K8sProbeResults>> {
  // loaded here, not at start: importing @kubernetes/client-node takes seconds
  const { runK8sProbes } = await import('../probes/k8s/run.ts');
  const body = { grouping: { cluster: o.target.cluster, namespace: o.target.namespace }, loop: o.count !== 1, connect: o.via === 'client' };
  const bodies = new Map<string, (result: unknown) => Promise<PushItem>>();
  const bodyOf = (probe: string) => {
    const make = K8S_PROBE_BODIES[probe];
    if (!make) throw new Error(`k8s probe ${probe} has no body in src/metrics/probe-bodies.ts K8S_PROBE_BODIES`);
    if (!bodies.has(probe)) bodies.set(probe, make(body));
    return bodies.get(probe) as (result: unknown) => Promise<PushItem>;
  };
  const deliveries: GroupDelivery[] = [];
  const results = await runK8sProbes({
    ...o,
    onFound: async (probe, result) => {
      deliveries.push(await sink(await bodyOf(probe)(result)));
    },
  });
  return { results, deliveries, failures: results.failures };
}

/** The VOSpace transfer probe, then its one group {env}. */
export async function vospaceDelivered(o: VospaceProbeOptions, sink: Sink): Promise<ProbesDelivered<VospaceProbeResults>> {
  const results = await runVospaceProbe(o);
  const deliveries = [await sink(await vospaceBody(results))];
  return { results, deliveries, failures: results.failures };
}

/** The headless batch-job probe, then its one group {env}. */
export async function headlessDelivered(o: HeadlessProbeOptions, sink: Sink): Promise<ProbesDelivered<HeadlessJobResult>> {
  const results = await runHeadlessProbe(o);
  const deliveries = [await sink(await headlessBody(results))];
  return { results, deliveries, failures: results.ok === false ? 1 : 0 };
}

/** What the probes of a run gave: `--json` reports it, the exit code folds it in. */
export interface ProfileProbesResult {
  failures: number;
  deliveries: GroupDelivery[];
  /** Their tables, http first. */
  summary: string;
}

/** What a run hands its probes: the profile (URLs resolved), the user, the replica's routes, the signal and the log. */
interface PlanRun {
  profile: EnvProfile;
  credentials?: Credentials;
  replicaServes?: (method: string, path: string) => boolean;
  signal?: AbortSignal;
  log: (line: string) => void;
}

/** One probe family of a plan: how its config is run and delivered, and its table. */
const family = <F extends keyof ProbePlan, R>(name: F, deliver: (config: NonNullable<ProbePlan[F]>, run: PlanRun, sink: Sink) => Promise<ProbesDelivered<R>>, table: (r: R) => string) => ({
  name,
  async run(plan: ProbePlan, run: PlanRun, sink: Sink) {
    const config = plan[name];
    if (!config) return undefined;
    const r = await deliver(config as NonNullable<ProbePlan[F]>, run, sink);
    return { failures: r.failures, deliveries: r.deliveries, table: table(r.results) };
  },
});

/** The families of a plan, in the order a run does them (http first). */
const PLAN_FAMILIES = [
  family('http', (c, run, sink) => httpProbesDelivered({ ...c, profile: run.profile, credentials: run.credentials, log: run.log, replicaServes: run.replicaServes }, sink), httpTable),
  family('k8s', (c, run, sink) => k8sProbesDelivered({ ...c, log: run.log, signal: run.signal }, sink), k8sTable),
  family('vospace', (config, run, sink) => vospaceDelivered({ profile: run.profile, credentials: run.credentials, log: run.log, signal: run.signal, config }, sink), vospaceTable),
  family('headless', (config, run, sink) => headlessDelivered({ profile: run.profile, credentials: run.credentials, log: run.log, signal: run.signal, config }, sink), headlessTable),
];

/** Runs a run's probe plan (src/probes/plan.ts) on the run's profile, delivering to `sink`; a family does not start once the signal aborted. */
export async function planDelivered(plan: ProbePlan, run: PlanRun, sink: Sink): Promise<ProfileProbesResult> {
  const out: ProfileProbesResult = { failures: 0, deliveries: [], summary: '' };
  const tables: string[] = [];
  for (const f of PLAN_FAMILIES) {
    if (run.signal?.aborted) break;
    const r = await f.run(plan, run, sink);
    if (!r) continue;
    out.failures += r.failures;
    out.deliveries.push(...r.deliveries);
    tables.push(r.table);
  }
  out.summary = tables.join('\n\n');
  return out;
}

/** Where each group went, once per group (a loop pushes the same group every round); nothing for stdout. */
export function deliveryLines(deliveries: GroupDelivery[]): string[] {
  const last = new Map<string, GroupDelivery>();
  for (const d of deliveries) last.set(d.where, d);
  return [...last.values()]
    .filter((d) => d.where !== 'stdout')
    .map((d) => (d.ok ? `pushed to ${d.where}` : `NOT DELIVERED to ${d.where}: ${d.message}`));
}

/** Prints where a probe command's metrics went, and gives its exit code. */
export function finishProbes(run: { deliveries: GroupDelivery[]; failures: number }, aborted: boolean): ExitCode {
  const lines = deliveryLines(run.deliveries);
  if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
  if (aborted) return ExitCode.aborted;
  if (run.deliveries.some((d) => !d.ok)) return ExitCode.notDelivered;
  return run.failures ? ExitCode.journeyFailed : ExitCode.ok;
}
