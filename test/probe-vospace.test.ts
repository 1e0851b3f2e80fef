/**
 * The VOSpace transfer probe (src/probes/ops/vospace.ts) against the bundled replica's vault and arc
 * (src/replica/routes/vospace.ts), delivered to a real Pushgateway: phases that move with an
 * injected delay and only those, a digest mismatch failing as class download, a failed PUT leaving
 * no node, a leftover of an earlier run deleted first. After every test the replica is asked, through
 * its own VOSpace API, whether anything the probe made is still there.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { loadProfile, parseProfile, withReplicaOrigin } from '../src/config/profile.ts';
import { PROBE_METRICS, VOS_TRANSFERS_JOB } from '../src/metrics/catalog-probes.ts';
import { parseExposition, samplesOf, type Family } from '../src/metrics/parse.ts';
import { vospaceBody } from '../src/metrics/probe-bodies.ts';
import { TEST_FILE, runVospaceProbe, vospaceDefaults } from '../src/probes/ops/vospace.ts';
import { probeOptions } from '../src/probes/plan.ts';
import { startReplica, type Replica } from '../src/replica/server.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import type { VosOperation, VospaceProbeResults } from '../src/results/probes.ts';
import { gatewayFamilies, profilePointingAt, runCli } from './support/helpers.ts';
import { suiteGateway } from './support/gateway.ts';
import { assertNamingGuide } from './support/naming.ts';

const M = PROBE_METRICS;
const USER = DEMO_USER.username;
const demo = { username: USER, password: DEMO_USER.password };
const creds = { PERFPULSE_USERNAME: USER, PERFPULSE_PASSWORD: DEMO_USER.password };
/** The route each service's bytes are PUT to and read from (vault's live at its storage site, minoc). */
const BYTES_ROUTE = { vault: '/minoc/files/{token}/{uri+}', arc: '/arc/files/{path+}' } as const;

async function tokenFor(replica: Replica): Promise<string> {
  const res = await fetch(`${replica.origin}/ac/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(demo).toString() });
  return (await res.text()).trim();
}

/** What the replica holds under the user's home on each service that the probe could have made. */
async function probeNodesLeft(replica: Replica): Promise<string[]> {
  const auth = { authorization: `Bearer ${await tokenFor(replica)}` };
  const left: string[] = [];
  for (const svc of ['vault', 'arc']) {
    const home = await fetch(`${replica.origin}/${svc}/nodes/home/${USER}`, { headers: auth });
    assert.equal(home.status, 200, `${svc} home readable`);
    if ((await home.text()).includes('perfpulse-probe')) left.push(`${svc}: home lists perfpulse-probe`);
    for (const path of ['perfpulse-probe', `perfpulse-probe/${TEST_FILE}`]) {
      const res = await fetch(`${replica.origin}/${svc}/nodes/home/${USER}/${path}`, { headers: auth });
      if (res.status !== 404) left.push(`${svc}: ${path} answers ${res.status}`);
    }
  }
  return left;
}

const value = (fams: Family[], name: string, labels: Record<string, string>) => samplesOf(fams, name).find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
const op = (r: VospaceProbeResults, service: string, kind: string): VosOperation => {
  const found = r.services.find((s) => s.service === service)?.operations.find((o) => o.kind === kind);
  assert.ok(found, `${service} ${kind} ran`);
  return found;
};

describe('probe vospace against the replica, to a real Pushgateway', () => {
  let replica: Replica;
  let lab: string;
  const gw = suiteGateway();
  before(async () => {
    replica = await startReplica();
    lab = profilePointingAt(replica.origin);
  });
  after(() => replica.stop());
  afterEach(async () => {
    replica.faults.clear();
    assert.deepEqual(await probeNodesLeft(replica), [], 'no test node or folder left on the replica');
  });

  it('pushes, pulls and deletes on vault and arc: every phase, bytes and throughput, to job perfpulse_vos_transfers {env}', async () => {
    const r = await runCli(['probe', 'vospace', '--env', lab, '--size', '256KiB', '--pushgateway', gw.url], creds);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /pushed to http:\/\/127\.0\.0\.1:\d+\/metrics\/job\/perfpulse_vos_transfers\/env\/lab/);
    for (const svc of ['vault', 'arc']) {
      for (const kind of ['vos_push', 'vos_pull']) assert.match(r.stderr, new RegExp(`vospace: ${svc} ${kind}: ok [\\d.]+ s \\(negotiate [\\d.]+ s, transfer [\\d.]+ s\\), 262144 bytes`));
      assert.match(r.stderr, new RegExp(`vospace: ${svc} vos_delete: ok [\\d.]+ s`));
    }
    const fams = await gatewayFamilies(gw.url);
    const durations = samplesOf(fams, M.vosTransferDuration.name);
    const got = durations.map((s) => `${s.labels.service} ${s.labels.kind} ${s.labels.phase}`).sort();
    const want = ['vault', 'arc'].flatMap((svc) => [...['vos_push', 'vos_pull'].flatMap((k) => ['negotiate', 'transfer', 'whole'].map((p) => `${svc} ${k} ${p}`)), `${svc} vos_delete whole`]).sort();
    assert.deepEqual(got, want);
    for (const s of durations) {
      assert.equal(s.labels.job, VOS_TRANSFERS_JOB);
      assert.ok(s.value > 0, `${s.labels.service} ${s.labels.kind} ${s.labels.phase} > 0`);
    }
    for (const svc of ['vault', 'arc']) {
      for (const kind of ['vos_push', 'vos_pull']) {
        const labels = { service: svc, kind };
        const whole = value(fams, M.vosTransferDuration.name, { ...labels, phase: 'whole' }) ?? 0;
        const parts = (value(fams, M.vosTransferDuration.name, { ...labels, phase: 'negotiate' }) ?? 0) + (value(fams, M.vosTransferDuration.name, { ...labels, phase: 'transfer' }) ?? 0);
        assert.ok(whole >= parts, `${svc} ${kind}: whole ${whole} holds negotiate + transfer ${parts}`);
        assert.equal(value(fams, M.vosTransferBytes.name, labels), 262144);
        const transfer = value(fams, M.vosTransferDuration.name, { ...labels, phase: 'transfer' }) ?? 0;
        const rate = value(fams, M.vosTransferThroughput.name, labels) ?? 0;
        assert.ok(Math.abs(rate - 262144 / transfer) / rate < 1e-6, 'throughput = bytes / transfer seconds');
      }
      for (const kind of ['vos_push', 'vos_pull', 'vos_delete']) {
        assert.equal(value(fams, M.vosTransferSuccess.name, { service: svc, kind }), 1);
        assert.equal(value(fams, M.vosTransfers.name, { service: svc, kind, result: 'ok' }), 1);
      }
    }
  });

  it('an injected delay D on the transfer PUT moves the push transfer phase by at least D, and no other phase absorbs it', async () => {
    const D = 1000;
    const profile = withReplicaOrigin(loadProfile('local'), replica.origin);
    const run = () => runVospaceProbe({ profile, credentials: demo, config: { ...vospaceDefaults(), sizeBytes: 64 * 1024 }, log: () => {} });
    const base = await run();
    assert.equal(base.failures, 0, JSON.stringify(base.services.map((s) => s.failure)));
    for (const route of Object.values(BYTES_ROUTE)) replica.faults.set(`PUT ${route}`, { delayMs: D });
    const slow = await run();
    assert.equal(slow.failures, 0, JSON.stringify(slow.services.map((s) => s.failure)));
    for (const svc of ['vault', 'arc']) {
      const push = op(slow, svc, 'vos_push').phasesMs;
      assert.ok((push.transfer ?? 0) >= D, `${svc} push transfer ${push.transfer} ms >= ${D} ms`);
      assert.ok((push.whole ?? 0) >= D, `${svc} push whole holds it`);
      const others: Array<[string, number | undefined, number | undefined]> = [
        ['vos_push negotiate', push.negotiate, op(base, svc, 'vos_push').phasesMs.negotiate],
        ...(['negotiate', 'transfer', 'whole'] as const).map((p): [string, number | undefined, number | undefined] => [`vos_pull ${p}`, op(slow, svc, 'vos_pull').phasesMs[p], op(base, svc, 'vos_pull').phasesMs[p]]),
        ['vos_delete whole', op(slow, svc, 'vos_delete').phasesMs.whole, op(base, svc, 'vos_delete').phasesMs.whole],
      ];
      for (const [what, faulted, unfaulted] of others) {
        assert.ok(faulted !== undefined && unfaulted !== undefined, `${svc} ${what} measured in both runs`);
        assert.ok(faulted - unfaulted < D, `${svc} ${what}: ${faulted.toFixed(1)} ms with the fault vs ${unfaulted.toFixed(1)} ms without: it did not absorb the ${D} ms`);
      }
    }
    // and the metric says the same
    const fams = parseExposition((await vospaceBody(slow)).body);
    assert.ok((value(fams, M.vosTransferDuration.name, { service: 'arc', kind: 'vos_push', phase: 'transfer' }) ?? 0) >= D / 1000);
  });

  it('a digest mismatch on the pull fails with class download and a clear line; the node is still deleted', async () => {
    for (const route of Object.values(BYTES_ROUTE)) replica.faults.set(`GET ${route}`, { corrupt: true });
    const r = await runCli(['probe', 'vospace', '--env', lab, '--size', '64KiB', '--pushgateway', gw.url], creds);
    assert.equal(r.code, 1, r.stderr);
    for (const svc of ['vault', 'arc']) {
      assert.match(r.stderr, new RegExp(`^vospace: ${svc} vos_pull: FAILED \\(download\\) pull: digest mismatch: the bytes have md5 [0-9a-f]{32}, their Digest header says [0-9a-f]{32}$`, 'm'));
      assert.match(r.stderr, new RegExp(`^vospace: ${svc} vos_delete: ok`, 'm'));
    }
    assert.match(r.stderr, /vault +vos_pull +failed \(download\)/);
    const fams = await gatewayFamilies(gw.url);
    for (const svc of ['vault', 'arc']) {
      assert.equal(value(fams, M.vosTransferSuccess.name, { service: svc, kind: 'vos_pull' }), 0);
      assert.equal(value(fams, M.vosTransfers.name, { service: svc, kind: 'vos_pull', result: 'download' }), 1);
      assert.equal(value(fams, M.vosTransferSuccess.name, { service: svc, kind: 'vos_push' }), 1);
      assert.equal(value(fams, M.vosTransferDuration.name, { service: svc, kind: 'vos_pull', phase: 'whole' }), undefined, 'a failed operation has no whole');
    }
  });

  it('a PUT answered 503 fails the push as http_5xx; the node its negotiation created is deleted all the same', async () => {
    replica.faults.set(`PUT ${BYTES_ROUTE.arc}`, { status: 503 });
    const r = await runCli(['probe', 'vospace', '--env', lab, '--services', 'arc', '--size', '1KiB', '--dry-run'], creds);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^vospace: arc vos_push: FAILED \(http_5xx\) push: PUT answered 503: Injected fault: 503$/m);
    assert.doesNotMatch(r.stderr, /vos_pull/, 'no pull after a failed push');
    const fams = parseExposition(r.stdout);
    assert.equal(value(fams, M.vosTransferSuccess.name, { service: 'arc', kind: 'vos_pull' }), 0, 'a pull the failure prevented is 0');
    assert.equal(value(fams, M.vosTransfers.name, { service: 'arc', kind: 'vos_pull', result: 'http_5xx' }), 1, 'under the class of what prevented it');
    assert.equal(value(fams, M.vosTransferSuccess.name, { service: 'arc', kind: 'vos_delete' }), 1);
  });

  it('SIGINT during the transfer: class interrupted, exit 4, and the clean-up still deletes the node', async () => {
    replica.faults.set(`PUT ${BYTES_ROUTE.arc}`, { delayMs: 30_000 });
    const auth = { authorization: `Bearer ${await tokenFor(replica)}` };
    const r = await runCli(['probe', 'vospace', '--env', lab, '--services', 'arc', '--size', '1KiB', '--dry-run'], creds, 120_000, (child) => {
      // the push negotiation creates the test node right before the PUT: interrupt once it exists
      const poll = async (): Promise<void> => {
        const res = await fetch(`${replica.origin}/arc/nodes/home/${USER}/perfpulse-probe/${TEST_FILE}`, { headers: auth });
        if (res.status === 200) child.kill('SIGINT');
        else setTimeout(() => void poll(), 20);
      };
      void poll();
    });
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /^vospace: arc vos_push: FAILED \(interrupted\)/m);
    assert.doesNotMatch(r.stderr, /LEFT BEHIND/);
  });

  it('deletes the test node an earlier run left before it starts', async () => {
    const auth = { authorization: `Bearer ${await tokenFor(replica)}`, 'content-type': 'text/xml' };
    const node = (path: string, type: string) =>
      `<vos:node xmlns:vos="http://www.ivoa.net/xml/VOSpace/v2.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" uri="vos://cadc.nrc.ca~arc/home/${USER}/${path}" xsi:type="${type}"/>`;
    for (const [path, type] of [['perfpulse-probe', 'vos:ContainerNode'], [`perfpulse-probe/${TEST_FILE}`, 'vos:DataNode']]) {
      const res = await fetch(`${replica.origin}/arc/nodes/home/${USER}/${path}`, { method: 'PUT', headers: auth, body: node(path as string, type as string) });
      assert.equal(res.status, 201, `left ${path}`);
    }
    const r = await runCli(['probe', 'vospace', '--env', lab, '--services', 'arc', '--size', '1KiB', '--dry-run'], creds);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`vospace: arc: deleted perfpulse-probe/${TEST_FILE}, left by an earlier run`));
    assertNamingGuide(r.stdout);
  });

  it('without credentials on a real-looking env it is skipped, not failed, and sends no series', async () => {
    const r = await runCli(['probe', 'vospace', '--env', lab, '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /vospace: vault: skipped: no credentials/);
    assert.equal(samplesOf(parseExposition(r.stdout), M.vosTransferSuccess.name).length, 0);
  });
});

describe('the replica: VOSpace nodes and sync transfers (cadc-reference §6.2, vos/vostools source)', () => {
  let replica: Replica;
  before(async () => {
    replica = await startReplica();
  });
  after(() => replica.stop());
  const xml = 'http://www.ivoa.net/xml/VOSpace/v2.0';
  const transfer = (svc: string, path: string, direction: string) =>
    `<vos:transfer xmlns:vos="${xml}" version="2.1"><vos:target>vos://cadc.nrc.ca~${svc}/home/${USER}/${path}</vos:target><vos:direction>${direction}</vos:direction><vos:protocol uri="ivo://ivoa.net/vospace/core#${direction === 'pushToVoSpace' ? 'httpsput' : 'httpsget'}"><vos:securityMethod uri="ivo://ivoa.net/sso#token" /></vos:protocol><vos:protocol uri="ivo://ivoa.net/vospace/core#${direction === 'pushToVoSpace' ? 'httpsput' : 'httpsget'}" /></vos:transfer>`;
  const container = (svc: string, path: string) => `<vos:node xmlns:vos="${xml}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" uri="vos://cadc.nrc.ca~${svc}/home/${USER}/${path}" xsi:type="vos:ContainerNode"/>`;
  /** POST the transfer document and follow the 303s as cadcutils does: the hops and the final answer. */
  async function negotiate(svc: string, doc: string, auth: Record<string, string>) {
    let res = await fetch(`${replica.origin}/${svc}/synctrans`, { method: 'POST', headers: { ...auth, 'content-type': 'text/xml' }, body: doc, redirect: 'manual' });
    const urls: string[] = [];
    while (res.status === 303) {
      const loc = res.headers.get('location') as string;
      urls.push(loc);
      res = await fetch(loc, { headers: auth, redirect: 'manual' });
    }
    return { urls, hops: urls.map((u) => new URL(u).pathname.replace(/[0-9a-f]{16}/, '<job>')), res, text: await res.text() };
  }

  it('negotiates as the real services: synctrans → run → transfers/…/results/transferDetails → xfer, endpoints per service', async () => {
    const auth = { authorization: `Bearer ${await tokenFor(replica)}` };
    for (const svc of ['vault', 'arc']) {
      assert.equal((await fetch(`${replica.origin}/${svc}/nodes/home/${USER}/t`, { method: 'PUT', headers: auth, body: container(svc, 't') })).status, 201);
      assert.equal((await fetch(`${replica.origin}/${svc}/nodes/home/${USER}/t`, { method: 'PUT', headers: auth, body: container(svc, 't') })).status, 409, 'DuplicateNode');
      const n = await negotiate(svc, transfer(svc, 't/f.bin', 'pushToVoSpace'), auth);
      assert.deepEqual(n.hops, [`/${svc}/synctrans/<job>/run`, `/${svc}/transfers/<job>/results/transferDetails`, `/${svc}/xfer/<job>`]);
      assert.equal(n.res.status, 200);
      const endpoints = [...n.text.matchAll(/<vos:endpoint>([^<]+)</g)].map((m) => new URL(m[1] as string).pathname);
      if (svc === 'vault') assert.match(endpoints[0] ?? '', /^\/minoc\/files\/preauth:[\w-]+\/cadc:vault\/[0-9a-f-]{36}$/, 'storage nodes: pre-authorised minoc URLs only');
      else assert.deepEqual(endpoints.map((e) => e.replace(/preauth:[\w-]+/, 'preauth:<t>')), [`/arc/files/home/${USER}/t/f.bin`, `/arc/files/preauth:<t>/home/${USER}/t/f.bin`]);
      const url = new URL([...n.text.matchAll(/<vos:endpoint>([^<]+)</g)][0]?.[1] as string);
      const bytes = Buffer.from('twelve bytes');
      const wrong = await fetch(url, { method: 'PUT', headers: { ...auth, digest: `md5=${Buffer.alloc(16).toString('base64')}` }, body: bytes });
      assert.equal(wrong.status, 412, 'a Digest that does not match the bytes');
      const right = await fetch(url, { method: 'PUT', headers: { ...auth, digest: 'md5=' + (await import('node:crypto')).createHash('md5').update(bytes).digest('base64') }, body: bytes });
      assert.equal(right.status, 201);
      assert.equal(right.headers.get('digest'), 'md5=' + (await import('node:crypto')).createHash('md5').update(bytes).digest('base64'));
      assert.equal((await fetch(`${replica.origin}/${svc}/nodes/home/${USER}/t`, { method: 'DELETE', headers: auth })).status, 200);
    }
  });

  it('refuses an anonymous write and a folder in a missing one; a pull of a missing node ends the job in ERROR with no endpoint', async () => {
    const auth = { authorization: `Bearer ${await tokenFor(replica)}` };
    assert.equal((await fetch(`${replica.origin}/arc/nodes/home/${USER}/x`, { method: 'PUT', body: container('arc', 'x') })).status, 401);
    assert.equal((await fetch(`${replica.origin}/vault/nodes/home/${USER}/no/x`, { method: 'PUT', headers: auth, body: container('vault', 'no/x') })).status, 404, 'ContainerNotFound');
    const n = await negotiate('vault', transfer('vault', 'missing.bin', 'pullFromVoSpace'), auth);
    assert.equal(n.res.status, 200);
    assert.doesNotMatch(n.text, /<vos:endpoint>/);
    // the job behind it, where vcp reads why (cadcutils Transfer.check_job_error)
    const job = (n.urls.at(-1) as string).replace('/xfer/', '/transfers/');
    assert.equal(await (await fetch(`${job}/phase`, { headers: auth })).text(), 'ERROR');
    assert.equal(await (await fetch(`${job}/error`, { headers: auth })).text(), 'NodeNotFound');
  });
});

describe('probe vospace: options', () => {
  it('bad flags and profile keys are refused with one line, exit 2', async () => {
    for (const [args, want] of [
      [['--size', '2TiB'], /--size must be a whole number of bytes from 1 to 1GiB/],
      [['--services', 'vault,cavern'], /--services names unknown service\(s\) cavern \(use vault, arc\)/],
      [['--folder', '../etc'], /--folder must be a relative path/],
      [['--timeout', '0'], /--timeout must be a number of seconds from 0.1 to 600/],
    ] as const) {
      const r = await runCli(['probe', 'vospace', '--env', 'local', '--dry-run', ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, want);
      assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
    }
    const base = 'name: x\nurls:\n  www: https://a\n  canfar: https://a\n  ws_cadc: https://a\n  ws: https://a\n  ws_uv: https://a\n';
    assert.throws(() => probeOptions(parseProfile(`${base}probes:\n  vospace:\n    sise: 1MiB\n`, 't')), /^UserError: env profile t: probes\.vospace has unknown key\(s\) sise \(use services, size, folder, timeout\)$/);
    assert.throws(() => probeOptions(parseProfile(`${base}probes:\n  vospace:\n    size: lots\n`, 't')), /env profile t: probes\.vospace\.size must be/);
    assert.throws(() => probeOptions(parseProfile(`${base}probes:\n  vospace: [vault]\n`, 't')), /probes\.vospace must be true or a mapping/);
    const p = probeOptions(parseProfile(`${base}probes:\n  vospace:\n    services: [arc]\n    size: 4MiB\n    folder: scratch/pp\n    timeout: 30\n`, 't'));
    assert.deepEqual(p.vospace, { services: ['arc'], sizeBytes: 4 * 1024 * 1024, folder: 'scratch/pp', timeoutMs: 30_000 });
    assert.deepEqual(probeOptions(parseProfile(`${base}probes:\n  vospace: true\n`, 't')).vospace, vospaceDefaults());
    assert.deepEqual(vospaceDefaults(), { services: ['vault', 'arc'], sizeBytes: 1048576, folder: 'perfpulse-probe', timeoutMs: 60_000 });
  });

  it('the local profile enables it; the shipped prod and staging profiles do not (it writes to storage)', () => {
    assert.deepEqual(probeOptions(loadProfile('local')).vospace, vospaceDefaults());
    for (const env of ['prod', 'staging']) assert.equal(probeOptions(loadProfile(env)).vospace, undefined, env);
  });

  it('--help documents every option and the phases', async () => {
    const r = await runCli(['probe', 'vospace', '--help']);
    assert.equal(r.code, 0, r.stderr);
    for (const flag of ['--services', '--size', '--folder', '--timeout', '--pushgateway', '--dry-run', '--replica-fault']) assert.ok(r.stdout.includes(flag), flag);
    for (const word of ['vos_push', 'vos_pull', 'vos_delete', 'negotiate, transfer, whole']) assert.ok(r.stdout.includes(word), word);
  });
});

describe('a plain run on --env local', () => {
  const gw = suiteGateway();
  it('prints and pushes the transfer series and the headless job phases to a real Pushgateway', async () => {
    const r = await runCli(['--env', 'local', '--pushgateway', gw.url], {}, 600_000);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /vault +vos_push +ok/);
    assert.match(r.stdout, /headless job +submit_s/);
    assert.match(r.stdout, /pushed probes to .*\/metrics\/job\/perfpulse_vos_transfers\/env\/local/);
    assert.match(r.stdout, /pushed probes to .*\/metrics\/job\/perfpulse_skaha_headless\/env\/local/);
    const fams = await gatewayFamilies(gw.url);
    const kinds = new Set(samplesOf(fams, M.vosTransferDuration.name).map((s) => `${s.labels.service}/${s.labels.kind}`));
    for (const want of ['vault/vos_push', 'vault/vos_pull', 'vault/vos_delete', 'arc/vos_push', 'arc/vos_pull', 'arc/vos_delete']) assert.ok(kinds.has(want), want);
    const phases = new Set(samplesOf(fams, M.headlessJobDuration.name).map((s) => s.labels.phase));
    assert.deepEqual([...phases].sort(), ['completed', 'running', 'submit', 'visible', 'whole']);
    assert.equal(value(fams, M.headlessJobs.name, { env: 'local', result: 'completed' }), 1);
    assert.equal(value(fams, M.headlessJobsExpected.name, { env: 'local' }), 1);
  });
});
