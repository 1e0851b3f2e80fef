/**
 * Browser-side collectors: page slugs, measurements into metrics (absent stays absent), and one real
 * run of the login journey in Chromium on the replica, read back from `--dry-run`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { METRICS } from '../src/metrics/catalog.ts';
import { expositionFor } from '../src/metrics/exposition.ts';
import { MAX_PAGES_PER_JOURNEY, SLUG, pageSlug } from '../src/metrics/labels.ts';
import { parseExposition, samplesOf, type Family } from '../src/metrics/parse.ts';
import { startReplica, type Replica } from '../src/replica/server.ts';
import { throttledSeconds } from '../src/runtime/collectors/contention.ts';
import { PageTimingCollector } from '../src/runtime/collectors/page-timings.ts';
import type { JourneyResult } from '../src/results/results.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { profilePointingAt, runCli } from './support/helpers.ts';

describe('page slugs', () => {
  it('are low-cardinality slugs of the path, never a URL, id or query', () => {
    const cases: Array<[string, string]> = [
      ['/access/login', 'access_login'],
      ['/en/', 'en'],
      ['/', 'root'],
      ['/en/login.html', 'en_login'],
      ['/storage/vault/list/home/someone', 'storage_vault'],
      ['/caom2ui/3f2a9c1e-0b7d-4c1e-9a55-1f0e2d3c4b5a/x', 'caom2ui_x'],
      ['/files/12345/raw', 'files_raw'],
      ['/Science-Portal/', 'science_portal'],
    ];
    for (const [path, slug] of cases) {
      assert.equal(pageSlug(path), slug, path);
      assert.match(pageSlug(path), SLUG, path);
    }
  });

  it('are capped per journey: pages beyond the cap become `other`', () => {
    const c = new PageTimingCollector();
    for (let i = 0; i < MAX_PAGES_PER_JOURNEY + 5; i++) {
      const word = String.fromCharCode(97 + (i % 26)).repeat(1 + Math.floor(i / 26)) + 'page';
      c.accept({ doc: `d${i}`, path: `/${word}${'x'.repeat(i)}`, values: { TTFB: 1 } }, 'open');
    }
    const pages = new Set([...(c as unknown as { docs: Map<string, { page: string }> }).docs.values()].map((t) => t.page));
    assert.equal(pages.size, MAX_PAGES_PER_JOURNEY + 1);
    assert.ok(pages.has('other'));
  });

  it('ignore documents first seen outside a step (set-up, calibration)', () => {
    const c = new PageTimingCollector();
    c.accept({ doc: 'a', path: '/x', values: { TTFB: 5 } }, undefined);
    c.accept({ doc: 'b', path: '/__perfpulse_calibration', values: { TTFB: 5 } }, 'open');
    assert.equal((c as unknown as { docs: Map<string, unknown> }).docs.size, 0);
  });
});

describe('measurements become metrics', () => {
  const journey: JourneyResult = {
    journey: 'login',
    status: 'passed',
    startedAtMs: 1_700_000_000_000,
    durationMs: 900,
    steps: [{ name: 'open_login_page', durationMs: 400, startedAtMs: 1_700_000_000_100, ok: true }],
    measured: {
      pages: [{ step: 'open_login_page', page: 'access_login', ttfbMs: 201.4, fcpMs: 250, cls: 0, loadMs: 300 }],
      browserSetupMs: 1500,
      calibrationMs: [40, 70, 55],
      loadPerCpu: 0.5,
      playwright: '1.64.1',
      chromium: '156.0.8078.79',
    },
  };

  it('in base units with env, journey, step, page labels; not measured = absent, never 0', async () => {
    const fams = parseExposition(await expositionFor('prod', [journey]));
    const one = (name: string) => samplesOf(fams, name);
    assert.deepEqual(one(METRICS.pageTtfb.name), [
      { name: METRICS.pageTtfb.name, labels: { env: 'prod', journey: 'login', step: 'open_login_page', page: 'access_login' }, value: 0.2014 },
    ]);
    assert.deepEqual(one(METRICS.pageCls.name).map((s) => s.value), [0], 'a measured 0 is kept');
    for (const absent of [METRICS.pageLcp, METRICS.pageInp, METRICS.pageDomContentLoaded, METRICS.cpuThrottled]) {
      assert.equal(one(absent.name).length, 0, `${absent.name} was not measured`);
    }
    assert.deepEqual(one(METRICS.harnessOverhead.name).map((s) => s.value), [0.07], 'largest calibration sample');
    assert.deepEqual(one(METRICS.browserSetup.name).map((s) => s.value), [1.5]);
    assert.deepEqual(one(METRICS.buildInfo.name)[0]?.labels, { version: '0.1.0', playwright: '1.64.1', chromium: '156.0.8078.79' });
  });

  it('a journey without measurements exports none of them', async () => {
    const { measured: _m, ...bare } = journey;
    const fams = parseExposition(await expositionFor('prod', [bare]));
    for (const m of [METRICS.pageTtfb, METRICS.harnessOverhead, METRICS.browserSetup, METRICS.hostLoadPerCpu, METRICS.buildInfo]) {
      assert.equal(samplesOf(fams, m.name).length, 0, m.name);
    }
  });

  it('cgroup throttling is read where a cpu.stat exists and absent otherwise', () => {
    assert.equal(throttledSeconds([['/nonexistent/cpu.stat', 'throttled_usec', 1e-6]]), undefined);
    const v = throttledSeconds();
    assert.ok(v === undefined || v >= 0);
  });
});

describe('collectors in a real run (Chromium, replica, --dry-run)', () => {
  let replica: Replica;
  let fams: Family[];
  let stderr = '';
  before(async () => {
    replica = await startReplica();
    const r = await runCli(['--env', profilePointingAt(replica.origin), '--journeys', 'login', '--dry-run'], {
      PERFPULSE_USERNAME: DEMO_USER.username,
      PERFPULSE_PASSWORD: DEMO_USER.password,
    });
    assert.equal(r.code, 0, r.stderr);
    stderr = r.stderr;
    fams = parseExposition(r.stdout);
  });
  after(async () => replica.stop());

  const value = (name: string, step: string, page: string) =>
    samplesOf(fams, name).find((s) => s.labels.step === step && s.labels.page === page)?.value;

  it('exports Web Vitals and Navigation Timing per page, in the step that loaded it', () => {
    const ttfb = value(METRICS.pageTtfb.name, 'open_login_page', 'access_login');
    const fcp = value(METRICS.pageFcp.name, 'open_login_page', 'access_login');
    const lcp = value(METRICS.pageLcp.name, 'open_login_page', 'access_login');
    const dcl = value(METRICS.pageDomContentLoaded.name, 'open_login_page', 'access_login');
    const load = value(METRICS.pageLoad.name, 'open_login_page', 'access_login');
    for (const [n, v] of Object.entries({ ttfb, fcp, lcp, dcl, load })) assert.ok(v !== undefined && v > 0, `${n} measured: ${v}`);
    // the browser's own order of events
    assert.ok((ttfb as number) <= (dcl as number) && (dcl as number) <= (load as number), `ttfb ${ttfb} <= dcl ${dcl} <= load ${load}`);
    assert.ok((fcp as number) <= (lcp as number), `fcp ${fcp} <= lcp ${lcp}`);
    // the page the login lands on belongs to submit_credentials, never to the step that opened the form
    assert.ok(value(METRICS.pageTtfb.name, 'submit_credentials', 'en') !== undefined, 'landing page /en/ timed in submit_credentials');
    for (const s of fams.flatMap((f) => f.samples)) {
      if (s.labels.page !== undefined) assert.match(s.labels.page, SLUG);
    }
  });

  it('exports set-up time, harness overhead, contention and build info, and no calibration step', () => {
    const one = (name: string) => samplesOf(fams, name).map((s) => s.value);
    const [setup] = one(METRICS.browserSetup.name);
    const [overhead] = one(METRICS.harnessOverhead.name);
    const [load] = one(METRICS.hostLoadPerCpu.name);
    assert.ok(setup !== undefined && setup > 0, `setup ${setup}`);
    assert.ok(overhead !== undefined && overhead > 0, `overhead ${overhead}`);
    assert.ok(load !== undefined && load >= 0, `load per cpu ${load}`);
    const info = samplesOf(fams, METRICS.buildInfo.name);
    assert.equal(info.length, 1);
    assert.match(info[0]?.labels.chromium ?? '', /^\d+\.\d+\.\d+\.\d+$/);
    const steps = samplesOf(fams, METRICS.stepDuration.name).map((s) => s.labels.step);
    assert.deepEqual(steps, ['open_login_page', 'submit_credentials', 'see_user_menu', 'token_login'], 'calibration is not a journey step');
    assert.ok(!stderr.includes('calibration'), 'progress does not show the calibration step');
  });
});
