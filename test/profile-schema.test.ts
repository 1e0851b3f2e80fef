/**
 * The env profile schema (src/config/profile.ts PROFILE_SCHEMA, zod): strict at every level, one
 * line per problem naming the file, the path and the nearest valid key; its JSON Schema and the
 * docs' key tables generated from it and never stale.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { ENV_DOC, ENV_SCHEMA_FILE, envOptionTables, envSchemaText, withTables } from '../src/cli/env-docs.ts';
import { PROFILE_SCHEMA, URL_ROLES, builtinEnvNames, loadProfile, parseProfile, type EnvProfile, type EnvProfileFile } from '../src/config/profile.ts';
import { nearestKey } from '../src/config/schema.ts';
import { UserError } from '../src/errors.ts';
import { probeOptions } from '../src/probes/plan.ts';

const urls = `urls:\n${URL_ROLES.map((r) => `  ${r}: https://${r}.example.org`).join('\n')}\n`;
const base = `name: mine\n${urls}`;

/** The one line `text` is refused with, as a run reads it: the profile, then each probe family's options (src/probes/plan.ts). */
function refusal(text: string): string {
  try {
    probeOptions(parseProfile(text, 'mine.yaml'));
  } catch (err) {
    assert.ok(err instanceof UserError, `a UserError, not ${(err as Error).name}`);
    assert.equal(err.exitCode, 2);
    assert.ok(!err.message.includes('\n'), `one line: ${err.message}`);
    return err.message;
  }
  assert.fail(`accepted:\n${text}`);
}

describe('env profile schema: strict at every level', () => {
  const unknownKeys: Array<[string, string, string]> = [
    ['top level', `${base}probe:\n  http: {}\n`, 'probe: unknown key; did you mean probes?'],
    ['top level', `${base}replica_fault: []\n`, 'replica_fault: unknown key; did you mean replica_faults?'],
    ['top level', `name: mine\nurl:\n  www: https://a\n`, 'url: unknown key; did you mean urls?'],
    ['top level', `${base}descripton: x\n`, 'descripton: unknown key; did you mean description?'],
    ['top level', `${base}colour: blue\n`, 'colour: unknown key; valid keys here: name, description, replica, urls, journeys, replica_faults, probes, journeys_dir, budgets'],
    ['urls', `${base}  wwww: https://x.example.org\n`, 'urls.wwww: unknown key; did you mean www?'],
    ['probes', `${base}probes:\n  htp: {}\n`, 'probes.htp: unknown key; did you mean http?'],
    ['probes', `${base}probes:\n  smtp: true\n`, 'probes.smtp: unknown key; valid keys here: http, k8s, vospace, headless'],
    ['probes.http', `${base}probes:\n  http:\n    service: [reg]\n`, 'probes.http.service: unknown key; did you mean services?'],
    ['probes.http', `${base}probes:\n  http:\n    data-file: x\n`, 'probes.http.data-file: unknown key; did you mean data_file?'],
    ['probes.k8s', `${base}probes:\n  k8s:\n    kind: [pods]\n`, 'probes.k8s.kind: unknown key; did you mean kinds?'],
    ['probes.k8s', `${base}probes:\n  k8s:\n    namespce: x\n    contxt: y\n`, 'probes.k8s.namespce: unknown key; did you mean namespace? (also unknown: contxt)'],
  ];
  for (const [level, text, line] of unknownKeys) {
    it(`${level}: ${line}`, () => assert.equal(refusal(text), `env profile mine.yaml: ${line}`));
  }

  it('an unknown key is named before what it made missing (url: instead of urls:)', () => {
    assert.match(refusal('name: mine\nurl: {}\n'), /: url: unknown key; did you mean urls\?$/);
  });

  const badValues: Array<[string, string, RegExp]> = [
    ['empty file', '', /^env profile mine\.yaml is empty: it needs at least name and urls/],
    ['only a comment', '# nothing\n', /is empty/],
    ['a list', '- name: mine\n', /^env profile mine\.yaml: must be a mapping with name and urls \(got a list\)$/],
    ['a scalar', 'prod\n', /must be a mapping with name and urls \(got "prod"\)$/],
    ['no name', urls, /: name: missing: the env label value/],
    ['name not a slug', `name: My Portal\n${urls}`, /: name: must be a lower-case slug such as "prod" \(got "My Portal"\)$/],
    ['name a number', `name: 7\n${urls}`, /: name: must be a lower-case slug such as "prod" \(got 7\)$/],
    ['a missing role', `name: mine\nurls:\n  www: https://a.example.org\n`, /: urls\.canfar: missing: every role \(www, canfar, ws_cadc, ws, ws_uv\) needs a base URL$/],
    ['urls a list', 'name: mine\nurls: [https://a]\n', /: urls: must be a mapping of each role .* to a base URL \(got a list\)$/],
    ['ftp URL', base.replace('https://www.', 'ftp://www.'), /: urls\.www: must be an http\(s\) URL \(got ftp:\)$/],
    ['not a URL', base.replace('https://ws.example.org', 'ws.example.org'), /: urls\.ws: must be an http\(s\) URL such as https:\/\/www\.example\.org \(got "ws\.example\.org"\)$/],
    ['user-info', base.replace('https://ws_uv.', 'https://me:secret@ws_uv.'), /: urls\.ws_uv: must not hold user-info \(user:password@\): journeys log in with PERFPULSE_USERNAME/],
    ['a query', base.replace('https://canfar.example.org', 'https://canfar.example.org/?x=1'), /: urls\.canfar: must be a base URL without \?query or #fragment$/],
    ['a role not a string', base.replace('https://ws_cadc.example.org', '[a]'), /: urls\.ws_cadc: must be an http\(s\) URL \(got a list\)$/],
    ['{replica} without replica', `name: mine\nurls:\n${URL_ROLES.map((r) => `  ${r}: "{replica}"`).join('\n')}\n`, /: urls\.www: uses \{replica\} but replica is not true$/],
    ['replica not a boolean', `${base}replica: "yes"\n`, /: replica: must be true or false \(got "yes"\)$/],
    ['description a list', `${base}description: [a]\n`, /: description: must be a string \(got a list\)$/],
    ['journeys a list', `${base}journeys: [search]\n`, /: journeys: must be a mapping of journey name to options \(got a list\)$/],
    ['a journey a number', `${base}journeys:\n  search: 5\n`, /: journeys\.search: must be a mapping of option to value \(got 5\)$/],
    ['replica_faults a string', `${base}replica_faults: "GET /=hang"\n`, /: replica_faults: must be a list of strings/],
    ['replica_faults without replica', `${base}replica_faults: ["GET /=hang"]\n`, /: replica_faults: needs replica: true/],
    ['probes a string', `${base}probes: all\n`, /: probes: must be a mapping with http, k8s, vospace and\/or headless \(got "all"\)$/],
    ['probes.http a number', `${base}probes:\n  http: 3\n`, /: probes\.http: must be true, false or a mapping with services, data_file, ca \(got 3\)$/],
    ['services not a list', `${base}probes:\n  http:\n    services: reg\n`, /: probes\.http\.services: must be a list of services, e.g\. \[reg, ac\] \(got "reg"\)$/],
    ['an empty service', `${base}probes:\n  http:\n    services: [reg, ""]\n`, /: probes\.http\.services\[1\]: must be a name, not empty$/],
    ['kinds not a list', `${base}probes:\n  k8s:\n    kinds: pods\n`, /: probes\.k8s\.kinds: must be a list of kinds, e.g\. \[pods, jobs\] \(got "pods"\)$/],
    ['context a number', `${base}probes:\n  k8s:\n    context: 3\n`, /: probes\.k8s\.context: must be a context name \(got 3\)$/],
    ['YAML that does not parse', 'name: [unclosed\n', /^env profile mine\.yaml is not valid YAML: /],
    ['a duplicated key', `${base}name: other\n`, /^env profile mine\.yaml is not valid YAML: Map keys must be unique/],
  ];
  for (const [what, text, line] of badValues) {
    it(`refuses ${what} with one line`, () => assert.match(refusal(text), line));
  }

  it('accepts every documented form, and fills the defaults', () => {
    const p = parseProfile(`${base}probes:\n  http:\n  k8s: false\n`, 'mine.yaml');
    assert.deepEqual(p.probes, { http: null, k8s: false }, 'config passes each family through as written');
    assert.deepEqual(probeOptions(p), { http: { services: undefined, options: { dataFile: undefined } } }, 'the plan reads it: null takes every default, false is off');
    assert.equal(p.replica, false);
    assert.equal(p.description, '');
    assert.deepEqual(p.replicaFaults, []);
    assert.equal(parseProfile(`${base}probes: false\njourneys:\nreplica_faults:\n`, 'mine.yaml').probes, undefined);
    assert.deepEqual(probeOptions(parseProfile(`${base}probes: {}\n`, 'mine.yaml')), {});
    assert.equal(parseProfile(base.replace('https://www.example.org', 'https://www.example.org/prefix/'), 'm').urls.www, 'https://www.example.org/prefix');
  });

  it('a directory is refused with one line', () => {
    assert.throws(() => loadProfile('docs/'), /: env profile docs\/ is a directory: give a \.yaml file/);
  });

  it('the nearest key: a prefix either way, else a few edits, else none', () => {
    assert.equal(nearestKey('timeout', ['target', 'collection', 'timeout_seconds']), 'timeout_seconds');
    assert.equal(nearestKey('probe', ['probes', 'name']), 'probes');
    assert.equal(nearestKey('Replica', ['replica', 'replica_faults']), 'replica');
    assert.equal(nearestKey('urs', ['urls', 'name']), 'urls');
    assert.equal(nearestKey('zzz', ['urls', 'name']), undefined);
  });

  it('the types come from the schema', () => {
    // compile-time: a file's shape and a loaded profile's are the schema's input and output
    const file: EnvProfileFile = { name: 'x', urls: { www: 'https://a', canfar: 'https://a', ws_cadc: 'https://a', ws: 'https://a', ws_uv: 'https://a' } };
    const parsed = PROFILE_SCHEMA.parse(file);
    const profile: Omit<EnvProfile, 'source' | 'journeys'> = parsed;
    assert.equal(profile.replica, false);
    // @ts-expect-error: an unknown key is a type error too
    const wrong: EnvProfileFile = { ...file, probe: {} };
    assert.equal(PROFILE_SCHEMA.safeParse(wrong).success, false);
  });
});

describe('env profile schema: exported for editors and docs', () => {
  it('docs/env-profile.schema.json is what `npm run docs:env` generates', () => {
    assert.equal(readFileSync(ENV_SCHEMA_FILE, 'utf8'), envSchemaText(), 'docs/env-profile.schema.json is stale: run `npm run docs:env` and commit it');
  });

  it("docs/environments.md's key tables are what `npm run docs:env` generates", () => {
    const doc = readFileSync(ENV_DOC, 'utf8');
    assert.equal(doc, withTables(doc), 'docs/environments.md is stale: run `npm run docs:env` and commit it');
    for (const section of ['top level', 'urls', 'probes', 'probes.http', 'probes.k8s']) assert.ok(envOptionTables().includes(`**${section}**`), section);
  });

  it('the JSON Schema is strict wherever the zod schema is: every mapping with keys allows no other', () => {
    const schema = JSON.parse(envSchemaText());
    const open: string[] = [];
    const walk = (s: Record<string, unknown>, where: string) => {
      if (s.properties && s.additionalProperties !== false) open.push(where);
      for (const [k, v] of Object.entries((s.properties as Record<string, Record<string, unknown>>) ?? {})) walk(v, `${where}.${k}`);
      for (const [i, v] of ((s.anyOf as Record<string, unknown>[]) ?? []).entries()) walk(v, `${where}|${i}`);
    };
    walk(schema, '$');
    assert.deepEqual(open, []);
    assert.deepEqual(schema.required, ['name', 'urls']);
    assert.deepEqual(schema.properties.urls.required, [...URL_ROLES]);
  });

  it('every YAML example in docs/environments.md is a valid profile (sections on top of a minimal one)', () => {
    const doc = readFileSync(ENV_DOC, 'utf8');
    const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    assert.ok(blocks.length >= 3, 'the examples are there');
    const minimal = { name: 'doc', replica: true, urls: Object.fromEntries(URL_ROLES.map((r) => [r, '{replica}'])) };
    for (const block of blocks) {
      const example = parseYaml(block) as Record<string, unknown>;
      const doc = 'urls' in example ? example : { ...minimal, ...example };
      const r = PROFILE_SCHEMA.safeParse(doc);
      assert.ok(r.success, `${block}\n${r.error?.message}`);
      assert.doesNotThrow(() => probeOptions({ ...r.data, source: 'docs/environments.md' }), block);
    }
  });

  it('the built-in profiles parse and point editors at the JSON Schema', () => {
    for (const name of builtinEnvNames()) {
      assert.equal(loadProfile(name).name, name);
      const text = readFileSync(new URL(`../src/config/envs/${name}.yaml`, import.meta.url), 'utf8');
      assert.match(text, /^# yaml-language-server: \$schema=\.\.\/\.\.\/\.\.\/docs\/env-profile\.schema\.json\n/);
    }
  });
});
