/**
 * One run of the Kubernetes probes (`perfpulse-journeys probe k8s`, or a run's `probes.k8s`): a
 * client on the target, one untimed warm-up call (client-node), then each selected probe of
 * ./registry.ts in its order (kubectl-latency in rounds, jobs-terminating once), until the signal.
 * It returns what was measured (src/results/probes.ts); `onFound` hears each result as its probe
 * hands it over, so a loop's metrics can be pushed after every round (src/metrics/probe-bodies.ts
 * makes them, src/push delivers them).
 */
import type { K8sProbeResults } from '../../results/probes.ts';
import { K8sClient } from './client.ts';
import type { K8sTarget } from './config.ts';
import type { K8sProbe, K8sRunOptions } from './probe.ts';
import { K8S_PROBES } from './registry.ts';

export interface K8sProbeOptions extends K8sRunOptions {
  target: K8sTarget;
  /** The probes to run, by name (./registry.ts); they run in the registry's order. */
  probes: readonly string[];
  log: (line: string) => void;
  signal?: AbortSignal;
  /** The probes there are; default all of ./registry.ts. */
  registry?: readonly K8sProbe[];
  /** Each result a probe hands over (a round of kubectl-latency, the terminating jobs), as it comes. */
  onFound?: (probe: string, result: unknown) => Promise<void>;
}

export async function runK8sProbes(o: K8sProbeOptions): Promise<K8sProbeResults> {
  const report: K8sProbeResults = { target: { cluster: o.target.cluster, namespace: o.target.namespace }, kinds: [], failures: 0, rounds: 0 };
  const client = new K8sClient(o.target);
  const where = `${o.target.cluster}/${o.target.namespace}`;
  o.log(`k8s: ${o.target.server} (${o.target.source}), cluster ${o.target.cluster}, namespace ${o.target.namespace}, via ${o.via}`);
  if (o.via === 'client') {
    const warm = await client.warmUp(o.timeoutMs);
    if (warm.result !== 'ok') o.log(`k8s: warm-up GET /api/v1 on ${where}: ${warm.result} (${warm.detail})`);
  }
  const { target, log, signal } = o;
  for (const probe of o.registry ?? K8S_PROBES) {
    if (!o.probes.includes(probe.name)) continue; // each probe heeds the signal itself (./probe.ts)
    await probe.run({ client, target, options: o, log, signal, where, report, found: async (result) => o.onFound?.(probe.name, result) });
  }
  return report;
}
