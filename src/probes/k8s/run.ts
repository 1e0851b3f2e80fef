/**
 * One run of the Kubernetes probes (`perfpulse-journeys probe k8s`, or a run's `probes.k8s`):
 *
 * - kubectl-latency (./kubectl-latency.ts), in rounds: a single shot by default; `--count N`
 *   (N > 1, or -1 for "until stopped") loops, pausing `--sleep` between rounds, as the seed did.
 * - jobs-terminating (./jobs-terminating.ts), once, after the rounds.
 *
 * It logs a line per call and returns what was measured (src/results/probes.ts). `onRound` and
 * `onTerminating` hear each result as it comes, so a loop's metrics can be pushed after every
 * round (src/metrics/probe-bodies.ts makes them, src/push delivers them).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { k8sErrorClass, type K8sProbeResults, type KindSummary, type KubectlRound, type TerminatingJobs } from '../../results/probes.ts';
import { K8sClient } from './client.ts';
import type { K8sTarget } from './config.ts';
import { jobsTerminating } from './jobs-terminating.ts';
import { kindLabel } from './kinds.ts';
import { kubectlLatency, type KubectlLatencyOptions } from './kubectl-latency.ts';

export interface K8sProbeOptions extends KubectlLatencyOptions {
  target: K8sTarget;
  latency: boolean;
  terminating: boolean;
  /** Rounds of kubectl-latency: 1 = single shot; N > 1 or -1 (until aborted) = loop. */
  count: number;
  sleepMs: number;
  log: (line: string) => void;
  signal?: AbortSignal;
  /** After each round of kubectl-latency, with its calls. */
  onRound?: (round: KubectlRound) => Promise<void>;
  /** After jobs-terminating. */
  onTerminating?: (t: TerminatingJobs) => Promise<void>;
}

const s3 = (ms: number) => (ms / 1000).toFixed(3);

export async function runK8sProbes(o: K8sProbeOptions): Promise<K8sProbeResults> {
  const report: K8sProbeResults = { target: { cluster: o.target.cluster, namespace: o.target.namespace }, kinds: [], failures: 0, rounds: 0 };
  const client = new K8sClient(o.target);
  const where = `${o.target.cluster}/${o.target.namespace}`;
  o.log(`k8s: ${o.target.server} (${o.target.source}), cluster ${o.target.cluster}, namespace ${o.target.namespace}, via ${o.via}`);
  if (o.via === 'client') {
    const warm = await client.warmUp(o.timeoutMs);
    if (warm.result !== 'ok') o.log(`k8s: warm-up GET /api/v1 on ${where}: ${warm.result} (${warm.detail})`);
  }

  if (o.latency) {
    const summaries = new Map(o.kinds.map((k) => [kindLabel(k), { kind: kindLabel(k), results: {}, seconds: [] } as KindSummary]));
    report.kinds = [...summaries.values()];
    for (let round = 0; o.count < 0 || round < o.count; round++) {
      if (o.signal?.aborted) break;
      const calls = await kubectlLatency.round(client, o.target, o);
      report.rounds++;
      for (const { kind, call } of calls) {
        const summary = summaries.get(kind) as KindSummary;
        summary.results[call.result] = (summary.results[call.result] ?? 0) + 1;
        if (call.result === 'ok') {
          summary.seconds.push(call.ms / 1000);
          o.log(`k8s: ${kind} on ${where}: ok ${s3(call.ms)} s${call.connectMs !== undefined ? ` (new connection ${s3(call.connectMs)} s)` : ''}, ${call.detail}`);
        } else {
          report.failures++;
          o.log(`k8s: ${kind} on ${where}: ${call.result} (${k8sErrorClass(call)}) after ${s3(call.ms)} s: ${call.detail}`);
        }
      }
      await o.onRound?.(calls);
      const more = o.count < 0 || round + 1 < o.count;
      if (more && o.sleepMs > 0) await sleep(o.sleepMs, undefined, { signal: o.signal }).catch(() => undefined);
    }
  }

  if (o.terminating && !o.signal?.aborted) {
    const t = await jobsTerminating.run(client, o.timeoutMs);
    report.terminating = t;
    if (t.ok) o.log(`k8s: jobs terminating on ${where}: ${t.count}${t.avgAgeSeconds !== undefined ? `, average ${t.avgAgeSeconds.toFixed(0)} s` : ''} (of ${t.listed} jobs)`);
    else {
      report.failures++;
      o.log(`k8s: jobs terminating on ${where}: ${t.detail}`);
    }
    await o.onTerminating?.(t);
  }
  return report;
}
