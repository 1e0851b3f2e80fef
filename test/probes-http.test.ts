/**
 * CADC service probes against the bundled replica, and the replica's registry + VOSI routes.
 * Probes of routes that issue 5 adds to the replica (TAP sync, /data/pub, skaha sessions) are
 * skipped only while `replica.routeKeys` lacks the route: they run by themselves once it is there.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadProfile, parseProfile, withReplicaOrigin } from '../src/config/profile.ts';
import { API_PROBES_JOB, PROBE_METRICS } from '../src/metrics/catalog-probes.ts';
import { parseExposition, samplesOf } from '../src/metrics/parse.ts';
import { httpProbesBody } from '../src/metrics/probe-bodies.ts';
import { DEFAULT_DATA_FILE } from '../src/probes/http/data-pub-redirect.ts';
import type { HttpProbe } from '../src/probes/http/probe.ts';
import { runHttpProbes, type HttpProbeOptions } from '../src/probes/http/run.ts';
import { capabilityIds, parseAvailability, parseRegistry } from '../src/probes/http/vosi.ts';
import { probeOptions } from '../src/probes/plan.ts';
import { startReplica, type Replica } from '../src/replica/server.ts';
import { VOSI_SERVICES } from '../src/replica/routes/vosi.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { gatewayFamilies, profilePointingAt, runCli } from './support/helpers.ts';
import { assertNamingGuide } from './support/naming.ts';
import { withGateway } from './support/gateway.ts';
import { suiteReplica } from './support/replica.ts';

const M = PROBE_METRICS;
const demo = { username: DEMO_USER.username, password: DEMO_USER.password };

describe('replica: registry and VOSI (cadc-reference §1.3, §7)', () => {
  const replica = suiteReplica();

  it('serves /reg/resource-caps as Java properties whose URLs point back at the replica and answer', async () => {
    const res = await fetch(`${replica.origin}/reg/resource-caps`);
    assert.equal(res.status, 200);
    const entries = parseRegistry(await res.text());
    for (const id of ['ivo://cadc.nrc.ca/reg', 'ivo://cadc.nrc.ca/argus', 'ivo://cadc.nrc.ca/gms', 'ivo://cadc.nrc.ca/skaha', 'ivo://cadc.nrc.ca/data']) {
      assert.ok(entries.has(id), id);
    }
    assert.equal(entries.get('ivo://cadc.nrc.ca/gms'), `${replica.origin}/ac/capabilities`);
    for (const url of entries.values()) {
      assert.ok(url.startsWith(`${replica.origin}/`), url);
      const caps = await fetch(url);
      assert.equal(caps.status, 200, url);
      const ids = capabilityIds(await caps.text());
      assert.ok(ids.includes('ivo://ivoa.net/std/VOSI#availability'), `${url} lists availability`);
    }
    const apps = parseRegistry(await (await fetch(`${replica.origin}/reg/applications`)).text());
    assert.equal(apps.get('ivo://cadc.nrc.ca/login'), `${replica.origin}/en/login.html`);
  });

  it('answers /<svc>/availability with VOSI XML and ?detail=min with an empty 200, for every §7 service', async () => {
    for (const svc of [...VOSI_SERVICES.map((s) => s.path), 'access']) {
      const full = await fetch(`${replica.origin}/${svc}/availability`);
      assert.equal(full.status, 200, svc);
      assert.match(full.headers.get('content-type') ?? '', /xml/);
      assert.deepEqual(parseAvailability(await full.text()), { available: true, note: 'service is accepting requests' });
      const min = await fetch(`${replica.origin}/${svc}/availability?detail=min`);
      assert.equal(min.status, 200);
      assert.equal(await min.text(), '');
    }
    const ac = await (await fetch(`${replica.origin}/ac/capabilities`)).text();
    assert.ok(capabilityIds(ac).includes('ivo://ivoa.net/std/UMS#login-0.1'));
    assert.match(ac, new RegExp(`<accessURL use="base">${replica.origin}/ac/login</accessURL>`));
  });

  it('reads available=false and the note, and refuses what is not VOSI', () => {
    const down = `<?xml version="1.0"?><vosi:availability xmlns:vosi="http://www.ivoa.net/xml/VOSIAvailability/v1.0">
      <vosi:available>false</vosi:available><vosi:backAt>2026-11-29T22:00:00Z</vosi:backAt><vosi:note>planned
      maintenance</vosi:note></vosi:availability>`;
    assert.deepEqual(parseAvailability(down), { available: false, note: 'planned maintenance' });
    assert.equal(parseAvailability('<html>Bad gateway</html>'), undefined);
    assert.equal(parseAvailability('<availability><available>maybe</available></availability>'), undefined);
  });
});

describe('probe http (CLI, --env local starts its own replica)', () => {
  it('every routed probe reports, with env, service and probe labels, and passes the naming guide', async () => {
    const r = await runCli(['probe', 'http', '--env', 'local', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assertNamingGuide(r.stdout);
    const fams = parseExposition(r.stdout);
    const success = samplesOf(fams, M.apiProbeSuccess.name);
    const got = new Set(success.map((s) => `${s.labels.service}/${s.labels.probe}`));
    for (const svc of ['reg', 'argus', 'data', 'ac', 'skaha', 'arc']) {
      assert.ok(got.has(`${svc}/availability`) && got.has(`${svc}/capabilities`), svc);
    }
    for (const want of ['access/availability', 'reg/resource_caps', 'ac/token_login']) assert.ok(got.has(want), want);
    for (const s of success) {
      assert.equal(s.value, 1, `${s.labels.service}/${s.labels.probe} succeeded`);
      assert.deepEqual(Object.keys(s.labels).sort(), ['env', 'probe', 'service']);
      assert.equal(s.labels.env, 'local');
    }
    const durations = samplesOf(fams, M.apiProbeDuration.name);
    assert.equal(durations.length, success.length, 'a duration for every probe that ran');
    assert.ok(durations.every((d) => d.value > 0 && d.value < 15));
    const available = samplesOf(fams, M.vosiAvailable.name);
    assert.deepEqual(available.map((s) => s.labels.service).sort(), ['ac', 'access', 'arc', 'argus', 'data', 'reg', 'skaha']);
    assert.ok(available.every((s) => s.value === 1));
    assert.ok(!r.stdout.includes(DEMO_USER.password) && !r.stderr.includes(DEMO_USER.password), 'password never printed');
    assert.doesNotMatch(r.stderr, /base64:/, 'token never printed');
  });

  it('availability follows an injected 503: available 0 for that service only, a clear line, exit 1', async () => {
    const r = await runCli(['probe', 'http', '--env', 'local', '--services', 'argus,reg', '--replica-fault', 'GET /argus/availability=status:503', '--dry-run']);
    assert.equal(r.code, 1, r.stderr);
    const available = new Map(samplesOf(parseExposition(r.stdout), M.vosiAvailable.name).map((s) => [s.labels.service, s.value]));
    assert.deepEqual(Object.fromEntries(available), { argus: 0, reg: 1 });
    assert.match(r.stderr, /http: argus availability: FAILED \(http_5xx\) [\d.]+ s, 503: not available/);
  });

  it('pushes to job perfpulse_api_probes, group {env}, on a real Pushgateway', async () => {
    await withGateway(async (gw) => {
      const r = await runCli(['probe', 'http', '--env', 'local', '--services', 'reg', '--pushgateway', gw.url]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /pushed to http:\/\/127\.0\.0\.1:\d+\/metrics\/job\/perfpulse_api_probes\/env\/local/);
      const s = samplesOf(await gatewayFamilies(gw.url), M.apiProbeSuccess.name).find((x) => x.labels.probe === 'resource_caps');
      assert.deepEqual(s?.labels, { env: 'local', service: 'reg', probe: 'resource_caps', job: API_PROBES_JOB, instance: '' });
    });
  });

  it('without credentials on a real-looking env, the login and session list are skipped, not failed', async () => {
    const replica = await startReplica();
    try {
      const r = await runCli(['probe', 'http', '--env', profilePointingAt(replica.origin), '--services', 'ac', '--dry-run']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /ac token_login: skipped: no credentials/);
      assert.equal(samplesOf(parseExposition(r.stdout), M.apiProbeSuccess.name).filter((s) => s.labels.probe === 'token_login').length, 0);
    } finally {
      await replica.stop();
    }
  });
});

describe('probe http (in process, against a replica)', () => {
  let replica: Replica;
  let serves: (method: string, path: string) => boolean;
  before(async () => {
    replica = await startReplica();
    serves = replica.serves;
  });
  after(() => replica.stop());

  async function probe(services: string[], extra: Partial<HttpProbeOptions> = {}) {
    const lines: string[] = [];
    const report = await runHttpProbes({
      profile: withReplicaOrigin(loadProfile('local'), replica.origin),
      services,
      credentials: demo,
      timeoutMs: 10_000,
      concurrency: 2,
      log: (l) => lines.push(l),
      ...extra,
    });
    const text = (await httpProbesBody(report)).body;
    return { report, fams: parseExposition(text), text, lines };
  }
  const value = (fams: ReturnType<typeof parseExposition>, name: string, labels: Record<string, string>) =>
    samplesOf(fams, name).find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

  it('availability true → 503 → true, as the fault table changes', async () => {
    const seen: Array<number | undefined> = [];
    for (const fault of [undefined, { status: 503 }, undefined]) {
      replica.faults.clear();
      if (fault) replica.faults.set('GET /ac/availability', fault);
      const { fams } = await probe(['ac']);
      seen.push(value(fams, M.vosiAvailable.name, { service: 'ac' }));
    }
    replica.faults.clear();
    assert.deepEqual(seen, [1, 0, 1]);
  });

  it('maintenance mode: available=false with its note is read as 0, ?detail=min answers an empty 503', async () => {
    const put = await fetch(`${replica.origin}/__replica/vosi/argus`, { method: 'PUT', body: JSON.stringify({ note: 'planned maintenance', backAt: '2026-11-29T22:00:00Z' }) });
    assert.equal(put.status, 204);
    try {
      const min = await fetch(`${replica.origin}/argus/availability?detail=min`);
      assert.equal(min.status, 503);
      assert.equal(await min.text(), '');
      const { fams, lines } = await probe(['argus', 'reg']);
      assert.equal(value(fams, M.vosiAvailable.name, { service: 'argus' }), 0);
      assert.equal(value(fams, M.vosiAvailable.name, { service: 'reg' }), 1);
      assert.equal(value(fams, M.apiProbeSuccess.name, { service: 'argus', probe: 'availability' }), 1, 'the probe itself worked');
      assert.ok(lines.some((l) => /argus availability: ok [\d.]+ s, available=false \(planned maintenance\)/.test(l)), lines.join('\n'));
    } finally {
      await fetch(`${replica.origin}/__replica/vosi/argus`, { method: 'DELETE' });
    }
    const { fams } = await probe(['argus']);
    assert.equal(value(fams, M.vosiAvailable.name, { service: 'argus' }), 1, 'back after DELETE');
  });

  it('a hung service counts as failed within the timeout and leaves availability absent', async () => {
    replica.faults.set('GET /reg/availability', { hang: true });
    try {
      const { fams, lines } = await probe(['reg'], { timeoutMs: 500 });
      assert.equal(value(fams, M.apiProbeSuccess.name, { service: 'reg', probe: 'availability' }), 0);
      assert.equal(value(fams, M.vosiAvailable.name, { service: 'reg' }), undefined, 'not measured: absent, never 0');
      assert.ok(lines.some((l) => /reg availability: FAILED \(timeout\) [\d.]+ s, no answer before the timeout/.test(l)), lines.join('\n'));
    } finally {
      replica.faults.clear();
    }
  });

  const needs = (method: string, path: string) => (serves(method, path) ? false : `the replica has no ${method} ${path} yet (issue 5)`);

  it('tap_sync_query: POST /argus/sync → 303 → the job result', async (t) => {
    const why = needs('POST', '/argus/sync');
    if (why) return t.skip(why);
    const { fams, lines } = await probe(['argus']);
    assert.equal(value(fams, M.apiProbeSuccess.name, { service: 'argus', probe: 'tap_sync_query' }), 1, lines.join('\n'));
    assert.ok((value(fams, M.apiProbeDuration.name, { service: 'argus', probe: 'tap_sync_query' }) ?? 0) > 0);
  });

  it('data_pub_redirect: GET /data/pub/<ARCHIVE>/<file> → 303 to minoc', async (t) => {
    const why = needs('GET', `/data/pub/${DEFAULT_DATA_FILE}`);
    if (why) return t.skip(why);
    const { fams, lines } = await probe(['data']);
    assert.equal(value(fams, M.apiProbeSuccess.name, { service: 'data', probe: 'data_pub_redirect' }), 1, lines.join('\n'));
  });

  it('session_list: GET /skaha/v1/session with the token from /ac/login', async (t) => {
    const why = needs('GET', '/skaha/v1/session');
    if (why) return t.skip(why);
    const { fams, lines } = await probe(['ac', 'skaha']);
    assert.equal(value(fams, M.apiProbeSuccess.name, { service: 'ac', probe: 'token_login' }), 1, lines.join('\n'));
    assert.equal(value(fams, M.apiProbeSuccess.name, { service: 'skaha', probe: 'session_list' }), 1, lines.join('\n'));
  });

  it("ctx.attempt gives the probe what its requests measured and nothing of the scheduler's; a failure is classed by the last status read", async () => {
    // a probe that reports which keys attempt() handed it: the scheduler's lastStatus once leaked in
    const inspect: HttpProbe = {
      name: 'inspect',
      service: 'reg',
      async run(ctx) {
        const url = `${ctx.base('reg')}/availability`;
        const m = await ctx.attempt('GET', url, async () => {
          const { res, ms } = await ctx.fetch(url);
          return { ok: false, ms, detail: `${res.status}` };
        });
        return { ...m, detail: `${m.detail}; ${Object.keys(m).sort().join(',')}` };
      },
    };
    replica.faults.clear();
    replica.faults.set('GET /reg/availability', { status: 503 });
    try {
      const { report } = await probe(['reg'], { probes: [inspect] });
      const out = report.outcomes[0];
      assert.equal(out?.detail, '503; detail,httpVersion,ms,ok,phases');
      assert.equal(out?.errorClass, 'http_5xx', 'classed by the 503 it read');
      assert.ok(!('lastStatus' in (out as object)));
    } finally {
      replica.faults.clear();
    }
  });

  it('a probe of a route the replica lacks is skipped with a line, not failed', async () => {
    const { report, lines } = await probe(['argus'], { replicaServes: () => false });
    assert.ok(report.outcomes.every((o) => o.ok === undefined));
    assert.ok(lines.some((l) => /argus availability: skipped: the replica has no route GET \/argus\/availability/.test(l)));
  });
});

describe('one run: journeys and the probes the env profile enables', () => {
  it('--env local pushes the login journey and the service probes to their own groups of one gateway', async () => {
    await withGateway(async (gw) => {
      const r = await runCli(['--env', 'local', '--pushgateway', gw.url]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /pushed login to .*\/metrics\/job\/perfpulse_usersim\/env\/local\/journey\/login/);
      assert.match(r.stdout, /pushed probes to .*\/metrics\/job\/perfpulse_api_probes\/env\/local/);
      const fams = await gatewayFamilies(gw.url);
      assert.ok(samplesOf(fams, 'perfpulse_usersim_step_duration_seconds').length >= 3, 'journey steps');
      const probes = samplesOf(fams, M.apiProbeSuccess.name);
      assert.ok(probes.length >= 10 && probes.every((s) => s.labels.job === API_PROBES_JOB && s.value === 1), 'service probes');
    });
  });

  it('--only probes runs no journey (no browser needed); --only journeys runs no probe', async () => {
    const probesOnly = await runCli(['--env', 'local', '--only', 'probes', '--dry-run', '--browser', '/nonexistent/chromium']);
    assert.equal(probesOnly.code, 0, probesOnly.stderr);
    const fams = parseExposition(probesOnly.stdout);
    assert.equal(samplesOf(fams, 'perfpulse_usersim_journey_success').length, 0);
    assert.ok(samplesOf(fams, M.apiProbeSuccess.name).length >= 10);
    const journeysOnly = await runCli(['--env', 'local', '--only', 'journeys', '--journeys', 'login', '--dry-run']);
    assert.equal(journeysOnly.code, 0, journeysOnly.stderr);
    const jf = parseExposition(journeysOnly.stdout);
    assert.equal(samplesOf(jf, 'perfpulse_usersim_journey_success').length, 1);
    assert.equal(samplesOf(jf, M.apiProbeSuccess.name).length, 0);
    const replica = await startReplica();
    try {
      const none = await runCli(['--env', profilePointingAt(replica.origin), '--only', 'probes', '--dry-run']);
      assert.equal(none.code, 2);
      assert.match(none.stderr, /--only probes: env lab enables no probes/);
    } finally {
      await replica.stop();
    }
  });
});

describe('env profile: probes section', () => {
  it('is optional, and validated with one line naming the field', () => {
    const base = 'name: x\nurls:\n  www: https://a\n  canfar: https://a\n  ws_cadc: https://a\n  ws: https://a\n  ws_uv: https://a\n';
    assert.equal(parseProfile(base, 't').probes, undefined);
    const p = probeOptions(parseProfile(`${base}probes:\n  http:\n    services: [reg, ac]\n    data_file: CFHT/x.fits\n  k8s:\n    context: keel-prod\n    kinds: [pods]\n`, 't'));
    assert.deepEqual(p, {
      http: { services: ['reg', 'ac'], options: { dataFile: 'CFHT/x.fits' } },
      k8s: { kubeconfig: undefined, context: 'keel-prod', namespace: undefined, cluster: undefined, kinds: ['pods'] },
    });
    assert.deepEqual(probeOptions(parseProfile(`${base}probes:\n  http: true\n`, 't')), { http: { services: undefined, options: { dataFile: undefined } } });
    assert.throws(() => parseProfile(`${base}probes:\n  smtp: true\n`, 't'), /probes\.smtp: unknown key; valid keys here: http, k8s/);
    assert.throws(() => probeOptions(parseProfile(`${base}probes:\n  http:\n    services: reg\n`, 't')), /probes\.http\.services: must be a list of services/);
  });
});
