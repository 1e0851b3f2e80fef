/**
 * The CADC journeys end to end: the real CLI drives Debian's Chromium through the replica and
 * pushes to a real prometheus-pushgateway, each on a free port of 127.0.0.1. Three CLI runs keep
 * the cost down: everything passing, injected latency (delay and slow body) without credentials,
 * and injected faults.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { METRICS } from '../src/metrics/catalog.ts';
import { parseExposition, samplesOf, type Family } from '../src/metrics/parse.ts';
import { faultTable } from '../src/replica/faults.ts';
import { startReplica, type Replica } from '../src/replica/server.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { gatewayFamilies, runCli, tmpDir } from './support/helpers.ts';
import { suiteGateway } from './support/gateway.ts';

const STEPS: Record<string, string[]> = {
  login: ['open_login_page', 'submit_credentials', 'see_user_menu', 'token_login'],
  search: ['open_search_page', 'fill_form', 'submit_search'],
  download: ['request_file', 'receive_file', 'open_results', 'open_download_manager'],
  storage: ['open_storage_ui', 'list_home_folder'],
  science_portal: ['open_portal', 'log_in', 'list_sessions', 'launch_session', 'wait_running', 'delete_session'],
};
const demo = { PERFPULSE_USERNAME: DEMO_USER.username, PERFPULSE_PASSWORD: DEMO_USER.password };

/** A profile for a replica the test started, with journey options (YAML). */
function profileFor(origin: string, name: string, journeysYaml = ''): string {
  const file = join(tmpDir(), `${name}.yaml`);
  const roles = ['www', 'canfar', 'ws_cadc', 'ws', 'ws_uv'];
  writeFileSync(file, `name: ${name}\nurls:\n${roles.map((r) => `  ${r}: ${origin}`).join('\n')}\n${journeysYaml}`);
  return file;
}

const of = (fams: Family[], metric: string, env: string) => samplesOf(fams, metric).filter((s) => s.labels.env === env);
const value = (fams: Family[], metric: string, env: string, journey: string, step?: string) =>
  of(fams, metric, env).find((s) => s.labels.journey === journey && (step === undefined || s.labels.step === step))?.value;

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile() && !f.endsWith('.last-run.json'));
}

describe('journeys on the replica (real Chromium, Pushgateway)', () => {
  const gw = suiteGateway();

  it('--env local with --launch-sessions: every journey passes and every step is pushed with journey_success 1', async () => {
    const out = tmpDir('perfpulse-out-');
    const r = await runCli(['--env', 'local', '--launch-sessions', '--pushgateway', gw.url, '--output', out], {}, 240_000);
    assert.equal(r.code, 0, r.stderr);
    const fams = await gatewayFamilies(gw.url);
    for (const [journey, steps] of Object.entries(STEPS)) {
      assert.equal(value(fams, METRICS.journeySuccess.name, 'local', journey), 1, `${journey} journey_success`);
      const pushed = of(fams, METRICS.stepDuration.name, 'local').filter((s) => s.labels.journey === journey).map((s) => s.labels.step);
      assert.deepEqual(pushed.sort(), [...steps].sort(), `${journey} steps`);
      for (const step of steps) assert.equal(value(fams, METRICS.stepFailed.name, 'local', journey, step), 0, `${journey}/${step} failed`);
    }
    const rows = value(fams, METRICS.searchResultRows.name, 'local', 'search');
    assert.ok(rows !== undefined && rows > 0, `search found ${rows} rows`);
    assert.equal(value(fams, METRICS.storageHomeRows.name, 'local', 'storage'), 4, 'the storage journey counted the home folder\'s entries');
    assert.equal(value(fams, METRICS.downloadBytes.name, 'local', 'download'), 4 * 1024 * 1024, 'the whole file, as Content-Length said');
    for (const m of [METRICS.downloadFirstByte, METRICS.downloadDuration, METRICS.downloadThroughput]) {
      assert.ok((value(fams, m.name, 'local', 'download') ?? 0) > 0, `${m.name} measured`);
    }
    assert.deepEqual(filesUnder(out), [], 'nothing kept for passing journeys');
    assert.ok(!r.stdout.includes(DEMO_USER.password) && !r.stderr.includes(DEMO_USER.password), 'password never printed');
  });

  it('an injected delay D moves only the step that holds it; a slow body moves receive_file; no credentials skips the logged-in journeys', async () => {
    const D = 3000;
    const size = 256 * 1024;
    const bytesPerSecond = 96 * 1024;
    const replica = await startReplica({
      faults: faultTable([`POST /search/find=delay:${D}`, `GET /minoc/files/{token}/{uri+}=slowbody:${bytesPerSecond}`]),
    });
    try {
      const profile = profileFor(replica.origin, 'slow', 'journeys:\n  download:\n    file: /data/pub/CFHT/1722800p.fits.fz\n');
      const r = await runCli(['--env', profile, '--journeys', 'login,search,download,storage', '--dry-run'], {}, 180_000);
      assert.equal(r.code, 1, `skipped journeys count as not passed\n${r.stderr}`);
      const fams = parseExposition(r.stdout);
      const sec = (journey: string, step: string) => value(fams, METRICS.stepDuration.name, 'slow', journey, step) ?? NaN;
      assert.ok(sec('search', 'submit_search') >= D / 1000, `submit_search ${sec('search', 'submit_search')} s >= ${D / 1000} s`);
      for (const step of ['open_search_page', 'fill_form']) assert.ok(sec('search', step) < D / 1000, `${step} ${sec('search', step)} s < ${D / 1000} s`);
      const transfer = size / bytesPerSecond - 0.2; // the first 100 ms tick may already be in request_file
      assert.ok(sec('download', 'receive_file') >= transfer, `receive_file ${sec('download', 'receive_file')} s >= ${transfer} s`);
      assert.ok(sec('download', 'request_file') < transfer, `request_file ${sec('download', 'request_file')} s < ${transfer} s`);
      assert.equal(value(fams, METRICS.journeySuccess.name, 'slow', 'search'), 1);
      assert.equal(value(fams, METRICS.journeySuccess.name, 'slow', 'download'), 1);
      assert.equal(value(fams, METRICS.downloadBytes.name, 'slow', 'download'), size);
      for (const journey of ['login', 'storage']) {
        assert.equal(value(fams, METRICS.journeySuccess.name, 'slow', journey), 0, `${journey} skipped`);
        assert.equal(of(fams, METRICS.stepDuration.name, 'slow').filter((s) => s.labels.journey === journey).length, 0);
        assert.match(r.stderr, new RegExp(`${journey} skipped: no credentials: set PERFPULSE_USERNAME`));
      }
    } finally {
      await replica.stop();
    }
  });

  it('a saved login that a page refuses (403) is thrown away, and the run says so', async () => {
    const replica = await startReplica({ faults: faultTable(['GET /storage/list/=status:403']) });
    try {
      const r = await runCli(['--env', profileFor(replica.origin, 'refused'), '--journeys', 'login,storage', '--dry-run'], demo, 180_000);
      assert.equal(r.code, 1, r.stderr);
      const fams = parseExposition(r.stdout);
      assert.equal(value(fams, METRICS.journeySuccess.name, 'refused', 'login'), 1, 'login passed and saved the login');
      assert.equal(value(fams, METRICS.stepFailed.name, 'refused', 'storage', 'open_storage_ui'), 1);
      assert.match(r.stderr, /saved login discarded: a page answered 403/);
      assert.ok(!r.stderr.includes(DEMO_USER.password), 'no password in the output');
    } finally {
      await replica.stop();
    }
  });

  it('500 on the search, a hung download and a wrong page after login fail the right steps, keep artifacts for those journeys only, and still push storage', async () => {
    const replica = await startReplica({
      faults: faultTable(['POST /search/find=status:500', 'GET /minoc/files/{token}/{uri+}=hang', 'GET /en/=wrongpage']),
    });
    const out = tmpDir('perfpulse-out-');
    try {
      const profile = profileFor(replica.origin, 'faulty', 'journeys:\n  search:\n    timeout_seconds: 20\n  download:\n    timeout_seconds: 8\n');
      const r = await runCli(['--env', profile, '--journeys', 'login,search,download,storage', '--pushgateway', gw.url, '--output', out], demo, 180_000);
      assert.equal(r.code, 1, r.stderr);
      const fams = await gatewayFamilies(gw.url);
      const failed = of(fams, METRICS.stepFailed.name, 'faulty').filter((s) => s.value === 1).map((s) => `${s.labels.journey}/${s.labels.step}`);
      assert.deepEqual(failed.sort(), ['download/request_file', 'login/see_user_menu', 'search/submit_search']);
      for (const journey of ['login', 'search', 'download']) assert.equal(value(fams, METRICS.journeySuccess.name, 'faulty', journey), 0, journey);
      assert.equal(value(fams, METRICS.journeySuccess.name, 'faulty', 'storage'), 1, 'storage logs in by itself and passes');
      assert.match(r.stdout, /search failed: \/search\/find answered 500/);
      assert.match(r.stdout, /download of \/data\/pub\/CFHT\/1722795p\.fits\.fz: no answer within 8 s/);

      const files = filesUnder(out);
      for (const journey of ['login', 'search', 'download']) {
        const mine = files.filter((f) => f.includes(`${journey}.journey.ts`));
        assert.ok(mine.some((f) => f.endsWith('.png')), `screenshot for ${journey}: ${mine.join(', ')}`);
        assert.ok(mine.some((f) => f.endsWith("trace.zip")), `trace for ${journey}: ${mine.join(', ')}`);
      }
      assert.deepEqual(files.filter((f) => f.includes('storage.journey.ts')), [], 'nothing kept for the passing journey');

      // Playwright records fill() values, request bodies, cookies and response bodies in traces:
      // neither the password nor a token may be in a kept one.
      const traces = files.filter((f) => f.endsWith('.zip'));
      for (const zip of traces) {
        const text = spawnSync('unzip', ['-p', zip], { encoding: 'latin1', maxBuffer: 256 * 1024 * 1024 });
        assert.equal(text.status, 0, `unzip ${zip}: ${text.stderr}`);
        assert.ok(text.stdout.length > 1000, `${zip} holds a trace`);
        assert.ok(!text.stdout.includes(DEMO_USER.password), `password found in ${zip}`);
        assert.ok(!text.stdout.includes(encodeURIComponent(DEMO_USER.password)), `encoded password found in ${zip}`);
        // Replica tokens are `base64:` + base64("expirytime=…"): none may be left, raw or URL-encoded.
        assert.doesNotMatch(text.stdout, /base64(:|%3A)ZXhwaXJ5dGltZT/i, `an SSO token found in ${zip}`);
      }
      const loginTrace = traces.filter((f) => f.includes('login.journey.ts'));
      const loginText = loginTrace.map((z) => spawnSync('unzip', ['-p', z], { encoding: 'latin1', maxBuffer: 256 * 1024 * 1024 }).stdout).join('');
      assert.ok(loginText.includes(DEMO_USER.username), 'the login trace does record the (non-secret) user name it typed');
    } finally {
      await replica.stop();
    }
  });
});
