/**
 * A user's own journeys beside the built-in ones, from this checkout's sources: --journeys-dir,
 * journeys_dir in an env profile, the journeys command's listing, record into the user's folder,
 * and the refusals (a built-in's name, a missing folder, a file not named as a journey), each one
 * line and exit 2. test/package.test.ts does the same from the installed npm package.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseExposition } from '../src/metrics/parse.ts';
import { PROJECT_ROOT } from '../src/runtime/runner/journeys.ts';
import { runCli, tmpDir } from './support/helpers.ts';

const API = join(PROJECT_ROOT, 'src', 'runtime', 'api', 'index.ts');

/** A journey of the user's: TypeScript (a type annotation Playwright must strip), the search page's Search button. */
const hello = (name: string) => `import { expect, journey, searchButton, step, type Site } from '${API}';

journey({ name: '${name}', steps: ['open_search_page'] }, async ({ page, site }) => {
  const where: Site['env'] = site.env;
  await step('open_search_page', async () => {
    await page.goto(site.url('www', '/en/search/'));
    await expect(searchButton(page), \`the Search button on \${where}\`).toBeEnabled({ timeout: 30_000 });
  });
});
`;

/** A project folder ("type": "module", as init writes) with a journeys/ folder holding `files`. */
function project(files: Record<string, string>): { root: string; journeys: string } {
  const root = tmpDir('perfpulse-userproj-');
  writeFileSync(join(root, 'package.json'), '{"private":true,"type":"module"}\n');
  const journeys = join(root, 'journeys');
  mkdirSync(journeys);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(journeys, name), text);
  return { root, journeys };
}

/** Lines a refused command printed: exactly one, naming what is wrong. */
function refused(r: { code: number | null; stderr: string }, pattern: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, `one line, got:\n${r.stderr}`);
  assert.match(r.stderr, pattern);
}

describe('--journeys-dir: your own journeys beside the built-in ones', () => {
  it('runs a TypeScript journey from a ConfigMap-like folder (files behind symlinks) beside the built-in login', async () => {
    // a Kubernetes ConfigMap volume: <dir>/hello.journey.ts -> ..data/hello.journey.ts, ..data -> ..2026_01_01
    const root = tmpDir('perfpulse-cm-');
    writeFileSync(join(root, 'package.json'), '{"private":true,"type":"module"}\n');
    const dir = join(root, 'journeys');
    mkdirSync(join(dir, '..2026_01_01'), { recursive: true });
    writeFileSync(join(dir, '..2026_01_01', 'hello.journey.ts'), hello('hello'));
    symlinkSync('..2026_01_01', join(dir, '..data'));
    symlinkSync(join('..data', 'hello.journey.ts'), join(dir, 'hello.journey.ts'));

    const r = await runCli(['--env', 'local', '--journeys-dir', dir, '--journeys', 'hello,login', '--only', 'journeys', '--dry-run'], {}, 180_000);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^hello\s+open_search_page\s+ok\s/m);
    assert.match(r.stderr, /^login\s+\(journey\)\s+passed\s/m);
    const steps = parseExposition(r.stdout).find((f) => f.name === 'perfpulse_usersim_step_duration_seconds');
    const seen = (steps?.samples ?? []).map((s) => `${s.labels.journey}/${s.labels.step}`).sort();
    assert.deepEqual(seen, ['hello/open_search_page', 'login/open_login_page', 'login/see_user_menu', 'login/submit_credentials', 'login/token_login']);
  });

  it("journeys_dir in an env profile is relative to the profile's file; journeys says where each journey comes from", async () => {
    const { root, journeys } = project({ 'hello.journey.ts': hello('hello') });
    mkdirSync(join(root, 'profiles'));
    const profile = join(root, 'profiles', 'lab.yaml');
    const local = readFileSync(join(PROJECT_ROOT, 'src', 'config', 'envs', 'local.yaml'), 'utf8');
    writeFileSync(profile, `${local.replace(/^name: local$/m, 'name: lab')}journeys_dir: ../journeys\n`);

    const json = await runCli(['journeys', '--env', profile, '--json']);
    assert.equal(json.code, 0, json.stderr);
    const listed = JSON.parse(json.stdout) as Array<{ journey: string; from: string; steps: Array<{ step: string }> }>;
    assert.deepEqual(listed.map((j) => j.journey), ['download', 'hello', 'login', 'science_portal', 'search', 'storage'], 'sorted by name, built-in and own');
    const own = listed.find((j) => j.journey === 'hello');
    assert.equal(own?.from, journeys);
    assert.deepEqual(own?.steps.map((s) => s.step), ['open_search_page']);
    assert.ok(listed.filter((j) => j.journey !== 'hello').every((j) => j.from === 'built-in'));

    const text = await runCli(['journeys', '--env', profile]);
    assert.equal(text.code, 0, text.stderr);
    assert.ok(text.stdout.includes(`hello  (${journeys})\n  open_search_page\n`), text.stdout);
    assert.match(text.stdout, /^login {2}\(built-in\)$/m);

    // --journeys-dir (or PERFPULSE_JOURNEYS_DIR) takes the profile's place
    const other = project({ 'other_flow.journey.ts': hello('other_flow') });
    const env = await runCli(['journeys', '--env', profile, '--json'], { PERFPULSE_JOURNEYS_DIR: other.journeys });
    const names = (JSON.parse(env.stdout) as Array<{ journey: string }>).map((j) => j.journey);
    assert.ok(names.includes('other_flow') && !names.includes('hello'), names.join(', '));
  });

  it('bad input is one line and exit 2: a built-in name, no such folder, an empty folder, a file not named as a journey, a bad journeys_dir', async () => {
    const clash = project({ 'login.journey.ts': hello('login') });
    refused(await runCli(['--env', 'local', '--journeys-dir', clash.journeys, '--dry-run']), /login\.journey\.ts has the name of a built-in journey: rename it/);
    refused(await runCli(['journeys', '--journeys-dir', clash.journeys]), /has the name of a built-in journey/);
    refused(await runCli(['--env', 'local', '--journeys-dir', join(clash.root, 'nope'), '--dry-run']), /journeys dir \S+\/nope: no such directory/);
    refused(await runCli(['journeys', '--journeys-dir', project({}).journeys]), /has no \*\.journey\.ts file/);
    refused(await runCli(['journeys', '--journeys-dir', project({ 'My-Flow.journey.ts': hello('my_flow') }).journeys]), /My-Flow\.journey\.ts is not named as a journey/);
    const profile = join(tmpDir(), 'bad.yaml');
    writeFileSync(profile, `${readFileSync(join(PROJECT_ROOT, 'src', 'config', 'envs', 'prod.yaml'), 'utf8')}journeys_dir: [a, b]\n`);
    refused(await runCli(['journeys', '--env', profile]), /journeys_dir: must be a folder path/);
  });

  it('record --from writes into the user folder, importing from the package; a built-in name is refused', async () => {
    const { journeys } = project({ 'hello.journey.ts': hello('hello') });
    const rec = join(PROJECT_ROOT, 'test', 'fixtures', 'recordings', 'login.recorded.ts');
    const r = await runCli(['record', 'my_login', '--journeys-dir', journeys, '--from', rec]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^run it: perfpulse-journeys --env local --journeys-dir \S+ --journeys my_login --dry-run$/m);
    const text = readFileSync(join(journeys, 'my_login.journey.ts'), 'utf8');
    assert.match(text, /^import \{[^}]*\bjourney\b[^}]*\} from 'perfpulse-journeys';$/m);
    assert.ok(!text.includes('src/runtime'), 'no path into the package');
    const listed = JSON.parse((await runCli(['journeys', '--journeys-dir', journeys, '--json'])).stdout) as Array<{ journey: string; from: string }>;
    assert.equal(listed.find((j) => j.journey === 'my_login')?.from, journeys);
    refused(await runCli(['record', 'login', '--journeys-dir', journeys, '--from', rec]), /login is the name of a built-in journey/);
  });
});
