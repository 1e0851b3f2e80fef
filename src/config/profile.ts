/**
 * Env profiles: which portal a run measures. A profile names the env (the `env` label on every
 * metric) and gives the base URL of each host role; journeys build every URL from these roles,
 * so no host name is ever written in a journey.
 *
 * Built-in profiles live in ./envs/*.yaml; `--env ./my-portal.yaml` loads a user's own file with
 * the same schema (docs/environments.md).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../errors.ts';
import { SLUG } from '../metrics/labels.ts';
import { parseJourneyOptions, parseReplicaFaults, type JourneyOptions } from './journey-options.ts';
import { parseProbesSection, type ProbesConfig } from './probes-section.ts';

/** Host roles a profile must give, one per real host of the CADC/CANFAR portals. */
export const URL_ROLES = ['www', 'canfar', 'ws_cadc', 'ws', 'ws_uv'] as const;
export type UrlRole = (typeof URL_ROLES)[number];

/** Stands for the bundled replica's origin in a profile's URLs. */
export const REPLICA_PLACEHOLDER = '{replica}';

export interface EnvProfile {
  /** Value of the `env` label: a slug such as `prod`. */
  name: string;
  description: string;
  /** True when the CLI must start the bundled replica and fill in `{replica}`. */
  replica: boolean;
  /** Base URL (origin, optionally with a path prefix, no trailing slash) per host role. */
  urls: Record<UrlRole, string>;
  /** Where the profile came from: `builtin:<name>` or the file's path. */
  source: string;
  /** Per-journey options (`journeys:`), defaults filled in (./journey-options.ts). */
  journeys: JourneyOptions;
  /** Faults to inject into the bundled replica (`replica_faults:`), as `--replica-fault` takes them. */
  replicaFaults: string[];
  /** API probes a run adds to the journeys (optional `probes:` section, ./probes-section.ts). */
  probes?: ProbesConfig;
  /** `budgets:` as written; validated by ./budgets.ts when a run reads it (src/cli/budgets.ts). */
  budgets?: unknown;
}

const BUILTIN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'envs');

/** Names of the built-in profiles, sorted. */
export function builtinEnvNames(): string[] {
  return readdirSync(BUILTIN_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => basename(f, '.yaml'))
    .sort();
}

/** True when `--env` names a file rather than a built-in profile. */
function looksLikePath(value: string): boolean {
  return value.includes('/') || /\.ya?ml$/i.test(value);
}

/** Loads `--env <name|file>` and validates it; throws UserError with one clear line. */
export function loadProfile(value: string): EnvProfile {
  if (!value) throw new UserError('--env is empty: give a built-in env name or a .yaml file');
  if (looksLikePath(value)) {
    let text: string;
    try {
      text = readFileSync(value, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UserError(`cannot read env profile ${value}: ${code === 'ENOENT' ? 'no such file' : code}`);
    }
    return parseProfile(text, value);
  }
  const names = builtinEnvNames();
  if (!names.includes(value)) {
    throw new UserError(`unknown env '${value}': use one of ${names.join(', ')}, or a path to a .yaml profile`);
  }
  return parseProfile(readFileSync(join(BUILTIN_DIR, `${value}.yaml`), 'utf8'), `builtin:${value}`);
}

/** Parses and validates profile text. `source` names it in error messages. */
export function parseProfile(text: string, source: string): EnvProfile {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    const first = String((err as Error).message).split('\n')[0];
    throw new UserError(`env profile ${source} is not valid YAML: ${first}`);
  }
  const fail = (what: string): never => {
    throw new UserError(`env profile ${source}: ${what}`);
  };
  if (!isRecord(doc)) return fail('must be a mapping with name and urls');
  const name = doc.name;
  if (typeof name !== 'string' || !SLUG.test(name)) {
    return fail(`name must be a lower-case slug such as "prod" (got ${JSON.stringify(name)})`);
  }
  const replica = doc.replica ?? false;
  if (typeof replica !== 'boolean') return fail('replica must be true or false');
  if (!isRecord(doc.urls)) return fail(`urls must map each of ${URL_ROLES.join(', ')} to a base URL`);
  const urls = {} as Record<UrlRole, string>;
  for (const role of URL_ROLES) {
    const raw = doc.urls[role];
    if (typeof raw !== 'string') return fail(`urls.${role} is missing`);
    if (raw.includes(REPLICA_PLACEHOLDER) && !replica) {
      return fail(`urls.${role} uses ${REPLICA_PLACEHOLDER} but replica is not true`);
    }
    if (!raw.includes(REPLICA_PLACEHOLDER) && !isHttpUrl(raw)) {
      return fail(`urls.${role} must be an http(s) URL (got ${JSON.stringify(raw)})`);
    }
    urls[role] = raw.replace(/\/+$/, '');
  }
  const unknown = Object.keys(doc.urls).filter((k) => !(URL_ROLES as readonly string[]).includes(k));
  if (unknown.length) return fail(`urls has unknown role(s) ${unknown.join(', ')}`);
  const description = typeof doc.description === 'string' ? doc.description : '';
  const journeys = parseJourneyOptions(doc.journeys, fail);
  const replicaFaults = parseReplicaFaults(doc.replica_faults, replica, fail);
  const probes = parseProbesSection(doc.probes, source);
  return { name, description, replica, urls, source, journeys, replicaFaults, ...(probes ? { probes } : {}), ...(doc.budgets !== undefined ? { budgets: doc.budgets } : {}) };
}

/** Fills `{replica}` in every URL with the replica's origin. */
export function withReplicaOrigin(profile: EnvProfile, origin: string): EnvProfile {
  const urls = { ...profile.urls };
  for (const role of URL_ROLES) urls[role] = urls[role].replace(REPLICA_PLACEHOLDER, origin);
  return { ...profile, urls };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** `--launch-sessions`: lets science_portal launch and delete a real session. */
export function withSessionLaunch(profile: EnvProfile): EnvProfile {
  return { ...profile, journeys: { ...profile.journeys, science_portal: { ...profile.journeys.science_portal, launch: true } } };
}
