/**
 * `kubectl-latency`, as the seed's `k8s-kubectl-latency`: one round lists each kind in the
 * namespace, a bounded number at once, and times each list, through client-node (the default) or
 * the real `kubectl get <kind>` process. A single shot by default; `--count N` (N > 1, or -1 for
 * "until stopped") loops, pausing `--sleep` between rounds, as the seed did. Each round is handed
 * over as it ends (src/metrics/probe-bodies.ts: the kubectl-latency group, pushed after every round).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import { k8sErrorClass, type KindSummary, type KubectlRound } from '../../results/probes.ts';
import type { K8sClient } from './client.ts';
import type { K8sTarget } from './config.ts';
import { kindLabel } from './kinds.ts';
import { kubectlList } from './kubectl.ts';
import type { K8sProbe, K8sRunOptions } from './probe.ts';

const s3 = (ms: number) => (ms / 1000).toFixed(3);

/** One round: every kind listed once; in the order of the kinds, each with its `kind` label. */
async function round(client: K8sClient, target: K8sTarget, o: K8sRunOptions): Promise<KubectlRound> {
  const limit = pLimit(Math.max(1, o.concurrency));
  return Promise.all(
    o.kinds.map((kind) =>
      limit(async () => ({
        kind: kindLabel(kind),
        call: o.via === 'kubectl' ? await kubectlList(o.kubectl ?? 'kubectl', target, kind, o.timeoutMs) : await client.list(kind, o.timeoutMs),
      })),
    ),
  );
}

export const kubectlLatency: K8sProbe = {
  name: 'kubectl-latency',
  async run({ client, target, options: o, log, signal, where, report, found }) {
    const summaries = new Map(o.kinds.map((k) => [kindLabel(k), { kind: kindLabel(k), results: {}, seconds: [] } as KindSummary]));
    report.kinds = [...summaries.values()];
    for (let n = 0; o.count < 0 || n < o.count; n++) {
      if (signal?.aborted) break;
      const calls = await round(client, target, o);
      report.rounds++;
      for (const { kind, call } of calls) {
        const summary = summaries.get(kind) as KindSummary;
        summary.results[call.result] = (summary.results[call.result] ?? 0) + 1;
        if (call.result === 'ok') {
          summary.seconds.push(call.ms / 1000);
          log(`k8s: ${kind} on ${where}: ok ${s3(call.ms)} s${call.connectMs !== undefined ? ` (new connection ${s3(call.connectMs)} s)` : ''}, ${call.detail}`);
        } else {
          report.failures++;
          log(`k8s: ${kind} on ${where}: ${call.result} (${k8sErrorClass(call)}) after ${s3(call.ms)} s: ${call.detail}`);
        }
      }
      await found(calls);
      const more = o.count < 0 || n + 1 < o.count;
      if (more && o.sleepMs > 0) await sleep(o.sleepMs, undefined, { signal }).catch(() => undefined);
    }
  },
};
