/**
 * Every body the API probes send, as PushItems made from their results (src/results/probes.ts),
 * as ./bodies.ts does for the journeys: the CADC service probes' group, the kubectl-latency group
 * (kept across a `--count` loop) and the terminating-jobs group. Names, types, help and labels
 * come from the probe catalog (./catalog-probes.ts); delivering them is src/push's job. Each body
 * is a PUT: the group is replaced whole, so a probe that no longer runs leaves no stale series.
 */
import { Registry, type Counter, type Gauge, type Histogram } from 'prom-client';
import { VOS_KINDS, type HeadlessJobResult, type HttpPhase, type HttpProbeResults, type KubectlRound, type TerminatingJobs, type VospaceProbeResults } from '../results/probes.ts';
import type { PushItem } from './bodies.ts';
import { API_PROBES_JOB, HEADLESS_JOBS_JOB, HTTP_PHASES, JOBS_TERMINATING_JOB, KUBECTL_LATENCY_BUCKETS, KUBECTL_LATENCY_JOB, PROBE_METRICS, VOS_TRANSFERS_JOB } from './catalog-probes.ts';
import { counterOf, gaugeOf, histogramOf } from './instruments.ts';

type Grouping = Record<string, string>;

const put = async (job: string, grouping: Grouping, registry: Registry, now: number): Promise<PushItem> => ({
  job,
  grouping,
  method: 'PUT',
  body: await registry.metrics(),
  runTimestampMs: now,
});

/** The catalog's phase words are the results' phases (checked by the compiler). */
const PHASES: readonly HttpPhase[] = HTTP_PHASES;

/**
 * PUT {job="perfpulse_api_probes", env}: per probe that ran, its success and duration; per service
 * whose availability was read, perfpulse_vosi_available; per URL role its host check (success,
 * duration, phases, HTTP version, and on https the chain's earliest expiry and validity); and when
 * the run started. A skipped probe leaves its series out, a phase that did not happen too.
 */
export async function httpProbesBody(r: HttpProbeResults, now = Date.now()): Promise<PushItem> {
  const registry = new Registry();
  const gauge = (k: keyof typeof PROBE_METRICS) => gaugeOf(registry, PROBE_METRICS[k]);
  const available = gauge('vosiAvailable');
  const duration = gauge('apiProbeDuration');
  const success = gauge('apiProbeSuccess');
  const stamp = gauge('apiProbeRunTimestamp');
  const host = {
    success: gauge('hostCheckSuccess'),
    duration: gauge('hostCheckDuration'),
    phase: gauge('httpPhase'),
    version: gauge('httpVersion'),
    expiry: gauge('tlsCertExpiry'),
    valid: gauge('tlsChainValid'),
  };
  const env = r.env;
  for (const out of r.outcomes) {
    if (out.ok === undefined) continue;
    if (out.role !== undefined) {
      const labels = { env, role: out.role };
      host.success.set(labels, out.ok ? 1 : 0);
      if (out.ms !== undefined) host.duration.set(labels, out.ms / 1000);
      for (const phase of PHASES) {
        const ms = out.phases?.[phase];
        if (ms !== undefined) host.phase.set({ ...labels, phase }, ms / 1000);
      }
      if (out.httpVersion) host.version.set({ ...labels, http_version: out.httpVersion }, 1);
      if (out.tls) host.valid.set(labels, out.tls.valid ? 1 : 0);
      if (out.tls?.earliestNotAfterMs !== undefined) host.expiry.set(labels, Math.floor(out.tls.earliestNotAfterMs / 1000));
      continue;
    }
    if (out.service === undefined) continue;
    const labels = { env, service: out.service, probe: out.probe };
    success.set(labels, out.ok ? 1 : 0);
    if (out.ms !== undefined) duration.set(labels, out.ms / 1000);
    if (out.available !== undefined) available.set({ env, service: out.service }, out.available ? 1 : 0);
  }
  stamp.set({ env }, r.startedAtMs / 1000);
  return put(API_PROBES_JOB, { env }, registry, now);
}

/**
 * PUT {job="perfpulse_kubectl_latency", cluster, namespace}, after every round: a single shot
 * exports the last latency per kind as a gauge; a loop keeps one histogram across its rounds, as
 * the seed did. Both count the calls by result and, with client-node, the connect part.
 */
export class KubectlLatencyMetrics {
  private readonly registry = new Registry();
  private readonly grouping: Grouping;
  private readonly histogram?: Histogram;
  private readonly last?: Gauge;
  private readonly connect?: Gauge;
  private readonly requests: Counter;

  /** `loop`: more than one round (histogram); `connect`: the calls time their new connection (client-node). */
  constructor(o: { grouping: Grouping; loop: boolean; connect: boolean }) {
    this.grouping = o.grouping;
    if (o.loop) this.histogram = histogramOf(this.registry, PROBE_METRICS.kubectlLatency, KUBECTL_LATENCY_BUCKETS);
    else this.last = gaugeOf(this.registry, PROBE_METRICS.kubectlLastLatency);
    if (o.connect) this.connect = gaugeOf(this.registry, PROBE_METRICS.apiConnect);
    this.requests = counterOf(this.registry, PROBE_METRICS.kubectlRequests);
  }

  /** Adds one round's calls; `kind` is already the label (`get_pods`). */
  add(round: KubectlRound): void {
    for (const { kind, call } of round) {
      const labels = { ...this.grouping, kind };
      this.requests.inc({ ...labels, result: call.result });
      if (call.result !== 'ok') continue;
      this.histogram?.observe(labels, call.ms / 1000);
      this.last?.set(labels, call.ms / 1000);
      if (call.connectMs !== undefined) this.connect?.set(labels, call.connectMs / 1000);
    }
  }

  /** The group's body as it stands after the rounds added so far. */
  item(now = Date.now()): Promise<PushItem> {
    return put(KUBECTL_LATENCY_JOB, this.grouping, this.registry, now);
  }
}

/** PUT {job="perfpulse_k8s_jobs_terminating", cluster, namespace}: success, count and average age. */
export async function jobsTerminatingBody(grouping: Grouping, t: TerminatingJobs, now = Date.now()): Promise<PushItem> {
  const registry = new Registry();
  const gauge = (k: keyof typeof PROBE_METRICS) => gaugeOf(registry, PROBE_METRICS[k]);
  const success = gauge('jobsTerminatingSuccess');
  const count = gauge('jobsTerminating');
  const avgAge = gauge('jobsTerminatingAvgAge');
  success.set(grouping, t.ok ? 1 : 0);
  if (t.ok && t.count !== undefined) count.set(grouping, t.count);
  if (t.ok && t.avgAgeSeconds !== undefined) avgAge.set(grouping, t.avgAgeSeconds);
  return put(JOBS_TERMINATING_JOB, grouping, registry, now);
}

/** What a Kubernetes probe's body is made with: its group, whether it loops, whether its calls time a new connection. */
export interface K8sBodyOptions {
  grouping: Grouping;
  loop: boolean;
  connect: boolean;
}

/**
 * Each Kubernetes probe's body, under the probe's name (src/probes/k8s/registry.ts): made once
 * per run, it takes each result the probe hands over and gives the group's body to push then.
 */
export const K8S_PROBE_BODIES: Record<string, (o: K8sBodyOptions) => (result: unknown) => Promise<PushItem>> = {
  'kubectl-latency': (o) => {
    const latency = new KubectlLatencyMetrics(o);
    return (round) => {
      latency.add(round as KubectlRound);
      return latency.item();
    };
  },
  'jobs-terminating': (o) => (t) => jobsTerminatingBody(o.grouping, t as TerminatingJobs),
};

/**
 * PUT {job="perfpulse_vos_transfers", env}: per service and operation that ran, its phases, bytes
 * and throughput; per service that was not skipped, the success and result of each of vos_push,
 * vos_pull and vos_delete (an operation an earlier failure prevented is 0, under that failure's class).
 */
export async function vospaceBody(r: VospaceProbeResults, now = Date.now()): Promise<PushItem> {
  const registry = new Registry();
  const M = PROBE_METRICS;
  const duration = gaugeOf(registry, M.vosTransferDuration);
  const bytes = gaugeOf(registry, M.vosTransferBytes);
  const throughput = gaugeOf(registry, M.vosTransferThroughput);
  const success = gaugeOf(registry, M.vosTransferSuccess);
  const total = counterOf(registry, M.vosTransfers);
  const env = r.env;
  for (const svc of r.services) {
    if (svc.ok === undefined) continue;
    for (const kind of VOS_KINDS) {
      const labels = { env, service: svc.service, kind };
      const op = svc.operations.find((o) => o.kind === kind);
      success.set(labels, op?.ok ? 1 : 0);
      total.inc({ ...labels, result: op?.ok ? 'ok' : (op?.failure ?? svc.failure)?.class ?? 'harness' });
      if (!op) continue;
      for (const [phase, ms] of Object.entries(op.phasesMs)) if (ms !== undefined) duration.set({ ...labels, phase }, ms / 1000);
      if (op.ok && op.bytes !== undefined && op.phasesMs.transfer) {
        bytes.set(labels, op.bytes);
        throughput.set(labels, op.bytes / (op.phasesMs.transfer / 1000));
      }
    }
  }
  return put(VOS_TRANSFERS_JOB, { env }, registry, now);
}

/**
 * PUT {job="perfpulse_skaha_headless", env}: the job's milestones, the jobs expected, and the jobs
 * by result (completed and timeout always, another failure's class when there is one).
 */
export async function headlessBody(r: HeadlessJobResult, now = Date.now()): Promise<PushItem> {
  const registry = new Registry();
  const M = PROBE_METRICS;
  const duration = gaugeOf(registry, M.headlessJobDuration);
  const expected = gaugeOf(registry, M.headlessJobsExpected);
  const jobs = counterOf(registry, M.headlessJobs);
  const env = r.env;
  expected.set({ env }, r.expected);
  if (r.expected) {
    const cls = r.failure?.class;
    jobs.inc({ env, result: 'completed' }, r.completed);
    jobs.inc({ env, result: 'timeout' }, cls === 'timeout' ? 1 : 0);
    if (cls && cls !== 'timeout' && !r.completed) jobs.inc({ env, result: cls }, 1);
  }
  for (const [phase, ms] of Object.entries(r.phasesMs)) if (ms !== undefined) duration.set({ env, phase }, ms / 1000);
  return put(HEADLESS_JOBS_JOB, { env }, registry, now);
}
