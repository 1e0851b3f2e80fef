/**
 * `perfpulse-journeys record`: the conversion of recorded codegen output (committed samples made
 * with the real recorder, test/fixtures/recordings/) into journeys that type-check and run through
 * the real CLI on the replica; the command's input errors; and, where xvfb-run exists, the real
 * command in a headed Chromium on a virtual display, driven from outside over CDP like a user.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadProfile, withReplicaOrigin, type UrlRole } from '../src/config/profile.ts';
import { UserError } from '../src/errors.ts';
import { METRICS } from '../src/metrics/catalog.ts';
import { MAX_STEPS_PER_JOURNEY, SLUG } from '../src/metrics/labels.ts';
import { parseExposition, samplesOf } from '../src/metrics/parse.ts';
import { convertRecording, roleFor, type ConvertOptions } from '../src/record/convert.ts';
import { CDP_PORT_VAR } from '../src/record/record.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { JOURNEYS_DIR, PROJECT_ROOT, journeyFile } from '../src/runtime/runner/journeys.ts';
import { runCli, tmpDir } from './support/helpers.ts';

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'recordings');
const RECORDED_ORIGIN = 'http://127.0.0.1:43159';
const local = withReplicaOrigin(loadProfile('local'), RECORDED_ORIGIN);
const demo = { username: DEMO_USER.username, password: DEMO_USER.password };
const sample = (name: string) => readFileSync(join(FIXTURES, `${name}.recorded.ts`), 'utf8');
const opts = (name: string, extra: Partial<ConvertOptions> = {}): ConvertOptions => ({ name, env: 'local', urls: local.urls, credentials: demo, auth: false, ...extra });

/** Unique journey names for files this test writes into journeys/ (and always deletes). */
const tmpName = (tag: string) => `rectest_${tag}_${process.pid}`;
function withJourneyFiles<T>(files: Record<string, string>, body: () => Promise<T>): Promise<T> {
  for (const [name, source] of Object.entries(files)) writeFileSync(journeyFile(name), source);
  return body().finally(() => {
    for (const name of Object.keys(files)) rmSync(journeyFile(name), { force: true });
  });
}

const POPUP_RECORDING = `import { test, expect } from '@playwright/test';

test('test', async ({ page }) => {
  await page.goto('${RECORDED_ORIGIN}/en/search/');
  const page1Promise = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Download' }).click();
  const page1 = await page1Promise;
  await page1.getByRole('button', { name: 'URL List' }).click();
  page1.once('dialog', dialog => {
    console.log(\`Dialog message: \${dialog.message()}\`);
    dialog.dismiss().catch(() => {});
  });
  await page1.getByRole('button', { name: 'Cancel; go back' }).click();
  await page1.getByRole('textbox', { name: 'Note' }).press('Tab');
});`;

describe('convertRecording (recorded codegen samples)', () => {
  it('login: steps at each navigating action, env-relative URLs, typed credentials as references', () => {
    const r = convertRecording(sample('login'), opts('rec_login'));
    assert.deepEqual(r.steps, ['open_en', 'click_login', 'submit_password', 'click_user']);
    assert.ok(r.source.includes("await page.goto(site.url('www', '/en/'));"), r.source);
    assert.ok(r.source.includes(".fill(credentials.username);"));
    assert.ok(r.source.includes(".fill(credentials.password);"));
    assert.ok(r.source.includes("getByRole('link', { name: credentials.username })"), 'the user name in a locator is a reference too');
    assert.match(r.source, /await secretly\(page, async \(\) => \{\n\s+await page\.getByRole\('textbox', \{ name: 'Password' \}\)\.fill\(credentials\.password\);\n\s+await page\.getByRole\('textbox', \{ name: 'Password' \}\)\.press\('Enter'\);\n\s+\}\);/);
    assert.equal(r.credentialFills, 2);
    assert.ok(!r.source.includes(DEMO_USER.password), 'no password');
    assert.ok(!r.source.includes(DEMO_USER.username), 'no user name');
    assert.ok(!r.source.includes('43159'), 'no recorded origin');
    assert.match(r.source, /^journey\(\n  \{ name: 'rec_login', steps: \['open_en', 'click_login', 'submit_password', 'click_user'\] \},\n  async \(\{ page, site, credentials \}\) => \{$/m);
    assert.match(r.source, /^import \{ journey, secretly, step \} from '\.\.\/src\/runtime\/api\/journey\.ts';$/m);
  });

  it('search: a foreign origin is kept and flagged; the popup stays in the step that opened it', () => {
    const r = convertRecording(sample('search'), opts('rec_search'));
    assert.deepEqual(r.steps, ['open_en', 'click_advanced_search', 'click_search', 'click_download', 'open_en_2']);
    assert.deepEqual(r.foreignOrigins, ['http://localhost:43159']);
    assert.match(r.source, /\/\/ perfpulse: http:\/\/localhost:43159 is none of env local's URLs: kept as recorded\n\s+await page\.goto\('http:\/\/localhost:43159\/en\/'\);/);
    const download = r.source.slice(r.source.indexOf("await step('click_download'"), r.source.indexOf("await step('open_en_2'"));
    assert.ok(download.includes("const page1Promise = page.waitForEvent('popup');") && download.includes('const page1 = await page1Promise;'), download);
    assert.ok(r.source.includes(".fill('M31');"), 'a typed value that is no credential stays');
    assert.doesNotMatch(r.source, /credentials/, 'no credential used: the journey runs anonymously');
  });

  it('storage: the path decides the role on a shared origin; the user name in a URL becomes a reference; auth', () => {
    const r = convertRecording(sample('storage'), opts('rec_storage', { auth: true }));
    assert.deepEqual(r.steps, ['open_storage_list', 'click_home', 'open_storage_list_2', 'click_data']);
    assert.ok(r.source.includes("await page.goto(site.url('canfar', '/storage/list/'));"), r.source);
    assert.ok(r.source.includes("await page.goto(site.url('canfar', `/storage/list/home/${credentials.username}`));"), r.source);
    assert.match(r.source, /^journey\(\n  \{ name: 'rec_storage', steps: \[[^\]]+\], auth: true \},\n/m);
    assert.ok(!r.source.includes(DEMO_USER.username));
  });

  it('assertions recorded after an action belong to its step', () => {
    const r = convertRecording(sample('login-asserts'), opts('rec_asserts'));
    assert.deepEqual(r.steps, ['open_access_login', 'click_login']);
    const second = r.source.slice(r.source.indexOf("await step('click_login'"));
    assert.match(second, /click\(\);\n\s+\}\);\n\s+await expect\(page\.getByRole\('link', \{ name: credentials\.username \}\)\)\.toBeVisible\(\);/);
    assert.match(r.source, /^import \{ expect, journey, secretly, step \}/m);
  });

  it('"// step: <name>" lines name the steps; a bad or repeated name is a UserError', () => {
    const rec = `import { test, expect } from '@playwright/test';

test('test', async ({ page }) => {
  // step: home
  await page.goto('${RECORDED_ORIGIN}/en/');
  await page.getByRole('link', { name: 'Advanced Search' }).click();
  // step: type_target
  await page.locator('[id="Plane.position.bounds"]').fill('M31');
});`;
    assert.deepEqual(convertRecording(rec, opts('marked')).steps, ['home', 'type_target']);
    assert.throws(() => convertRecording(rec.replace('type_target', 'Type Target'), opts('marked')), (e: Error) => e instanceof UserError && /not a slug/.test(e.message));
    assert.throws(() => convertRecording(rec.replace('type_target', 'home'), opts('marked')), (e: Error) => e instanceof UserError && /twice/.test(e.message));
  });

  it('any fill into a password-looking field becomes credentials.password, whatever was typed, in any quoting', () => {
    const secret = "s3cr'et\\pa\"ss";
    const typed = `'${secret.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    const rec = `import { test, expect } from '@playwright/test';

test('test', async ({ page }) => {
  await page.goto('https://portal.example.org/login');
  await page.locator('#pwd').fill(${typed});
  await page.getByLabel('Passphrase').fill('another one');
  await page.getByPlaceholder('Search').fill(${typed});
  await page.getByRole('button', { name: 'Sign in' }).click();
});`;
    const r = convertRecording(rec, { ...opts('custom'), credentials: { username: 'someone', password: secret } });
    assert.equal((r.source.match(/credentials\.password/g) ?? []).length, 3, r.source);
    assert.ok(!r.source.includes('another one'), 'a password typed into a password field is dropped even when it is not the configured one');
    for (const form of [secret, secret.replace(/'/g, "\\'"), JSON.stringify(secret).slice(1, -1)]) assert.ok(!r.source.includes(form));
    assert.deepEqual(r.foreignOrigins, ['https://portal.example.org']);
  });

  it('a popup used by a later step is declared once above the steps', () => {
    const rec = POPUP_RECORDING;
    const r = convertRecording(rec, opts('popup'));
    assert.deepEqual(r.steps, ['open_en_search', 'click_download', 'click_url_list', 'click_cancel_go_back', 'press_note']);
    assert.match(r.source, /await step\('click_cancel_go_back', async \(\) => \{\n      page1\.once\('dialog', dialog => \{\n        console\.log\(`Dialog message: \$\{dialog\.message\(\)\}`\);/);
    assert.match(r.source, /^import \{ type Page \} from '@playwright\/test';$/m);
    assert.match(r.source, /^    let page1: Page;$/m);
    assert.match(r.source, /^      page1 = await page1Promise;$/m);
  });

  it(`more than ${MAX_STEPS_PER_JOURNEY} steps: the rest is merged into the last, and said`, () => {
    const clicks = Array.from({ length: 40 }, (_, i) => `  await page.getByRole('link', { name: 'Item ${i}' }).click();`).join('\n');
    const rec = `import { test, expect } from '@playwright/test';\n\ntest('test', async ({ page }) => {\n${clicks}\n});`;
    const r = convertRecording(rec, opts('many'));
    assert.equal(r.steps.length, MAX_STEPS_PER_JOURNEY);
    assert.ok(r.steps.every((s) => SLUG.test(s)) && new Set(r.steps).size === r.steps.length);
    assert.match(r.notes.join('\n'), /40 steps recorded, at most 30/);
  });

  it('roles with a path prefix: the longest base wins; none matching is undefined', () => {
    const urls = { www: 'https://a.example', canfar: 'https://a.example/canfar', ws_cadc: 'https://b.example', ws: 'https://c.example', ws_uv: 'https://d.example' } as Record<UrlRole, string>;
    assert.deepEqual(roleFor(new URL('https://a.example/canfar/storage/list/?q=1#x'), urls), { role: 'canfar', path: '/storage/list/?q=1#x' });
    assert.deepEqual(roleFor(new URL('https://a.example/canfarx'), urls), { role: 'www', path: '/canfarx' });
    assert.equal(roleFor(new URL('https://e.example/'), urls), undefined);
  });

  it("test.use: the recording's storageState is dropped (the journey's login is { auth: true }), other options kept", () => {
    const rec = `import { test, expect, devices } from '@playwright/test';

test.use({
  ...devices['Pixel 5'],
  storageState: 'auth.json',
  viewport: {
    height: 800,
    width: 1200
  }
});

test('test', async ({ page }) => {
  await page.goto('${RECORDED_ORIGIN}/storage/list/');
});`;
    const r = convertRecording(rec, opts('used', { auth: true }));
    assert.ok(!r.source.includes('storageState') && !r.source.includes('auth.json'));
    assert.match(r.source, /test\.use\(\{\n  \.\.\.devices\['Pixel 5'\],\n  viewport: \{/);
    assert.match(r.source, /^import \{ devices \} from '@playwright\/test';\nimport \{ journey, step, test \} from/m);
    assert.match(r.notes.join('\n'), /dropped the recording's storageState/);
  });

  it('not a recording: a UserError', () => {
    assert.throws(() => convertRecording('console.log(1);', opts('nope')), UserError);
    assert.throws(() => convertRecording(sample('login'), opts('Not-A-Slug')), UserError);
  });
});

describe('converted journeys type-check and run', () => {
  it('every converted sample passes tsc (strict, the project settings)', async () => {
    const files: Record<string, string> = {};
    for (const [tag, auth] of [['login', false], ['search', false], ['storage', true], ['login-asserts', false]] as const) {
      const name = tmpName(`tsc_${tag.replace('-', '_')}`);
      files[name] = convertRecording(sample(tag), opts(name, { auth })).source;
    }
    files[tmpName('tsc_popup')] = convertRecording(POPUP_RECORDING, opts(tmpName('tsc_popup'))).source;
    await withJourneyFiles(files, async () => {
      const dir = tmpDir('perfpulse-rec-tsc-');
      const config = join(dir, 'tsconfig.json');
      writeFileSync(config, JSON.stringify({
        extends: join(PROJECT_ROOT, 'tsconfig.json'),
        compilerOptions: { typeRoots: [join(PROJECT_ROOT, 'node_modules', '@types')] },
        files: Object.keys(files).map((n) => journeyFile(n)),
        include: [],
      }));
      const tsc = spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], { encoding: 'utf8', timeout: 180_000 });
      assert.equal(tsc.status, 0, `${tsc.stdout}${tsc.stderr}`);
    });
  });

  it('the converted login recordings run through the real CLI on the replica and report their steps', async () => {
    const a = tmpName('run_login');
    const b = tmpName('run_asserts');
    const files = {
      [a]: convertRecording(sample('login'), opts(a)).source,
      [b]: convertRecording(sample('login-asserts'), opts(b)).source,
    };
    await withJourneyFiles(files, async () => {
      // --env local: the CLI starts the replica on a new port and its demo user is the credential
      const r = await runCli(['--env', 'local', '--journeys', `${a},${b}`, '--dry-run', '--only', 'journeys'], {}, 240_000);
      assert.equal(r.code, 0, r.stderr.slice(-3000));
      const steps = samplesOf(parseExposition(r.stdout), METRICS.stepDuration.name);
      const of = (j: string) => steps.filter((s) => s.labels.journey === j).map((s) => s.labels.step).sort();
      assert.deepEqual(of(a), ['click_login', 'click_user', 'open_en', 'submit_password']);
      assert.deepEqual(of(b), ['click_login', 'open_access_login']);
      const success = samplesOf(parseExposition(r.stdout), METRICS.journeySuccess.name);
      assert.deepEqual(success.map((s) => s.value), [1, 1]);
      assert.ok(!r.stdout.includes(DEMO_USER.password) && !r.stderr.includes(DEMO_USER.password));
    });
  });
});

describe('perfpulse-journeys record (input)', () => {
  it('a name that is not a slug: one line, exit 2', async () => {
    const r = await runCli(['record', 'My-Journey']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^perfpulse-journeys: journey name "My-Journey" is not a slug[^\n]*\n$/);
  });

  it('an existing journey is not overwritten without --force', async () => {
    const r = await runCli(['record', 'login', '--from', join(FIXTURES, 'login.recorded.ts')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /journeys\/login\.journey\.ts exists: pass --force to overwrite it/);
    assert.ok(readFileSync(journeyFile('login'), 'utf8').includes("name: 'login'"), 'login journey untouched');
  });

  it('no display: one line suggesting xvfb-run, exit 2, no browser started', async () => {
    const r = await runCli(['record', tmpName('nodisplay')], { DISPLAY: '', WAYLAND_DISPLAY: '' });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /xvfb-run -a perfpulse-journeys record rectest_nodisplay_\d+/);
    assert.ok(!existsSync(journeyFile(tmpName('nodisplay'))));
  });

  it('--from: converts a recording; the secret is in neither the file nor the output; --force overwrites', async () => {
    const name = tmpName('from');
    const secret = 'Xy9-not-in-any-file-7Qz';
    const rec = join(tmpDir(), 'rec.spec.ts');
    writeFileSync(rec, sample('login').replaceAll(DEMO_USER.password, secret).replaceAll(DEMO_USER.username, 'someone'));
    const pw = join(tmpDir(), 'pw');
    writeFileSync(pw, `${secret}\n`, { mode: 0o600 });
    const env = { PERFPULSE_USERNAME: 'someone', PERFPULSE_PASSWORD_FILE: pw };
    try {
      const r = await runCli(['record', name, '--from', rec], env);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`wrote journeys/${name}\\.journey\\.ts: 4 steps \\(open_en, click_login, submit_password, click_user\\)`));
      const text = readFileSync(journeyFile(name), 'utf8');
      assert.ok(text.includes('credentials.password') && text.includes('credentials.username'));
      for (const out of [text, r.stdout, r.stderr]) {
        assert.ok(!out.includes(secret), 'the password is never written or printed');
        assert.ok(!out.includes('someone'), 'nor the user name');
      }
      const again = await runCli(['record', name, '--from', rec], env);
      assert.equal(again.code, 2);
      const forced = await runCli(['record', name, '--from', join(FIXTURES, 'search.recorded.ts'), '--force'], env);
      assert.equal(forced.code, 0, forced.stderr);
      assert.match(readFileSync(journeyFile(name), 'utf8'), /click_advanced_search/);
      assert.match(forced.stderr, /kept as recorded, not env local's URLs \(flagged in the file\): http:\/\/localhost:43159/);
    } finally {
      rmSync(journeyFile(name), { force: true });
    }
  });
});

const XVFB_RUN = '/usr/bin/xvfb-run';

describe('perfpulse-journeys record in a headed Chromium under Xvfb', { skip: !existsSync(XVFB_RUN) && `${XVFB_RUN} not installed (npm run setup installs xvfb)` }, () => {
  it('records a login typed into the real page, writes a journey without the secret, and the journey runs', async () => {
    const name = tmpName('xvfb');
    const rec = await startRecord(name, ['--no-login', '--start', '/en/']);
    try {
      const page = await rec.page(/\/en\/$/);
      // What a user does: follow the Login link, type the demo user's name and password, press Enter.
      await page.getByRole('link', { name: 'Login' }).first().click();
      await page.waitForURL(/\/access\/login/);
      await page.getByRole('textbox', { name: 'Username' }).click();
      await page.getByRole('textbox', { name: 'Username' }).pressSequentially(DEMO_USER.username);
      await page.getByRole('textbox', { name: 'Password' }).click();
      await page.getByRole('textbox', { name: 'Password' }).pressSequentially(DEMO_USER.password);
      await page.getByRole('textbox', { name: 'Password' }).press('Enter');
      await page.getByRole('link', { name: DEMO_USER.username }).waitFor({ timeout: 30_000 });
      await page.waitForTimeout(1500); // the recorder writes its file at most every 250 ms
      await page.close();
      const code = await rec.exit();
      assert.equal(code, 0, `record: ${code}\n${rec.stderr()}`);
      const text = readFileSync(journeyFile(name), 'utf8');
      assert.match(rec.stdout(), new RegExp(`wrote journeys/${name}\\.journey\\.ts`));
      assert.ok(text.includes("await page.goto(site.url('www', '/en/'));"), text);
      assert.ok(text.includes('.fill(credentials.username);') && text.includes('.fill(credentials.password);'), text);
      assert.ok(/await step\('open_en', async/.test(text) && /await step\('click_login', async/.test(text), text);
      assert.match(text, /^  \{ name: 'rectest_xvfb_\d+', steps: \[[^\]]*\] \},$/m, 'started logged out: no auth: true');
      for (const out of [text, rec.stdout(), rec.stderr()]) assert.ok(!out.includes(DEMO_USER.password), 'no password in the file or the output');
      assert.ok(!/127\.0\.0\.1:\d+/.test(text), 'no replica origin in the journey');
      // and what was recorded runs
      const run = await runCli(['--env', 'local', '--journeys', name, '--dry-run', '--only', 'journeys'], {}, 240_000);
      assert.equal(run.code, 0, run.stderr.slice(-3000));
      const steps = samplesOf(parseExposition(run.stdout), METRICS.stepDuration.name).map((s) => s.labels.step);
      assert.ok(steps.includes('open_en') && steps.includes('click_login'), steps.join(','));
    } finally {
      await rec.stop();
      rmSync(journeyFile(name), { force: true });
    }
  });

  it('with credentials the recorded browser starts from a saved login, and the journey is { auth: true }', async () => {
    const name = tmpName('xvfb_auth');
    const rec = await startRecord(name, ['--start', 'canfar:/storage/list/']);
    try {
      const page = await rec.page(/\/storage\/list\/$/);
      // the storage UI names the logged-in user: the login was reused, nobody typed it
      await page.locator('a.access-actions.user-actions').filter({ hasText: DEMO_USER.username }).waitFor({ timeout: 30_000 });
      await page.getByRole('link', { name: 'Home', exact: true }).click();
      await page.waitForURL(/\/storage\/(arc\/)?list\/home\//); // the Home link names the service (_main.ftl)
      await page.waitForTimeout(1500);
      await page.close();
      const code = await rec.exit();
      assert.equal(code, 0, `record: ${code}\n${rec.stderr()}`);
      assert.match(rec.stderr(), /logged in as the configured user/);
      const text = readFileSync(journeyFile(name), 'utf8');
      assert.ok(text.includes("await page.goto(site.url('canfar', '/storage/list/'));"), text);
      assert.match(text, /^  \{ name: 'rectest_xvfb_\w+', steps: \[[^\]]*\], auth: true \},$/m);
      assert.ok(/await step\('click_home', async/.test(text), text);
      const run = await runCli(['--env', 'local', '--journeys', name, '--dry-run', '--only', 'journeys'], {}, 240_000);
      assert.equal(run.code, 0, run.stderr.slice(-3000));
      const steps = samplesOf(parseExposition(run.stdout), METRICS.stepDuration.name).map((s) => s.labels.step).sort();
      assert.deepEqual(steps, ['click_home', 'open_storage_list']);
    } finally {
      await rec.stop();
      rmSync(journeyFile(name), { force: true });
    }
  });
});

/** The real `record` under xvfb-run, with a CDP port the test drives the recorded page through. */
async function startRecord(name: string, args: string[]) {
  const port = await freePort();
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PERFPULSE_')));
  const child = spawn(XVFB_RUN, ['-a', process.execPath, join(PROJECT_ROOT, 'bin', 'perfpulse-journeys.js'), 'record', name, ...args], {
    cwd: tmpDir('perfpulse-cli-'),
    env: { ...base, XDG_STATE_HOME: tmpDir('perfpulse-state-'), [CDP_PORT_VAR]: String(port) },
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let browser: Browser | undefined;
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    async page(url: RegExp): Promise<Page> {
      await until(() => stderr.includes('recording on '), 90_000, () => `record did not start: ${stderr}`);
      browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
      return findPage(browser, url);
    },
    exit: () => Promise.race([exited, sleep(60_000).then(() => 'timeout' as const)]),
    async stop() {
      await browser?.close().catch(() => undefined);
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
    },
  };
}

async function findPage(browser: Browser, url: RegExp): Promise<Page> {
  let found: Page | undefined;
  await until(
    () => (found = browser.contexts().flatMap((c) => c.pages()).find((p) => url.test(p.url()))) !== undefined,
    60_000,
    () => `no page at ${url}: ${browser.contexts().flatMap((c) => c.pages()).map((p) => p.url()).join(', ')}`,
  );
  return found as Page;
}

async function until(ok: () => boolean, timeoutMs: number, why: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(why());
    await sleep(200);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

// journeys/ must hold only real journeys after this file ran
process.on('exit', () => {
  for (const f of readdirSync(JOURNEYS_DIR)) if (f.startsWith(`rectest_`) && f.includes(`_${process.pid}.`)) rmSync(join(JOURNEYS_DIR, f), { force: true });
});
