/**
 * `run --retries/--trace/--headed/--throttle/--device`: the real CLI drives Debian's Chromium
 * through the login journey on the replica (behind a small recording proxy, so the test sees what
 * the browser sent), pushing to a real prometheus-pushgateway.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { devices } from 'playwright-core';
import { METRICS, USERSIM_JOB } from '../src/metrics/catalog.ts';
import { expositionFor } from '../src/metrics/exposition.ts';
import { lintExposition } from '../src/metrics/lint.ts';
import { parseExposition, samplesOf, type Family } from '../src/metrics/parse.ts';
import { pushGroup } from '../src/push/pushgateway.ts';
import { parseFaultSpec, type Fault } from '../src/replica/faults.ts';
import { startReplica, type Replica } from '../src/replica/server.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { THROTTLE_PROFILES } from '../src/runtime/browser/emulation.ts';
import { PROJECT_ROOT } from '../src/runtime/runner/journeys.ts';
import { gatewayFamilies, profilePointingAt, runCli, tmpDir } from './support/helpers.ts';
import { suiteGateway } from './support/gateway.ts';
import { suiteReplica } from './support/replica.ts';

const demo = { PERFPULSE_USERNAME: DEMO_USER.username, PERFPULSE_PASSWORD: DEMO_USER.password };
const LOGIN_STEPS = ['open_login_page', 'submit_credentials', 'see_user_menu', 'token_login'];

/** A fault table whose faults each fire once: the first matching request gets it, later ones do not. */
class OnceFaults extends Map<string, Fault> {
  override get(key: string): Fault | undefined {
    const fault = super.get(key);
    if (fault) this.delete(key);
    return fault;
  }
}

/** A reverse proxy in front of the replica that records each request's path and User-Agent. */
async function recordingProxy(target: Replica): Promise<{ origin: string; seen: Array<{ path: string; ua: string }>; stop(): Promise<void> }> {
  const seen: Array<{ path: string; ua: string }> = [];
  const server: Server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', ua: req.headers['user-agent'] ?? '' });
    const upstream = request({ host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());
}

const unzipText = (zip: string) => spawnSync('unzip', ['-p', zip], { encoding: 'latin1', maxBuffer: 256 * 1024 * 1024 });

function stepSeconds(fams: Family[], journey = 'login'): Map<string, number> {
  return new Map(samplesOf(fams, METRICS.stepDuration.name).filter((s) => s.labels.journey === journey).map((s) => [s.labels.step as string, s.value]));
}

function value(fams: Family[], name: string, labels: Record<string, string>): number | undefined {
  return samplesOf(fams, name).find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('browser flags: bad input is refused before anything starts', () => {
  const cases: [string, string[], RegExp, Record<string, string>?][] = [
    ['--retries above 5', ['--retries', '6'], /--retries must be a whole number from 0 to 5 \(got "6"\)/],
    ['negative --retries', ['--retries=-1'], /--retries must be a whole number from 0 to 5 \(got "-1"\)/],
    ['a non-number --retries', ['--retries', 'two'], /--retries must be a whole number from 0 to 5/],
    ['an unknown --trace mode', ['--trace', 'always'], /--trace must be one of on-failure, on, off/],
    ['an unknown --throttle profile', ['--throttle', '2g'], /unknown --throttle profile "2g": use one of none, slow-3g, fast-3g, fast-4g, dsl/],
    ['an unknown --device', ['--device', 'pixel 77'], /unknown --device "pixel 77": did you mean "Pixel 7", "Pixel 7 Pro"/],
    ['an unknown --device with no close name', ['--device', 'Zork'], /unknown --device "Zork": Playwright knows e\.g\. "Pixel 7"/],
    ['--headed without a display', ['--headed'], /--headed needs a display and DISPLAY is not set: .*xvfb-run -a/, { DISPLAY: '' }],
  ];
  for (const [what, args, message, env] of cases) {
    it(`${what}: exit 2, one line, nothing started`, async () => {
      const r = await runCli(['--env', 'local', '--journeys', 'login', '--dry-run', ...args], env);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line, got:\n${r.stderr}`);
      assert.doesNotMatch(r.stderr, /replica: serving|running login/, 'checked before the replica or a browser started');
      assert.equal(r.stdout, '');
    });
  }

  it('a device name in other letter case is accepted, and --throttle none is a plain run', async () => {
    // --only probes: the flags are checked, no browser needed; the probes run on the replica
    const r = await runCli(['--env', 'local', '--only', 'probes', '--dry-run', '--device', 'pixel 7', '--throttle', 'none']);
    assert.equal(r.code, 0, r.stderr);
  });

  it('run --help explains every browser flag with an example', async () => {
    const r = await runCli(['run', '--help']);
    assert.equal(r.code, 0);
    for (const piece of ['--retries <n>', '--trace <mode>', '--headed', '--throttle <profile>', '--device <name>', '--retries 2', '--trace on', '--trace off', 'xvfb-run -a', '--throttle slow-3g', '--device "Pixel 7"']) {
      assert.ok(r.stdout.includes(piece), piece);
    }
  });
});

describe('browser flags on real runs (Chromium, replica, Pushgateway)', () => {
  const gw = suiteGateway();
  const replica = suiteReplica();

  it('--retries: a journey that fails once and then passes is flaky, not an outage: success 1, attempts 2, exit 0', async () => {
    const once = new OnceFaults([parseFaultSpec('GET /en/=wrongpage')]);
    const flaky = await startReplica({ faults: once });
    const reportDir = tmpDir('perfpulse-report-');
    try {
      const r = await runCli(['--env', profilePointingAt(flaky.origin, 'flaky'), '--journeys', 'login', '--retries', '2', '--pushgateway', gw.url, '--report', reportDir], demo, 240_000);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(once.size, 0, 'the fault did fire on the first attempt');
      assert.match(r.stderr, /login failed \(attempt 1 of 3, retrying\)/);
      assert.match(r.stdout, /login\s+\(journey\)\s+flaky \(passed on attempt 2\)/);
      const fams = await gatewayFamilies(gw.url);
      const at = { env: 'flaky', journey: 'login' };
      assert.equal(value(fams, METRICS.journeySuccess.name, at), 1);
      assert.equal(value(fams, METRICS.journeyAttempts.name, at), 2);
      // the steps are the passing attempt's: every step there, none failed
      const failed = samplesOf(fams, METRICS.stepFailed.name).filter((s) => s.labels.env === 'flaky');
      assert.deepEqual(failed.map((s) => s.labels.step).sort(), [...LOGIN_STEPS].sort());
      assert.ok(failed.every((s) => s.value === 0), 'no failed step in the pushed attempt');
      assert.ok(value(fams, METRICS.journeyLastSuccess.name, at), 'a flaky pass is a success');
      const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as { journeys: Array<{ outcome: string; attempts: number; flaky: boolean }> };
      assert.deepEqual(report.journeys.map((j) => [j.outcome, j.attempts, j.flaky]), [['flaky (passed on attempt 2)', 2, true]]);
      assert.match(readFileSync(join(reportDir, 'report.html'), 'utf8'), /flaky \(passed on attempt 2\)/);
    } finally {
      await flaky.stop();
    }
  });

  it('--retries that never pass: exit 1, attempts counted; --trace off keeps no trace; --device "Pixel 7" renders at its viewport', async () => {
    const broken = await startReplica({ faults: new Map([parseFaultSpec('GET /en/=wrongpage')]) });
    const out = tmpDir('perfpulse-out-');
    try {
      const r = await runCli(
        ['--env', profilePointingAt(broken.origin, 'broken'), '--journeys', 'login', '--retries', '1', '--trace', 'off', '--device', 'Pixel 7', '--output', out, '--dry-run'],
        demo,
        240_000,
      );
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /login\s+\(journey\)\s+FAILED \(2 attempts\)/);
      const fams = parseExposition(r.stdout);
      const at = { env: 'broken', journey: 'login', device: 'pixel_7' };
      assert.equal(value(fams, METRICS.journeySuccess.name, at), 0);
      assert.equal(value(fams, METRICS.journeyAttempts.name, at), 2);
      assert.equal(value(fams, METRICS.stepFailed.name, { ...at, step: 'see_user_menu' }), 1);

      const files = filesUnder(out);
      const shots = files.filter((f) => f.endsWith('.png'));
      // Playwright's failure screenshot per attempt (beside each, its credential-masked copy; the evidence folder's copy of the last)
      assert.equal(shots.filter((f) => /\/test-failed-\d+\.png$/.test(f)).length, 2, `a failure screenshot per attempt: ${files.join(', ')}`);
      assert.deepEqual(files.filter((f) => f.endsWith('.zip')), [], '--trace off: no trace, even of a failed journey');
      // the screenshot is what the page rendered: the device's viewport at its pixel ratio
      const pixel = devices['Pixel 7'];
      assert.ok(pixel);
      for (const shot of shots) {
        const { width, height } = pngSize(shot);
        assert.ok(Math.abs(width - pixel.viewport.width * pixel.deviceScaleFactor) <= 1.5, `${shot}: width ${width}`);
        assert.ok(Math.abs(height - pixel.viewport.height * pixel.deviceScaleFactor) <= 1.5, `${shot}: height ${height}`);
      }
    } finally {
      await broken.stop();
    }
  });

  it('--trace on keeps the passed journey\'s redacted trace; --device "Pixel 7" is the user agent the portal sees and its own Pushgateway group', async () => {
    const proxy = await recordingProxy(replica);
    const out = tmpDir('perfpulse-out-');
    // a plain run's group for the same env and journey, pushed first: the device run must not replace it
    const plain = await pushGroup({
      gateway: gw.url,
      job: USERSIM_JOB,
      grouping: { env: 'lab', journey: 'login' },
      body: await expositionFor('lab', [{ journey: 'login', status: 'passed', startedAtMs: Date.now(), steps: [] }]),
    });
    assert.ok(plain.ok, plain.message);
    try {
      const r = await runCli(['--env', profilePointingAt(proxy.origin, 'lab'), '--journeys', 'login', '--trace', 'on', '--device', 'Pixel 7', '--output', out, '--pushgateway', gw.url], demo, 240_000);
      assert.equal(r.code, 0, r.stderr);

      const traces = filesUnder(out).filter((f) => f.endsWith('trace.zip'));
      assert.equal(traces.length, 1, `one trace for the passed login journey: ${filesUnder(out).join(', ')}`);
      const text = unzipText(traces[0] as string);
      assert.equal(text.status, 0, text.stderr);
      assert.ok(text.stdout.includes(DEMO_USER.username), 'the trace recorded the journey (the user name it typed)');
      assert.ok(!text.stdout.includes(DEMO_USER.password), 'no password in the kept trace');
      assert.ok(!text.stdout.includes(encodeURIComponent(DEMO_USER.password)), 'no encoded password in the kept trace');

      const pixelUa = devices['Pixel 7']?.userAgent;
      const uas = new Set(proxy.seen.map((s) => s.ua));
      assert.ok(proxy.seen.some((s) => s.path.startsWith('/access/login')), 'the journey went through the proxy');
      assert.deepEqual([...uas], [pixelUa], 'every request carried the Pixel 7 user agent');

      assert.match(r.stdout, /pushed login to http:\/\/127\.0\.0\.1:\d+\/metrics\/job\/perfpulse_usersim\/env\/lab\/journey\/login\/device\/pixel_7/);
      const fams = await gatewayFamilies(gw.url);
      const success = samplesOf(fams, METRICS.journeySuccess.name).filter((s) => s.labels.env === 'lab');
      assert.deepEqual(success.map((s) => s.labels.device ?? '(plain)').sort(), ['(plain)', 'pixel_7'], 'two groups side by side');
      for (const s of samplesOf(fams, METRICS.stepDuration.name).filter((x) => x.labels.env === 'lab')) assert.equal(s.labels.device, 'pixel_7');
      assert.equal(value(fams, METRICS.journeyLastSuccess.name, { env: 'lab', journey: 'login', device: 'pixel_7' }) !== undefined, true);
    } finally {
      await proxy.stop();
    }
  });

  it('--throttle slow-3g: each page step is slower than without by at least the profile\'s latency; series labelled network, lint-clean', async () => {
    const latencyS = (THROTTLE_PROFILES['slow-3g']?.latencyMs ?? NaN) / 1000;
    const proxy = await recordingProxy(replica);
    try {
      const plainRun = await runCli(['--env', profilePointingAt(proxy.origin, 'net'), '--journeys', 'login', '--dry-run'], demo, 240_000);
      assert.equal(plainRun.code, 0, plainRun.stderr);
      const headlessUa = proxy.seen.find((s) => s.path.startsWith('/access/login'))?.ua ?? '';
      const slowRun = await runCli(['--env', profilePointingAt(proxy.origin, 'net'), '--journeys', 'login', '--dry-run', '--throttle', 'slow-3g'], demo, 240_000);
      assert.equal(slowRun.code, 0, slowRun.stderr);
      const plain = stepSeconds(parseExposition(plainRun.stdout));
      const slow = stepSeconds(parseExposition(slowRun.stdout));
      // page steps (navigations, form posts) go through the throttled browser; token_login uses
      // Playwright's API client, which is not throttled, so it makes no claim
      for (const step of ['open_login_page', 'submit_credentials']) {
        const [p, s] = [plain.get(step), slow.get(step)];
        assert.ok(p !== undefined && s !== undefined, step);
        assert.ok(s >= p + latencyS, `${step}: throttled ${s} s >= plain ${p} s + ${latencyS} s`);
      }
      const slowSamples = parseExposition(slowRun.stdout).flatMap((f) => f.samples).filter((s) => s.name.startsWith('perfpulse_usersim_') && s.labels.env === 'net');
      assert.ok(slowSamples.length > 0);
      for (const s of slowSamples) assert.equal(s.labels.network, 'slow-3g', `${s.name} carries network`);
      for (const f of parseExposition(plainRun.stdout)) for (const s of f.samples) assert.equal(s.labels.network, undefined, `${s.name}: a plain run has no network label`);
      assert.deepEqual(lintExposition(slowRun.stdout), [], 'the condition labels pass the naming guide');
      assert.match(headlessUa, /HeadlessChrome/, 'headless Chromium says so in its user agent (the headed test relies on it)');
    } finally {
      await proxy.stop();
    }
  });

  const xvfb = '/usr/bin/xvfb-run';
  it('--headed under xvfb-run: the login journey passes in a visible (virtual-display) browser', { skip: existsSync(xvfb) ? false : `${xvfb} is not installed (Debian package xvfb); the --headed UserError test above still runs` }, async () => {
    const proxy = await recordingProxy(replica);
    try {
      const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PERFPULSE_') && k !== 'DISPLAY'));
      const child = spawn(xvfb, ['-a', process.execPath, join(PROJECT_ROOT, 'bin', 'perfpulse-journeys.js'), '--env', profilePointingAt(proxy.origin, 'headed'), '--journeys', 'login', '--dry-run', '--headed'], {
        cwd: tmpDir(),
        env: { ...base, XDG_STATE_HOME: tmpDir(), ...demo },
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.resume();
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.equal(code, 0, stderr);
      const ua = proxy.seen.find((s) => s.path.startsWith('/access/login'))?.ua ?? '';
      assert.ok(ua && !/HeadlessChrome/.test(ua), `a headed browser's user agent: ${ua}`);
    } finally {
      await proxy.stop();
    }
  });
});
