/**
 * The optional `probes:` section of an env profile (docs/environments.md): which API probes a
 * plain `perfpulse-journeys --env <name>` run adds to the journeys.
 *
 *   probes:
 *     http:                              # CADC service probes on the profile's URL roles
 *       services: [reg, argus, ac]       # default: every service the probes know
 *       data_file: CFHT/1722795p.fits.fz # /data/pub/<ARCHIVE>/<file> for the redirect probe
 *     k8s:                               # Kubernetes probes (both: kubectl-latency, jobs-terminating)
 *       context: keel-prod
 *       namespace: canfar-perfpulse
 *       kinds: [pods, jobs]
 *     vospace: {}                        # VOSpace transfer probe (writes to storage: ./ops-probes.ts)
 *     headless: {}                       # headless batch-job probe (starts a skaha job: ./ops-probes.ts)
 */
import { UserError } from '../errors.ts';
import { headlessFromProfile, vospaceFromProfile, type HeadlessProbeConfig, type VospaceProbeConfig } from './ops-probes.ts';

export interface HttpProbesConfig {
  services?: string[];
  dataFile?: string;
}

export interface K8sProbesConfig {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  cluster?: string;
  kinds?: string[];
}

export interface ProbesConfig {
  http?: HttpProbesConfig;
  k8s?: K8sProbesConfig;
  vospace?: VospaceProbeConfig;
  headless?: HeadlessProbeConfig;
}

const SECTIONS = ['http', 'k8s', 'vospace', 'headless'];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates the `probes:` value of a profile; `source` names the file in the one-line error. */
export function parseProbesSection(raw: unknown, source: string): ProbesConfig | undefined {
  const fail = (what: string): never => {
    throw new UserError(`env profile ${source}: probes${what}`);
  };
  if (raw === undefined || raw === null || raw === false) return undefined;
  if (!isRecord(raw)) return fail(` must be a mapping with ${SECTIONS.join(', ')}`);
  const unknown = Object.keys(raw).filter((k) => !SECTIONS.includes(k));
  if (unknown.length) fail(` has unknown key(s) ${unknown.join(', ')} (use ${SECTIONS.join(', ')})`);
  const out: ProbesConfig = {};
  const strings = (key: string, v: unknown): string[] | undefined => {
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string' && s.trim())) return fail(`.${key} must be a list of names`);
    return v as string[];
  };
  const str = (key: string, v: unknown): string | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !v.trim()) return fail(`.${key} must be a string`);
    return v;
  };
  if (raw.http !== undefined && raw.http !== false) {
    const h = raw.http === true || raw.http === null ? {} : raw.http;
    if (!isRecord(h)) return fail('.http must be true or a mapping');
    const extra = Object.keys(h).filter((k) => !['services', 'data_file'].includes(k));
    if (extra.length) fail(`.http has unknown key(s) ${extra.join(', ')}`);
    out.http = { services: strings('http.services', h.services), dataFile: str('http.data_file', h.data_file) };
  }
  if (raw.k8s !== undefined && raw.k8s !== false) {
    const k = raw.k8s === true || raw.k8s === null ? {} : raw.k8s;
    if (!isRecord(k)) return fail('.k8s must be true or a mapping');
    const extra = Object.keys(k).filter((x) => !['kubeconfig', 'context', 'namespace', 'cluster', 'kinds'].includes(x));
    if (extra.length) fail(`.k8s has unknown key(s) ${extra.join(', ')}`);
    out.k8s = {
      kubeconfig: str('k8s.kubeconfig', k.kubeconfig),
      context: str('k8s.context', k.context),
      namespace: str('k8s.namespace', k.namespace),
      cluster: str('k8s.cluster', k.cluster),
      kinds: strings('k8s.kinds', k.kinds),
    };
  }
  if (raw.vospace !== undefined && raw.vospace !== false) out.vospace = vospaceFromProfile(raw.vospace, source);
  if (raw.headless !== undefined && raw.headless !== false) out.headless = headlessFromProfile(raw.headless, source);
  return out;
}
