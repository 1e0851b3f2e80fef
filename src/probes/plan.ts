/**
 * The probes a run adds to its journeys: what the env profile's `probes:` section enables, each
 * family's options checked against the family's own schema (PROBE_OPTIONS; config passes the
 * section through as written: src/config/probes-section.ts) before anything starts (bad input →
 * exit 2), and
 * how they run after the journeys of each iteration: the CADC service probes, a single shot of
 * the Kubernetes probes through client-node, and the probes that act for the user (a VOSpace
 * transfer, a headless batch job: only where the profile enables them, since they write to storage
 * and start jobs). src/cli runs the plan and delivers its metrics.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { EnvProfile } from '../config/profile.ts';
import type { ProbeFamily } from '../config/probes-section.ts';
import { UserError } from '../errors.ts';
import { HTTP_OPTIONS } from './http/options.ts';
import { parseServices } from './http/services.ts';
import type { K8sTarget } from './k8s/config.ts';
import { parseKinds, type KindName } from './k8s/kinds.ts';
import { K8S_OPTIONS } from './k8s/options.ts';
import { K8S_PROBE_NAMES } from './k8s/registry.ts';
import { HEADLESS_OPTIONS, headlessFromProfile, type HeadlessProbeConfig } from './ops/headless.ts';
import { VOSPACE_OPTIONS, vospaceFromProfile, type VospaceProbeConfig } from './ops/vospace.ts';
import { familyOptions } from './options.ts';
import { optionTableSchema } from './ops/options.ts';

export const HTTP_TIMEOUT_MS = 15_000;
export const K8S_TIMEOUT_MS = 10_000;
/** Requests (http) or kinds (k8s) at once: gentle on production services. */
const CONCURRENCY = 2;

/**
 * Each probe family's options: the zod schema of what `probes.<family>` may hold (for the docs:
 * src/cli/env-docs.ts composes them into docs/env-profile.schema.json), and how a profile's value
 * becomes the family's config (undefined: off), one line naming the profile when it is bad.
 */
export const PROBE_OPTIONS = {
  http: { schema: HTTP_OPTIONS, read: (raw: unknown, source: string) => familyOptions(HTTP_OPTIONS, raw, 'http', source) },
  k8s: { schema: K8S_OPTIONS, read: (raw: unknown, source: string) => familyOptions(K8S_OPTIONS, raw, 'k8s', source) },
  vospace: { schema: optionTableSchema(VOSPACE_OPTIONS), read: (raw: unknown, source: string) => (raw === false ? undefined : vospaceFromProfile(raw, source)) },
  headless: { schema: optionTableSchema(HEADLESS_OPTIONS), read: (raw: unknown, source: string) => (raw === false ? undefined : headlessFromProfile(raw, source)) },
} satisfies Record<ProbeFamily, { schema: z.ZodType; read: (raw: unknown, source: string) => unknown }>;

/** The profile's probe families, each read through its options: only those switched on. */
export type ProbesConfig = { [F in ProbeFamily]?: NonNullable<ReturnType<(typeof PROBE_OPTIONS)[F]['read']>> };

/** The profile's `probes:` section checked against every family's options (bad input → one line naming the profile, exit 2). */
export function probeOptions(profile: EnvProfile): ProbesConfig {
  const out: Record<string, unknown> = {};
  for (const [family, value] of Object.entries(profile.probes ?? {})) {
    const config = PROBE_OPTIONS[family as ProbeFamily].read(value, profile.source);
    if (config !== undefined) out[family] = config;
  }
  return out as ProbesConfig;
}

export interface ProbePlan {
  /** ./http/run.ts runHttpProbes options, but for the profile, credentials and log of the run. */
  http?: { services: string[]; options: Record<string, string | undefined>; timeoutMs: number; concurrency: number; ca?: string };
  /** ./k8s/run.ts runK8sProbes options, but for the log and signal of the run. */
  k8s?: {
    target: K8sTarget;
    kinds: KindName[];
    /** Every probe of ./k8s/registry.ts. */
    probes: readonly string[];
    count: 1;
    sleepMs: 0;
    via: 'client';
    timeoutMs: number;
    concurrency: number;
  };
  /** ./ops/vospace.ts runVospaceProbe's config (the profile's `probes.vospace`). */
  vospace?: VospaceProbeConfig;
  /** ./ops/headless.ts runHeadlessProbe's config (the profile's `probes.headless`). */
  headless?: HeadlessProbeConfig;
}

/**
 * The probes this run will do, or undefined for none (`--only journeys`, or a profile without a
 * `probes:` section). With `--only probes` a profile that enables none is bad input.
 */
export async function planProbes(profile: EnvProfile, only?: 'journeys' | 'probes'): Promise<ProbePlan | undefined> {
  if (only === 'journeys') return undefined;
  const p = probeOptions(profile);
  const plan: ProbePlan = {};
  if (p.http) {
    plan.http = { services: parseServices(p.http.services), options: p.http.options, timeoutMs: HTTP_TIMEOUT_MS, concurrency: CONCURRENCY };
    const ca = probesCa(profile);
    if (ca) plan.http.ca = ca;
  }
  if (p.k8s) {
    const kinds = parseKinds(p.k8s.kinds?.join(','));
    // only a profile with k8s probes pays for loading @kubernetes/client-node
    const target = (await import('./k8s/config.ts')).loadK8sTarget({ ...p.k8s });
    plan.k8s = { target, kinds, probes: K8S_PROBE_NAMES, count: 1, sleepMs: 0, via: 'client', timeoutMs: K8S_TIMEOUT_MS, concurrency: CONCURRENCY };
  }
  if (p.vospace) plan.vospace = p.vospace;
  if (p.headless) plan.headless = p.headless;
  const any = Boolean(plan.http || plan.k8s || plan.vospace || plan.headless);
  if (only === 'probes' && !any) throw new UserError(`--only probes: env ${profile.name} enables no probes (add a probes: section, docs/environments.md)`);
  return any ? plan : undefined;
}

/**
 * The PEM text of the profile's `probes.http.ca`, the CA certificate(s) the HTTP probes trust
 * besides the system's (as --pushgateway-ca for the gateway); a file that cannot be read or holds
 * no certificate is bad input.
 */
export function probesCa(profile: EnvProfile): string | undefined {
  const file = probeOptions(profile).http?.ca;
  if (!file) return undefined;
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`env profile ${profile.source}: cannot read probes.http.ca (${file}): ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new UserError(`env profile ${profile.source}: probes.http.ca ${file} holds no PEM certificate`);
  return pem;
}
