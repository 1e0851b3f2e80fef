/**
 * The Kubernetes probes, in the order a run does them (`probe k8s [probes...]`). Adding one: a file
 * of this folder exporting a K8sProbe (./probe.ts), its line here, its body in
 * src/metrics/probe-bodies.ts K8S_PROBE_BODIES under its name with its metrics in the probe
 * catalog, and docs/probes.md. ./run.ts runs them and src/cli/probe-runs.ts delivers them from this
 * list. Loading it does not load @kubernetes/client-node.
 */
import { jobsTerminating } from './jobs-terminating.ts';
import { kubectlLatency } from './kubectl-latency.ts';
import type { K8sProbe } from './probe.ts';

export const K8S_PROBES: readonly K8sProbe[] = [kubectlLatency, jobsTerminating];

export const K8S_PROBE_NAMES: readonly string[] = K8S_PROBES.map((p) => p.name);
