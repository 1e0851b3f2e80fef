/**
 * The Kubernetes probes, in the order a run does them (`probe k8s [probes...]`). Adding one: a file
 * of this folder (its name and its run), its line here, where ./run.ts runs it, its body in
 * src/metrics/probe-bodies.ts with its metrics in the probe catalog, and docs/probes.md.
 * Loading this list does not load @kubernetes/client-node.
 */
import { jobsTerminating } from './jobs-terminating.ts';
import { kubectlLatency } from './kubectl-latency.ts';

export const K8S_PROBE_NAMES: readonly string[] = [kubectlLatency.name, jobsTerminating.name];
