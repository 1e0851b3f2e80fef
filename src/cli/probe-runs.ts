/**
 * A probe run from the command line (`probe http`, `probe k8s`, and the probes of a run): the
 * probes measure (src/probes), their bodies are made of what they found
 * (src/metrics/probe-bodies.ts) and go to a sink (src/push/sink.ts: the Pushgateway, or stdout for
 * --dry-run), each as soon as it is made; then where each group went, and the exit code.
 */
import type { Credentials } from '../config/credentials.ts';
import type { EnvProfile } from '../config/profile.ts';
import { ExitCode, UserError } from '../errors.ts';
import { KubectlLatencyMetrics, headlessBody, httpProbesBody, jobsTerminatingBody, vospaceBody } from '../metrics/probe-bodies.ts';
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

/** The Kubernetes probes: the kubectl-latency group after every round, then the terminating-jobs group. */
export async function k8sProbesDelivered(o: Omit<K8sProbeOptions, 'onRound' | 'onTerminating'>, sink: Sink): Promise<ProbesDelivered<K8sProbeResults>> {
  // loaded here, not at start: importing @kubernetes/client-node takes seconds
  const { runK8sProbes } = await import('../probes/k8s/run.ts');
  const grouping = { cluster: o.target.cluster, namespace: o.target.namespace };
  const latency = new KubectlLatencyMetrics({ grouping, loop: o.count !== 1, connect: o.via === 'client' });
  const deliveries: GroupDelivery[] = [];
  const results = await runK8sProbes({
    ...o,
    onRound: async (round) => {
      latency.add(round);
      deliveries.push(await sink(await latency.item()));
    },
    onTerminating: async (t) => {
      deliveries.push(await sink(await jobsTerminatingBody(grouping, t)));
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

/** Runs a run's probe plan (src/probes/plan.ts) on the run's profile, delivering to `sink`. */
export async function planDelivered(
  plan: ProbePlan,
  run: { profile: EnvProfile; credentials?: Credentials; replicaServes?: (method: string, path: string) => boolean; signal?: AbortSignal; log: (line: string) => void },
  sink: Sink,
): Promise<ProfileProbesResult> {
  const out: ProfileProbesResult = { failures: 0, deliveries: [], summary: '' };
  const tables: string[] = [];
  if (plan.http && !run.signal?.aborted) {
    const r = await httpProbesDelivered({ ...plan.http, profile: run.profile, credentials: run.credentials, log: run.log, replicaServes: run.replicaServes }, sink);
    out.failures += r.failures;
    out.deliveries.push(...r.deliveries);
    tables.push(httpTable(r.results));
  }
  if (plan.k8s && !run.signal?.aborted) {
    const r = await k8sProbesDelivered({ ...plan.k8s, log: run.log, signal: run.signal }, sink);
    out.failures += r.failures;
    out.deliveries.push(...r.deliveries);
    tables.push(k8sTable(r.results));
  }
  const ops = { profile: run.profile, credentials: run.credentials, log: run.log, signal: run.signal };
  if (plan.vospace && !run.signal?.aborted) {
    const r = await vospaceDelivered({ ...ops, config: plan.vospace }, sink);
    out.failures += r.failures;
    out.deliveries.push(...r.deliveries);
    tables.push(vospaceTable(r.results));
  }
  if (plan.headless && !run.signal?.aborted) {
    const r = await headlessDelivered({ ...ops, config: plan.headless }, sink);
    out.failures += r.failures;
    out.deliveries.push(...r.deliveries);
    tables.push(headlessTable(r.results));
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
