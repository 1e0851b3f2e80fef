/**
 * Secret sentinels through every channel a secret enters by (environment variables and files):
 * the portal password, the replica's SSO token, a gateway password and a gateway token. After a
 * passing run (delivered to a real Pushgateway behind TLS and Basic auth) and a failing one (the
 * login refused, the gateway down, everything spooled), none of them is in stdout, stderr, what the
 * gateway holds, the spool files, the reports or the traces; the saved login (storage state) and the
 * spool files are 0600 while they exist, and the saved login is gone after the run.
 *
 * Screenshots are images, which a text scan cannot read: the failed journey's evidence screenshot is
 * decoded instead (node:zlib), and inside the password and username fields' boxes (found by
 * refusing the same login in a browser of the test's own, at the run's viewport) every pixel is the
 * mask's colour, while Playwright's own, unmasked, failure screenshot shows something there.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../src/net.ts';
import { exchange } from '../src/push/http.ts';
import type { LocalGateway } from '../src/push/local-gateway.ts';
import { startReplica, type Replica } from '../src/replica/server.ts';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, resolveBrowserPath } from '../src/runtime/browser/browser.ts';
import { loginForm } from '../src/runtime/api/login-form.ts';
import { readPng, type Png } from './support/png.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { makeTestPki } from './support/fake-gateway.ts';
import { GUARDED_GATEWAY_PASSWORD, GUARDED_GATEWAY_USER, startGuardedGateway } from './support/gateway.ts';
import { profilePointingAt, runCli, tmpDir, type CliResult } from './support/helpers.ts';

/** A portal password the replica refuses: typed into the login form by the failing run. */
const SENTINEL_PORTAL_PASSWORD = 'Sentinel-Portal-Pw-9b41';
/** A gateway bearer token (the failing run's gateway is down: it goes only into the Authorization header). */
const SENTINEL_GATEWAY_TOKEN = 'Sentinel-Gw-Token-5e07';
const basic = (user: string, pw: string) => Buffer.from(`${user}:${pw}`).toString('base64');

/** What must never be seen, as text and in the forms it may be encoded to. */
const SECRETS: Array<[string, string]> = [
  ['the portal password (demo)', DEMO_USER.password],
  ['the portal password (sentinel)', SENTINEL_PORTAL_PASSWORD],
  ['the gateway password', GUARDED_GATEWAY_PASSWORD],
  ['the gateway Basic auth header', basic(GUARDED_GATEWAY_USER, GUARDED_GATEWAY_PASSWORD)],
  ['the gateway token', SENTINEL_GATEWAY_TOKEN],
];
/** Replica SSO tokens are `base64:` + base64("expirytime=…"), raw or URL-encoded. */
const SSO_TOKEN = /base64(:|%3A)ZXhwaXJ5dGltZT/i;

function assertClean(where: string, text: string): void {
  for (const [what, secret] of SECRETS) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) assert.ok(!text.includes(form), `${what} found in ${where}`);
  }
  assert.doesNotMatch(text, SSO_TOKEN, `an SSO token found in ${where}`);
}

/** The mask colour of src/runtime/collectors/failure-screenshot.ts. */
const MASK_RGB = [0x20, 0x20, 0x20];

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Where the login form's username and password fields are once the replica refused a login: the
 * state the failing run's journey ended in, in the same Chromium at Playwright's default viewport.
 */
async function refusedLoginFieldBoxes(origin: string, password: string): Promise<Box[]> {
  const browser = await chromium.launch({ executablePath: resolveBrowserPath(undefined), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${origin}/access/login`);
    const login = loginForm(page);
    await login.username.fill(DEMO_USER.username);
    await login.password.fill(password);
    await login.submit.click();
    await page.locator('form#loginForm #login_fail').filter({ visible: true }).waitFor();
    const boxes = [await login.username.boundingBox(), await login.password.boundingBox()];
    assert.ok(boxes.every((b) => b && b.width > 4 && b.height > 4), 'both fields are on the page');
    return boxes as Box[];
  } finally {
    await browser.close();
  }
}

/** The pixels inside `box` (1 px in from its edge, for anti-aliasing) that are not the mask's colour. */
function unmaskedPixels(png: Png, box: Box): number {
  let n = 0;
  for (let y = Math.ceil(box.y) + 1; y < Math.floor(box.y + box.height) - 1; y++) {
    for (let x = Math.ceil(box.x) + 1; x < Math.floor(box.x + box.width) - 1; x++) {
      const [r, g, b] = png.rgb(x, y);
      if (r !== MASK_RGB[0] || g !== MASK_RGB[1] || b !== MASK_RGB[2]) n++;
    }
  }
  return n;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** A file's text for scanning; a zip (a trace) unpacked first. */
function textOf(file: string): string {
  if (file.endsWith('.zip')) {
    const out = spawnSync('unzip', ['-p', file], { encoding: 'latin1', maxBuffer: 256 * 1024 * 1024 });
    assert.equal(out.status, 0, `unzip ${file}: ${out.stderr}`);
    return out.stdout;
  }
  return readFileSync(file, 'latin1');
}

/**
 * Runs the CLI while watching `tmp` (its TMPDIR) for the saved login: the mode of every
 * perfpulse-auth-state.json seen, and whether one is left after the run.
 */
async function watchedRun(args: string[], env: Record<string, string>, tmp: string): Promise<{ r: CliResult; modes: number[] }> {
  const modes: number[] = [];
  let running = true;
  const watch = (async () => {
    while (running) {
      let found: string[] = [];
      try {
        found = filesUnder(tmp);
      } catch {
        // Chromium's profile folder in tmp changes while it is walked (a folder gone mid-walk): look again next time
      }
      for (const f of found.filter((x) => x.endsWith('perfpulse-auth-state.json'))) {
        try {
          modes.push(statSync(f).mode & 0o777);
        } catch {
          // discarded meanwhile
        }
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  try {
    const r = await runCli(args, { ...env, TMPDIR: tmp }, 240_000);
    return { r, modes };
  } finally {
    running = false;
    await watch;
  }
}

describe('secrets never leave: sentinels through env and files, a passing and a failing run', () => {
  let replica: Replica;
  let guarded: LocalGateway;
  let pki: ReturnType<typeof makeTestPki>;
  const dir = tmpDir('perfpulse-secrets-');
  before(async () => {
    pki = makeTestPki();
    guarded = await startGuardedGateway(pki);
    replica = await startReplica();
  });
  after(async () => {
    await guarded?.stop();
    await replica?.stop();
  });

  it('a passing run: password from a file, gateway password from a file, delivered over TLS with Basic auth', async () => {
    const pwFile = join(dir, 'portal-password');
    writeFileSync(pwFile, `${DEMO_USER.password}\n`, { mode: 0o600 });
    const gwPwFile = join(dir, 'gateway-password');
    writeFileSync(gwPwFile, `${GUARDED_GATEWAY_PASSWORD}\n`, { mode: 0o600 });
    const report = join(dir, 'report-pass');
    const output = join(dir, 'output-pass');
    const tmp = tmpDir('perfpulse-secrets-tmp-');
    const { r, modes } = await watchedRun(
      ['--env', profilePointingAt(replica.origin, 'secret_pass'), '--journeys', 'login,search', '--pushgateway', guarded.url, '--pushgateway-ca', pki.caFile, '--report', report, '--output', output, '--trace', 'on'],
      { PERFPULSE_USERNAME: DEMO_USER.username, PERFPULSE_PASSWORD_FILE: pwFile, PERFPULSE_PUSHGATEWAY_USERNAME: GUARDED_GATEWAY_USER, PERFPULSE_PUSHGATEWAY_PASSWORD_FILE: gwPwFile },
      tmp,
    );
    assert.equal(r.code, 0, r.stderr);
    assertClean('stdout', r.stdout);
    assertClean('stderr', r.stderr);

    const held = await exchange(new URL(`${guarded.url}/metrics`), { method: 'GET', deadlineMs: 10_000, access: { ca: readFileSync(pki.caFile, 'utf8'), authorization: `Basic ${basic(GUARDED_GATEWAY_USER, GUARDED_GATEWAY_PASSWORD)}` } });
    assert.equal(held.status, 200);
    assert.match(held.text, /env="secret_pass"/, 'the run was delivered');
    assertClean('what the gateway holds', held.text);

    const kept = [...filesUnder(report), ...filesUnder(output)];
    assert.ok(kept.some((f) => f.endsWith('report.json')) && kept.some((f) => f.endsWith('report.html')), 'the report is there');
    assert.ok(kept.filter((f) => f.endsWith('.zip')).length >= 2, `a trace per journey (--trace on): ${kept.join(', ')}`);
    for (const f of kept.filter((x) => !x.endsWith('.png'))) assertClean(f, textOf(f));

    assert.ok(modes.length > 0, 'the saved login was seen while the run went on');
    assert.deepEqual([...new Set(modes)], [0o600], 'the saved login is readable by this user only');
    assert.deepEqual(filesUnder(tmp).filter((f) => f.endsWith('perfpulse-auth-state.json')), [], 'the saved login is gone after the run');
  });

  it('a failing run: the login refused with a sentinel password from the environment, the gateway down, a token from a file: all spooled, nothing leaked', async () => {
    const tokenFile = join(dir, 'gateway-token');
    writeFileSync(tokenFile, `${SENTINEL_GATEWAY_TOKEN}\n`, { mode: 0o600 });
    const spool = join(dir, 'spool');
    const report = join(dir, 'report-fail');
    const output = join(dir, 'output-fail');
    const tmp = tmpDir('perfpulse-secrets-tmp-');
    const down = `http://127.0.0.1:${await freePort()}`;
    const { r } = await watchedRun(
      ['--env', profilePointingAt(replica.origin, 'secret_fail'), '--journeys', 'login', '--pushgateway', down, '--spool-dir', spool, '--report', report, '--output', output],
      { PERFPULSE_USERNAME: DEMO_USER.username, PERFPULSE_PASSWORD: SENTINEL_PORTAL_PASSWORD, PERFPULSE_PUSHGATEWAY_TOKEN_FILE: tokenFile },
      tmp,
    );
    assert.equal(r.code, 3, `not delivered (the journey failed too):\n${r.stderr}`);
    assert.match(r.stdout, /login\b.*fail/i, 'the login journey failed');
    assertClean('stdout', r.stdout);
    assertClean('stderr', r.stderr);

    const spooled = filesUnder(spool).filter((f) => f.endsWith('.json'));
    assert.ok(spooled.filter((f) => !f.endsWith('state.json')).length >= 1, 'the run was spooled');
    for (const f of spooled) {
      assert.equal(statSync(f).mode & 0o777, 0o600, `${f} is 0600`);
      assertClean(f, textOf(f));
    }
    assert.equal(statSync(spool).mode & 0o777, 0o700, 'the spool directory is this user\'s only');

    const kept = [...filesUnder(report), ...filesUnder(output)];
    assert.ok(kept.some((f) => f.endsWith('.zip')), `the failed journey kept its trace: ${kept.join(', ')}`);
    const traced = kept.filter((f) => f.endsWith('.zip')).map(textOf).join('');
    assert.ok(traced.includes(DEMO_USER.username), 'the scan reads what was typed: the (non-secret) user name is in the trace');
    for (const f of kept.filter((x) => !x.endsWith('.png'))) assertClean(f, textOf(f));
    assert.deepEqual(filesUnder(tmp).filter((f) => f.endsWith('perfpulse-auth-state.json')), [], 'no saved login is left');

    // the screenshots: the evidence folder's (and the report's) has the credential fields masked
    const masked = kept.find((f) => f.endsWith(join('evidence', 'login', 'screenshot.png')));
    const unmasked = kept.find((f) => /test-failed-\d+\.png$/.test(f));
    assert.ok(masked && unmasked, `the masked and Playwright's own screenshot are kept: ${kept.join(', ')}`);
    const boxes = await refusedLoginFieldBoxes(replica.origin, SENTINEL_PORTAL_PASSWORD);
    const shot = readPng(masked);
    assert.deepEqual([shot.width, shot.height], [1280, 720], 'the viewport the boxes were measured at');
    for (const [what, box] of [['username', boxes[0]], ['password', boxes[1]]] as const) {
      assert.equal(unmaskedPixels(shot, box as Box), 0, `the ${what} field is masked in ${masked}`);
      assert.ok(unmaskedPixels(readPng(unmasked), box as Box) > 0, `without the mask the ${what} field shows something (the test can fail)`);
    }
  });
});
