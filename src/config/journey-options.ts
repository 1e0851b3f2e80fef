/**
 * The profile's `journeys:` section: a mapping of journey name to that journey's options. Each
 * journey declares its options' schema beside its code (journeys/<name>.journey.ts); the CLI checks
 * this section against those declarations before a run (src/runtime/runner/declarations.ts), so
 * here only its shape is checked: config comes before the journeys and cannot read them.
 *
 *   journeys:
 *     search: { target: M101, collection: CFHT, timeout_seconds: 60 }
 *     download: { file: /data/pub/CFHT/1722795p.fits.fz, timeout_seconds: 300 }
 */

/** Journey name → its options as written in the profile (not yet checked against the journey). */
export type JourneysSection = Record<string, Record<string, unknown>>;

type Fail = (what: string) => never;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks that `journeys:` maps names to mappings; `fail` throws a UserError. */
export function parseJourneysSection(raw: unknown, fail: Fail): JourneysSection {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) return fail('journeys must be a mapping of journey name to options');
  const out: JourneysSection = {};
  for (const [name, v] of Object.entries(raw)) {
    if (v === undefined || v === null) out[name] = {};
    else if (!isRecord(v)) return fail(`journeys.${name} must be a mapping`);
    else out[name] = v;
  }
  return out;
}

/** `replica_faults:` in a profile: a list of fault specs as `--replica-fault` takes them. */
export function parseReplicaFaults(raw: unknown, replica: boolean, fail: Fail): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.some((x) => typeof x !== 'string')) return fail('replica_faults must be a list of strings such as "POST /access/login=delay:500"');
  if (raw.length && !replica) return fail('replica_faults needs replica: true');
  return raw as string[];
}
