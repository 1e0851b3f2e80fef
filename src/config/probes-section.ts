/**
 * The optional `probes:` section of an env profile (docs/environments.md): which API probe
 * families a plain `perfpulse-journeys --env <name>` run adds to the journeys. Config checks only
 * that it maps known families to values and passes each value through as written: every family
 * declares its options' schema beside its probes (src/probes/http/options.ts, k8s/options.ts, the
 * option tables of ops/vospace.ts and ops/headless.ts), and the probe plan checks the section
 * against them before anything starts (src/probes/plan.ts probeOptions; config comes before the
 * probes and cannot read them). `npm run docs:env` composes the families' schemas into
 * docs/env-profile.schema.json (src/cli/env-docs.ts).
 *
 *   probes:
 *     http: {}        # CADC service probes on the profile's URL roles
 *     k8s:            # Kubernetes probes (kubectl-latency, jobs-terminating)
 *       namespace: canfar-perfpulse
 *     vospace: true   # VOSpace transfer probe (writes to storage)
 *     headless: true  # headless batch-job probe (starts a skaha job)
 */
import { z } from 'zod';
import { describeValue, strict } from './schema.ts';

/** The probe families, in the order a run does them. */
export const PROBE_FAMILIES = ['http', 'k8s', 'vospace', 'headless'] as const;
export type ProbeFamily = (typeof PROBE_FAMILIES)[number];

const HELP: Record<ProbeFamily, string> = {
  http: "CADC service probes on the profile's URL roles (`http: {}` takes every default)",
  k8s: 'Kubernetes probes, single shot: kubectl-latency and jobs-terminating',
  vospace: 'VOSpace transfer probe: push, pull, delete a test file under the home folder (true or a mapping; its keys: docs/probes.md)',
  headless: 'headless batch-job probe: submit a skaha headless session and time it to Completed (true or a mapping; its keys: docs/probes.md)',
};

const SECTION = strict(
  Object.fromEntries(PROBE_FAMILIES.map((f) => [f, z.unknown().optional().describe(HELP[f])])) as Record<ProbeFamily, z.ZodOptional<z.ZodUnknown>>,
  'a mapping with http, k8s, vospace and/or headless',
);

/** Each family's value as written (not yet checked against the family's options: src/probes/plan.ts). */
export type ProbesSection = Partial<Record<ProbeFamily, unknown>>;

/** `probes:` as written (input) and as the profile keeps it (output: the families given, their values as written). */
export const PROBES_SCHEMA = z
  .union([z.null(), z.literal(false), SECTION], { error: (iss) => `must be a mapping with http, k8s, vospace and/or headless (got ${describeValue(iss.input)})` })
  .optional()
  .transform((p): ProbesSection | undefined => (p ? (Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as ProbesSection) : undefined))
  .describe('API probes a run adds to the journeys (docs/probes.md)');
