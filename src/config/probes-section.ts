/**
 * The optional `probes:` section of an env profile (docs/environments.md): which API probes a
 * plain `perfpulse-journeys --env <name>` run adds to the journeys. Described once by PROBES_SCHEMA
 * (zod, strict at every level); the types below come from it.
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
 *
 * Service and kind names are checked where they are known (src/probes: parseServices, parseKinds).
 */
import { z } from 'zod';
import { headlessFromProfile, vospaceFromProfile, type HeadlessProbeConfig, type VospaceProbeConfig } from './ops-probes.ts';
import { describeValue, strict } from './schema.ts';

const name = (what: string) =>
  z.string({ error: (iss) => `must be ${what} (got ${describeValue(iss.input)})` }).trim().min(1, { error: `must be ${what}, not empty` });

const names = (what: string) =>
  z.array(name('a name'), { error: (iss) => `must be a list of ${what}, e.g. [${what === 'kinds' ? 'pods, jobs' : 'reg, ac'}] (got ${describeValue(iss.input)})` });

const HTTP_SECTION = strict({
  services: names('services').optional().describe('the services to probe (default: every service the probes know; docs/probes.md)'),
  data_file: name('a path such as CFHT/1722795p.fits.fz').optional().describe('<ARCHIVE>/<file> under /data/pub for the redirect probe (default: CFHT/1722795p.fits.fz)'),
  ca: name('a file path').optional().describe("a PEM file of CA certificates the probes trust besides the system's (read when the probes are planned)"),
});

const K8S_SECTION = strict({
  kubeconfig: name('a file path').optional().describe('kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account)'),
  context: name('a context name').optional().describe("kubeconfig context (default: its current-context)"),
  namespace: name('a namespace').optional().describe("namespace (default: the context's, else default)"),
  cluster: name('a cluster name').optional().describe("the cluster label (default: the context's cluster name)"),
  kinds: names('kinds').optional().describe('kinds to list (default: pods, jobs, deployments, services, configmaps, events)'),
});

/** `true`/`null` (take every default), `false` (off), or a mapping. */
const onOff = <T extends z.ZodTypeAny>(section: T, keys: string) =>
  z.union([z.boolean(), z.null(), section], { error: (iss) => `must be true, false or a mapping with ${keys} (got ${describeValue(iss.input)})` });

const httpOf = (v: boolean | null | z.output<typeof HTTP_SECTION> | undefined) => {
  if (v === undefined || v === false) return undefined;
  const h = v === true || v === null ? {} : v;
  return { services: h.services, dataFile: h.data_file, ...(h.ca ? { ca: h.ca } : {}) };
};

const k8sOf = (v: boolean | null | z.output<typeof K8S_SECTION> | undefined) => {
  if (v === undefined || v === false) return undefined;
  const k = v === true || v === null ? {} : v;
  return { kubeconfig: k.kubeconfig, context: k.context, namespace: k.namespace, cluster: k.cluster, kinds: k.kinds };
};

const SECTION = strict(
  {
    http: onOff(HTTP_SECTION, 'services, data_file, ca').optional().describe('CADC service probes on the profile\'s URL roles (`http: {}` takes every default)'),
    k8s: onOff(K8S_SECTION, 'kubeconfig, context, namespace, cluster, kinds').optional().describe('Kubernetes probes, single shot: kubectl-latency and jobs-terminating'),
    vospace: z.unknown().optional().describe('VOSpace transfer probe: push, pull, delete a test file under the home folder (true or a mapping; its keys: docs/probes.md, src/config/ops-probes.ts)'),
    headless: z.unknown().optional().describe('headless batch-job probe: submit a skaha headless session and time it to Completed (true or a mapping; its keys: docs/probes.md, src/config/ops-probes.ts)'),
  },
  'a mapping with http, k8s, vospace and/or headless',
);

/** `probes:` as written (input) and as the run reads it (output: camelCase, sections filled in). */
export const PROBES_SCHEMA = z
  .union([z.null(), z.literal(false), SECTION], { error: (iss) => `must be a mapping with http, k8s, vospace and/or headless (got ${describeValue(iss.input)})` })
  .optional()
  .transform((p) => {
    if (!p) return undefined;
    const out: RawProbesConfig = {};
    const http = httpOf(p.http);
    const k8s = k8sOf(p.k8s);
    if (http) out.http = http;
    if (k8s) out.k8s = k8s;
    if (p.vospace !== undefined && p.vospace !== false) out.vospace = p.vospace;
    if (p.headless !== undefined && p.headless !== false) out.headless = p.headless;
    return out;
  })
  .describe('API probes a run adds to the journeys (docs/probes.md)');

export type HttpProbesConfig = NonNullable<ReturnType<typeof httpOf>>;
export type K8sProbesConfig = NonNullable<ReturnType<typeof k8sOf>>;
/** The schema's output: vospace and headless still as written (their option tables check them: ./ops-probes.ts). */
export interface RawProbesConfig {
  http?: HttpProbesConfig;
  k8s?: K8sProbesConfig;
  vospace?: unknown;
  headless?: unknown;
}

export interface ProbesConfig {
  http?: HttpProbesConfig;
  k8s?: K8sProbesConfig;
  vospace?: VospaceProbeConfig;
  headless?: HeadlessProbeConfig;
}

/** The schema's output with the vospace and headless sections read through their option tables (one line, exit 2, naming `source`). */
export function probesConfig(raw: RawProbesConfig, source: string): ProbesConfig {
  const { vospace, headless, ...rest } = raw;
  return {
    ...rest,
    ...(vospace !== undefined ? { vospace: vospaceFromProfile(vospace, source) } : {}),
    ...(headless !== undefined ? { headless: headlessFromProfile(headless, source) } : {}),
  };
}

/** Section keys, for the docs (src/config/docs.ts). */
export const PROBES_SECTIONS = { http: HTTP_SECTION, k8s: K8S_SECTION } as const;
