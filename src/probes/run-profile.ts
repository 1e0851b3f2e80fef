/**
 * The probes an env profile enables (`probes:` section), run once after the journeys by
 * `perfpulse-journeys --env <name>`: the CADC service probes and a single shot of the Kubernetes
 * probes, each pushed to its own group.
 */
import type { Credentials } from '../config/credentials.ts';
import type { EnvProfile } from '../config/profile.ts';
import { UserError } from '../errors.ts';
import type { Deliver, ProbeDelivery } from './deliver.ts';
import { DEFAULT_DATA_FILE, DEFAULT_HTTP_SERVICES, HTTP_SERVICES, httpSummary, runHttpProbes } from './http/run.ts';
import type { K8sTarget } from './k8s/config.ts';
import { parseKinds, type KindName } from './k8s/kinds.ts';

export const HTTP_TIMEOUT_MS = 15_000;
export const K8S_TIMEOUT_MS = 10_000;

/** `--services a,b` or the profile's list, validated. */
export function parseServices(list: string[] | undefined): string[] {
  if (!list?.length) return [...DEFAULT_HTTP_SERVICES];
  const names = [...new Set(list.map((s) => s.trim()).filter(Boolean))];
  const unknown = names.filter((s) => !(s in HTTP_SERVICES));
  if (unknown.length || !names.length) throw new UserError(`unknown service ${unknown.join(', ') || '(none)'}: use some of ${Object.keys(HTTP_SERVICES).join(', ')}`);
  return names;
}

/** Checks the profile's probe settings before anything starts (bad input → exit 2). */
export interface PreparedProbes {
  k8sTarget?: K8sTarget;
  kinds?: KindName[];
  services?: string[];
}

export async function prepareProfileProbes(profile: EnvProfile): Promise<PreparedProbes> {
  const p = profile.probes;
  if (!p) return {};
  const services = p.http ? parseServices(p.http.services) : undefined;
  const kinds = p.k8s ? parseKinds(p.k8s.kinds?.join(',')) : undefined;
  // only a profile with k8s probes pays for loading @kubernetes/client-node
  const k8sTarget = p.k8s ? (await import('./k8s/config.ts')).loadK8sTarget({ ...p.k8s }) : undefined;
  return { k8sTarget, kinds, services };
}

export interface ProfileProbesResult {
  failures: number;
  deliveries: ProbeDelivery[];
  summary: string;
}

export async function runProfileProbes(o: {
  profile: EnvProfile;
  prepared: PreparedProbes;
  credentials?: Credentials;
  deliver: Deliver;
  log: (line: string) => void;
  /** With the bundled replica: whether it serves `METHOD path` (src/replica/server.ts Replica.serves). */
  replicaServes?: (method: string, path: string) => boolean;
  signal?: AbortSignal;
}): Promise<ProfileProbesResult> {
  const out: ProfileProbesResult = { failures: 0, deliveries: [], summary: '' };
  const parts: string[] = [];
  if (o.prepared.services && !o.signal?.aborted) {
    const r = await runHttpProbes({
      profile: o.profile,
      services: o.prepared.services,
      credentials: o.credentials,
      dataFile: o.profile.probes?.http?.dataFile ?? DEFAULT_DATA_FILE,
      timeoutMs: HTTP_TIMEOUT_MS,
      concurrency: 2,
      deliver: o.deliver,
      log: o.log,
      replicaServes: o.replicaServes,
    });
    out.failures += r.failures;
    out.deliveries.push(...r.deliveries);
    parts.push(httpSummary(r));
  }
  if (o.prepared.k8sTarget && o.prepared.kinds && !o.signal?.aborted) {
    const { k8sSummary, runK8sProbes } = await import('./k8s/run.ts');
    const r = await runK8sProbes({
      target: o.prepared.k8sTarget,
      latency: true,
      terminating: true,
      kinds: o.prepared.kinds,
      count: 1,
      sleepMs: 0,
      timeoutMs: K8S_TIMEOUT_MS,
      concurrency: 2,
      via: 'client',
      deliver: o.deliver,
      log: o.log,
      signal: o.signal,
    });
    out.failures += r.failures;
    out.deliveries.push(...r.deliveries);
    parts.push(k8sSummary(r));
  }
  out.summary = parts.join('\n\n');
  return out;
}
