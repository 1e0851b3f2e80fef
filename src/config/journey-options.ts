/**
 * What each journey needs to know besides the hosts: which target and collection to search,
 * which public file to download, whether the Science Portal journey may launch a real session.
 * They live under `journeys:` in an env profile (docs/environments.md); everything is optional
 * and defaults to values that exist on the real portals (cadc-reference.md §3, §4.1, §5).
 *
 *   journeys:
 *     search: { target: M101, collection: CFHT, timeout_seconds: 60 }
 *     download: { file: /data/pub/CFHT/1722795p.fits.fz, timeout_seconds: 300 }
 *     science_portal: { launch: false, session_type: notebook, image: "skaha/astroml:latest", timeout_seconds: 300 }
 */

export interface JourneyOptions {
  search: { target: string; collection: string; timeoutSeconds: number };
  download: { file: string; timeoutSeconds: number };
  science_portal: { launch: boolean; sessionType: string; image: string; timeoutSeconds: number };
}

export const DEFAULT_JOURNEY_OPTIONS: JourneyOptions = {
  search: { target: 'M101', collection: 'CFHT', timeoutSeconds: 60 },
  download: { file: '/data/pub/CFHT/1722795p.fits.fz', timeoutSeconds: 300 },
  science_portal: { launch: false, sessionType: 'notebook', image: 'skaha/astroml:latest', timeoutSeconds: 300 },
};

type Fail = (what: string) => never;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates the profile's `journeys:` mapping, filling defaults; `fail` throws a UserError. */
export function parseJourneyOptions(raw: unknown, fail: Fail): JourneyOptions {
  const out: JourneyOptions = structuredClone(DEFAULT_JOURNEY_OPTIONS);
  if (raw === undefined || raw === null) return out;
  if (!isRecord(raw)) return fail('journeys must be a mapping of journey name to options');
  const section = (name: keyof JourneyOptions): Record<string, unknown> => {
    const v = raw[name];
    if (v === undefined || v === null) return {};
    if (!isRecord(v)) return fail(`journeys.${name} must be a mapping`);
    return v;
  };
  const str = (where: string, v: unknown, dflt: string, allowEmpty = true): string => {
    if (v === undefined) return dflt;
    if (typeof v !== 'string' || (!allowEmpty && !v)) return fail(`${where} must be a${allowEmpty ? '' : ' non-empty'} string`);
    return v;
  };
  const seconds = (where: string, v: unknown, dflt: number): number => {
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !(v > 0) || v > 3600) return fail(`${where} must be a number of seconds between 0 and 3600`);
    return v;
  };
  const unknown = Object.keys(raw).filter((k) => !(k in DEFAULT_JOURNEY_OPTIONS));
  if (unknown.length) fail(`journeys has unknown journey(s) ${unknown.join(', ')}`);

  const s = section('search');
  out.search.target = str('journeys.search.target', s.target, out.search.target);
  out.search.collection = str('journeys.search.collection', s.collection, out.search.collection);
  if (!out.search.target && !out.search.collection) fail('journeys.search needs a target or a collection');
  out.search.timeoutSeconds = seconds('journeys.search.timeout_seconds', s.timeout_seconds, out.search.timeoutSeconds);

  const d = section('download');
  out.download.file = str('journeys.download.file', d.file, out.download.file, false);
  if (!out.download.file.startsWith('/')) fail('journeys.download.file must be a path such as /data/pub/CFHT/1722795p.fits.fz');
  out.download.timeoutSeconds = seconds('journeys.download.timeout_seconds', d.timeout_seconds, out.download.timeoutSeconds);

  const p = section('science_portal');
  if (p.launch !== undefined && typeof p.launch !== 'boolean') fail('journeys.science_portal.launch must be true or false');
  out.science_portal.launch = (p.launch as boolean | undefined) ?? false;
  out.science_portal.sessionType = str('journeys.science_portal.session_type', p.session_type, out.science_portal.sessionType, false);
  out.science_portal.image = str('journeys.science_portal.image', p.image, out.science_portal.image, false);
  out.science_portal.timeoutSeconds = seconds('journeys.science_portal.timeout_seconds', p.timeout_seconds, out.science_portal.timeoutSeconds);
  return out;
}

/** `replica_faults:` in a profile: a list of fault specs as `--replica-fault` takes them. */
export function parseReplicaFaults(raw: unknown, replica: boolean, fail: Fail): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.some((x) => typeof x !== 'string')) return fail('replica_faults must be a list of strings such as "POST /access/login=delay:500"');
  if (raw.length && !replica) return fail('replica_faults needs replica: true');
  return raw as string[];
}
