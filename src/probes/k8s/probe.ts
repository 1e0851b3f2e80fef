/**
 * What a Kubernetes probe is. Each probe is one file of this folder, listed once in ./registry.ts:
 * its name (what `probe k8s [probes...]` takes, and the key of its body in
 * src/metrics/probe-bodies.ts K8S_PROBE_BODIES) and `run`, which makes its calls through the
 * context's client, logs a line per call, adds what it found to the run's results and hands each
 * result over as soon as it is measured (`found`), so a loop's metrics can be pushed after every
 * round. Connecting and the order of the probes are ./run.ts's, the bodies src/metrics's, delivery
 * src/push's (wired by src/cli/probe-runs.ts). Loading a probe does not load @kubernetes/client-node.
 */
import type { K8sProbeResults } from '../../results/probes.ts';
import type { K8sClient } from './client.ts';
import type { K8sTarget } from './config.ts';

/** The options of one run of the Kubernetes probes, as `probe k8s` and a run's plan give them. */
export interface K8sRunOptions {
  kinds: string[];
  /** client: @kubernetes/client-node; kubectl: the real binary. */
  via: 'client' | 'kubectl';
  /** The binary for `via: 'kubectl'` (./kubectl.ts resolveKubectl). */
  kubectl?: string;
  /** Hard deadline of every call. */
  timeoutMs: number;
  /** Calls at once. */
  concurrency: number;
  /** Rounds of a probe that runs in rounds: 1 = single shot; N > 1 or -1 (until aborted) = loop. */
  count: number;
  /** The pause between two rounds. */
  sleepMs: number;
}

export interface K8sProbeContext {
  client: K8sClient;
  target: K8sTarget;
  options: K8sRunOptions;
  log: (line: string) => void;
  signal?: AbortSignal;
  /** `cluster/namespace`, for the log lines. */
  where: string;
  /** The run's results: the probe adds what it found, and counts its failures. */
  report: K8sProbeResults;
  /** Hands one result over to be made into the probe's body and delivered, now. */
  found: (result: unknown) => Promise<void>;
}

export interface K8sProbe {
  /** `kubectl-latency`: the argument of `probe k8s`, and its body's key in src/metrics/probe-bodies.ts. */
  name: string;
  /** Stops early, leaving what it found so far, once `ctx.signal` aborts (checked before each call or round). */
  run(ctx: K8sProbeContext): Promise<void>;
}
