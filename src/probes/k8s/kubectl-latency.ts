/**
 * `kubectl-latency`, as the seed's `k8s-kubectl-latency`: one round lists each kind in the
 * namespace, a bounded number at once, and times each list, through client-node (the default) or
 * the real `kubectl get <kind>` process. The loop of rounds (`--count`, `--sleep`) is ./run.ts's.
 */
import pLimit from 'p-limit';
import type { KubectlRound } from '../../results/probes.ts';
import type { K8sClient } from './client.ts';
import type { K8sTarget } from './config.ts';
import { kindLabel } from './kinds.ts';
import { kubectlList } from './kubectl.ts';

export interface KubectlLatencyOptions {
  kinds: string[];
  /** client: @kubernetes/client-node; kubectl: the real binary. */
  via: 'client' | 'kubectl';
  /** The binary for `via: 'kubectl'` (./kubectl.ts resolveKubectl). */
  kubectl?: string;
  timeoutMs: number;
  /** Kinds listed at once. */
  concurrency: number;
}

export const kubectlLatency = {
  name: 'kubectl-latency',
  /** One round: every kind listed once; in the order of the kinds, each with its `kind` label. */
  async round(client: K8sClient, target: K8sTarget, o: KubectlLatencyOptions): Promise<KubectlRound> {
    const limit = pLimit(Math.max(1, o.concurrency));
    return Promise.all(
      o.kinds.map((kind) =>
        limit(async () => ({
          kind: kindLabel(kind),
          call: o.via === 'kubectl' ? await kubectlList(o.kubectl ?? 'kubectl', target, kind, o.timeoutMs) : await client.list(kind, o.timeoutMs),
        })),
      ),
    );
  },
} as const;
