/**
 * The env profile schema for people and editors, generated from PROFILE_SCHEMA
 * (src/config/profile.ts) with each probe family's options schema (src/probes/plan.ts
 * PROBE_OPTIONS) in its place under `probes:`: docs/env-profile.schema.json (JSON Schema 2020-12,
 * for editors: `# yaml-language-server: $schema=...`) and the key tables in docs/environments.md
 * between the GENERATED markers. `npm run docs:env` writes both; test/profile-schema.test.ts fails
 * when either is stale. It lives in the cli because it composes two rooms: config passes
 * `probes:` through as written and may not import the probes, which declare their options
 * themselves (docs/architecture.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { PROFILE_SCHEMA } from '../config/profile.ts';
import { PROBE_OPTIONS } from '../probes/plan.ts';

export const ENV_SCHEMA_FILE = new URL('../../docs/env-profile.schema.json', import.meta.url);
export const ENV_DOC = new URL('../../docs/environments.md', import.meta.url);
export const BEGIN = '<!-- BEGIN GENERATED from src/config/profile.ts and the probes\' options by `npm run docs:env`; do not edit by hand -->';
export const END = '<!-- END GENERATED -->';

interface Json {
  type?: string;
  const?: unknown;
  default?: unknown;
  description?: string;
  pattern?: string;
  minLength?: number;
  properties?: Record<string, Json>;
  required?: string[];
  items?: Json;
  anyOf?: Json[];
  additionalProperties?: boolean | Json;
  [k: string]: unknown;
}

const jsonOf = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as Json;

/** The JSON Schema of an env profile file (what is written, before defaults are filled in). */
export function envProfileJsonSchema(): Json {
  const { $schema, ...rest } = jsonOf(PROFILE_SCHEMA);
  // config describes each family as "anything": in its place, the family's own options
  const families = objectOf(rest.properties?.probes)?.properties ?? {};
  for (const [family, options] of Object.entries(PROBE_OPTIONS)) {
    const { $schema: _, ...own } = jsonOf(options.schema);
    const description = families[family]?.description;
    families[family] = { ...(description ? { description } : {}), ...own };
  }
  return {
    $schema,
    title: 'perfpulse-journeys env profile',
    description: 'Which portal a run measures (docs/environments.md). Generated from src/config/profile.ts and the probes\' options by `npm run docs:env`.',
    ...rest,
  };
}

export function envSchemaText(): string {
  return `${JSON.stringify(envProfileJsonSchema(), null, 2)}\n`;
}

/** `string`, `true, false or mapping`, `list of string`, for a table cell. */
function typeOf(s: Json): string {
  if (typeof s.title === 'string') return s.title;
  if (s.anyOf) {
    const parts = s.anyOf.filter((b) => b.type !== 'null').map(typeOf);
    return [...new Set(parts)].join(' or ') + (s.anyOf.some((b) => b.type === 'null') ? ' (or empty)' : '');
  }
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.type === 'boolean') return 'true or false';
  if (s.type === 'array') return `list of ${s.items ? typeOf(s.items) : 'values'}`;
  if (s.type === 'object') return 'mapping';
  if (s.type === 'string' && s.pattern) return `string matching \`${s.pattern}\``;
  if (s.type === 'string' && s.minLength) return 'non-empty string';
  return s.type ?? 'anything';
}

/** The object branch of a property (a mapping, possibly one choice of several). */
function objectOf(s: Json | undefined): Json | undefined {
  if (!s) return undefined;
  if (s.type === 'object' && s.properties) return s;
  return s.anyOf?.map(objectOf).find(Boolean);
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

function table(where: string, obj: Json): string {
  const required = new Set(obj.required ?? []);
  const rows = Object.entries(obj.properties ?? {}).map(([key, p]) => {
    const need = required.has(key) ? 'required' : p.default !== undefined ? `default ${JSON.stringify(p.default)}` : 'optional';
    return `| \`${key}\` | ${cell(typeOf(p))} | ${need} | ${cell(p.description ?? '')} |`;
  });
  return `**${where}** (no other key is accepted)\n\n| key | type | | what |\n|---|---|---|---|\n${rows.join('\n')}\n`;
}

/** One table per mapping of the schema, top level first, depth first. */
export function envOptionTables(): string {
  const out: string[] = [];
  const walk = (where: string, obj: Json) => {
    out.push(table(where, obj));
    for (const [key, p] of Object.entries(obj.properties ?? {})) {
      const inner = objectOf(p);
      if (inner) walk(where === 'top level' ? key : `${where}.${key}`, inner);
    }
  };
  walk('top level', envProfileJsonSchema());
  return out.join('\n');
}

/** `doc` with its generated part replaced by what the schema says now. */
export function withTables(doc: string): string {
  const a = doc.indexOf(BEGIN);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error(`docs/environments.md lacks the ${BEGIN} … ${END} markers`);
  return `${doc.slice(0, a + BEGIN.length)}\n\n${envOptionTables()}\n${doc.slice(b)}`;
}

if (import.meta.main) {
  const write = (file: URL, want: string, name: string) => {
    let have = '';
    try {
      have = readFileSync(file, 'utf8');
    } catch {
      have = '';
    }
    if (have === want) process.stdout.write(`${name} is up to date\n`);
    else {
      writeFileSync(file, want);
      process.stdout.write(`wrote ${name}\n`);
    }
  };
  write(ENV_SCHEMA_FILE, envSchemaText(), 'docs/env-profile.schema.json');
  write(ENV_DOC, withTables(readFileSync(ENV_DOC, 'utf8')), 'docs/environments.md');
}
