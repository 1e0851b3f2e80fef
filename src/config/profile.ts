/**
 * Env profiles: which portal a run measures. A profile names the env (the `env` label on every
 * metric) and gives the base URL of each host role; journeys build every URL from these roles,
 * so no host name is ever written in a journey.
 *
 * Built-in profiles live in ./envs/*.yaml; `--env ./my-portal.yaml` loads a user's own file with
 * the same schema (docs/environments.md).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UserError } from '../errors.ts';
import { SLUG } from '../metrics/labels.ts';
import { PROBES_SCHEMA } from './probes-section.ts';
import { describeValue, schemaProblem, strict } from './schema.ts';

/** Host roles a profile must give, one per real host of the CADC/CANFAR portals. */
export const URL_ROLES = ['www', 'canfar', 'ws_cadc', 'ws', 'ws_uv'] as const;
export type UrlRole = (typeof URL_ROLES)[number];

/** Stands for the bundled replica's origin in a profile's URLs. */
export const REPLICA_PLACEHOLDER = '{replica}';

/** What each role serves (the docs' table and the JSON Schema's descriptions). */
const ROLE_HELP: Record<UrlRole, string> = {
  www: 'CADC site: /access login, /en/search, /downloadManager',
  canfar: 'CANFAR site: /science-portal, /storage',
  ws_cadc: '/ac: token login, whoami',
  ws: '/reg, /argus (TAP), /data',
  ws_uv: '/skaha, /arc',
};

/** Why a base URL is refused, or undefined when it is fine. */
function urlProblem(v: string): string | undefined {
  if (v.includes(REPLICA_PLACEHOLDER)) return undefined; // checked against `replica:` below
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return `must be an http(s) URL such as https://www.example.org (got ${describeValue(v)})`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `must be an http(s) URL (got ${u.protocol.replace(/:$/, '')}:)`;
  if (u.username || u.password) return 'must not hold user-info (user:password@): journeys log in with PERFPULSE_USERNAME and PERFPULSE_PASSWORD_FILE';
  if (u.search || u.hash) return 'must be a base URL without ?query or #fragment';
  return undefined;
}

const baseUrl = (role: UrlRole) =>
  z
    .string({ error: (iss) => (iss.input === undefined ? `missing: every role (${URL_ROLES.join(', ')}) needs a base URL` : `must be an http(s) URL (got ${describeValue(iss.input)})`) })
    .regex(/^(https?:\/\/|\{replica\})/i, { error: (iss) => urlProblem(String(iss.input)) ?? 'must be an http(s) URL' })
    .superRefine((v, ctx) => {
      const problem = urlProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .meta({ title: 'http(s) URL', description: `${ROLE_HELP[role]}; or "${REPLICA_PLACEHOLDER}" with replica: true` });

const URLS = strict(
  Object.fromEntries(URL_ROLES.map((r) => [r, baseUrl(r)])) as Record<UrlRole, ReturnType<typeof baseUrl>>,
  `a mapping of each role (${URL_ROLES.join(', ')}) to a base URL`,
);

/**
 * An env profile file, strict at every level. `journeys:` is a mapping of journey name to its
 * options: each journey declares its options' schema beside its code, and the CLI checks them
 * against it before a run (src/runtime/runner/declarations.ts; config comes before the journeys
 * and cannot read them); every other key is described here.
 */
export const PROFILE_SCHEMA = strict(
  {
    name: z
      .string({ error: (iss) => (iss.input === undefined ? 'missing: the env label value, a lower-case slug such as "prod"' : `must be a lower-case slug such as "prod" (got ${describeValue(iss.input)})`) })
      .regex(SLUG, { error: (iss) => `must be a lower-case slug such as "prod" (got ${describeValue(iss.input)})` })
      .meta({ title: 'slug', description: 'the `env` label on every metric: a lower-case slug (lower-case letters, digits and _, at most 48 characters)' }),
    description: z.string({ error: (iss) => `must be a string (got ${describeValue(iss.input)})` }).default('').describe('one line for `perfpulse-journeys envs`'),
    replica: z
      .boolean({ error: (iss) => `must be true or false (got ${describeValue(iss.input)})` })
      .default(false)
      .describe('true: the CLI starts the bundled replica and fills in {replica}'),
    urls: URLS.describe('base URL per host role (no trailing slash needed; no user-info)'),
    journeys: z
      .record(
        z.string(),
        z.record(z.string(), z.unknown(), { error: (iss) => `must be a mapping of option to value (got ${describeValue(iss.input)})` }).nullable(),
        { error: (iss) => `must be a mapping of journey name to options (got ${describeValue(iss.input)})` },
      )
      .nullable()
      .optional()
      .describe("per journey, its options (each journey's own schema; docs/journeys.md)"),
    replica_faults: z
      .array(z.string({ error: 'must be a fault spec such as "POST /access/login=delay:500"' }), {
        error: (iss) => `must be a list of strings such as "POST /access/login=delay:500" (got ${describeValue(iss.input)})`,
      })
      .nullable()
      .optional()
      .describe('only with replica: true; the same specs as --replica-fault (README)'),
    probes: PROBES_SCHEMA,
    journeys_dir: z
      .string({ error: (iss) => `must be a folder path (relative to the profile file) (got ${describeValue(iss.input)})` })
      .min(1, { error: 'must be a folder path (relative to the profile file), not empty' })
      .optional()
      .describe('your own *.journey.ts files, run beside the built-in journeys (relative to this file; --journeys-dir wins)'),
    budgets: z
      .unknown()
      .optional()
      .describe('warn/fail limits per journey and step (--budgets takes the same YAML; checked against the journeys when a run reads it)'),
  },
  'a mapping with name and urls',
)
  .superRefine((doc, ctx) => {
    for (const role of URL_ROLES) {
      if (doc.urls[role].includes(REPLICA_PLACEHOLDER) && !doc.replica) ctx.addIssue({ code: 'custom', path: ['urls', role], message: `uses ${REPLICA_PLACEHOLDER} but replica is not true` });
    }
    if (doc.replica_faults?.length && !doc.replica) ctx.addIssue({ code: 'custom', path: ['replica_faults'], message: 'needs replica: true (faults are injected into the bundled replica only)' });
  })
  .transform((doc) => ({
    name: doc.name,
    description: doc.description,
    replica: doc.replica,
    urls: Object.fromEntries(URL_ROLES.map((r) => [r, doc.urls[r].replace(/\/+$/, '')])) as Record<UrlRole, string>,
    journeys: Object.fromEntries(Object.entries(doc.journeys ?? {}).map(([name, options]) => [name, options ?? {}])) as JourneysSection,
    replicaFaults: doc.replica_faults ?? [],
    ...(doc.probes ? { probes: doc.probes } : {}),
    ...(doc.journeys_dir ? { journeysDir: doc.journeys_dir } : {}),
    ...(doc.budgets !== undefined ? { budgets: doc.budgets } : {}),
  }));

/** Journey name → its options as written in the profile (not yet checked against the journey). */
export type JourneysSection = Record<string, Record<string, unknown>>;

/** A profile file as written (what editors validate: docs/env-profile.schema.json). */
export type EnvProfileFile = z.input<typeof PROFILE_SCHEMA>;

/**
 * A loaded profile: the schema's output, plus where it came from. `journeys` holds each journey's
 * options as written until the CLI checks them against the journeys' declarations and fills in
 * their defaults (src/cli/run-plan.ts withJourneyOptions); `probes` each probe family's options as
 * written until the probe plan checks them against the family's own schema (src/probes/plan.ts
 * probeOptions); `journeysDir` is absolute.
 */
export type EnvProfile = Omit<z.output<typeof PROFILE_SCHEMA>, 'journeysDir'> & {
  /** Where the profile came from: `builtin:<name>` or the file's path. */
  source: string;
  /** `journeys_dir:`, absolute (relative to the profile file's folder): the user's own journeys, run beside the built-in ones. */
  journeysDir?: string;
};

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
      if (statSync(value).isDirectory()) throw new UserError(`env profile ${value} is a directory: give a .yaml file, e.g. ${join(value, 'env.yaml')}`);
      text = readFileSync(value, 'utf8');
    } catch (err) {
      if (err instanceof UserError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      throw new UserError(`cannot read env profile ${value}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code}`);
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
  if (doc === null || doc === undefined) throw new UserError(`env profile ${source} is empty: it needs at least name and urls (docs/environments.md)`);
  const parsed = PROFILE_SCHEMA.safeParse(doc);
  if (!parsed.success) throw new UserError(`env profile ${source}: ${schemaProblem(parsed.error)}`);
  const { journeysDir, probes, ...rest } = parsed.data;
  const dir = journeysDir === undefined ? undefined : resolve(source.startsWith('builtin:') ? '.' : dirname(source), journeysDir);
  return { ...rest, source, ...(probes ? { probes } : {}), ...(dir ? { journeysDir: dir } : {}) };
}

/** Fills `{replica}` in every URL with the replica's origin. */
export function withReplicaOrigin(profile: EnvProfile, origin: string): EnvProfile {
  const urls = { ...profile.urls };
  for (const role of URL_ROLES) urls[role] = urls[role].replace(REPLICA_PLACEHOLDER, origin);
  return { ...profile, urls };
}
