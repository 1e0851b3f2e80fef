/**
 * The headless batch-job probe (src/probes/ops/headless.ts) against the bundled replica's skaha
 * (src/replica/routes/skaha.ts: Pending → Running → Completed, the `stuck` fault), delivered to a
 * real Pushgateway. After every test the replica's skaha API is asked whether a session is left.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, afterEach, before, describe, it } from 'node:test';
import { loadProfile, parseProfile } from '../src/config/profile.ts';
import { HEADLESS_JOBS_JOB, PROBE_METRICS } from '../src/metrics/catalog-probes.ts';
import { parseExposition, samplesOf, type Family } from '../src/metrics/parse.ts';
import { headlessDefaults } from '../src/probes/ops/headless.ts';
import { probeOptions } from '../src/probes/plan.ts';
import { startReplica, type Replica } from '../src/replica/server.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { gatewayFamilies, profilePointingAt, runCli } from './support/helpers.ts';
import { suiteGateway } from './support/gateway.ts';
import { assertNamingGuide } from './support/naming.ts';

const M = PROBE_METRICS;
const creds = { PERFPULSE_USERNAME: DEMO_USER.username, PERFPULSE_PASSWORD: DEMO_USER.password };
const PENDING_MS = 400;
const RUN_MS = 400;
const TERMINATING_MS = 100;

async function tokenFor(replica: Replica): Promise<string> {
  const form = new URLSearchParams({ username: DEMO_USER.username, password: DEMO_USER.password }).toString();
  return (await (await fetch(`${replica.origin}/ac/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })).text()).trim();
}

/** The user's sessions as skaha lists them. */
async function sessions(replica: Replica): Promise<Array<{ id: string; name: string; status: string; type: string }>> {
  const res = await fetch(`${replica.origin}/skaha/v1/session`, { headers: { authorization: `Bearer ${await tokenFor(replica)}` } });
  assert.equal(res.status, 200);
  return (await res.json()) as Array<{ id: string; name: string; status: string; type: string }>;
}

const value = (fams: Family[], name: string, labels: Record<string, string>) => samplesOf(fams, name).find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe('probe headless against the replica, to a real Pushgateway', () => {
  let replica: Replica;
  let lab: string;
  const gw = suiteGateway();
  before(async () => {
    replica = await startReplica({ sessionPendingMs: PENDING_MS, headlessRunMs: RUN_MS, sessionTerminatingMs: TERMINATING_MS });
    lab = profilePointingAt(replica.origin);
  });
  after(() => replica.stop());
  afterEach(async () => {
    replica.faults.clear();
    // every session the probe made is deleted: Terminating at most, and then gone
    const left = await sessions(replica);
    assert.deepEqual(left.filter((s) => s.status !== 'Terminating'), [], 'no session left that was not deleted');
    await sleep(TERMINATING_MS + 50);
    assert.deepEqual(await sessions(replica), [], 'and gone after the Terminating dwell');
  });

  it('submits, sees it listed, Running and Completed, deletes it; the phases in order, to job perfpulse_skaha_headless {env}', async () => {
    const r = await runCli(['probe', 'headless', '--env', lab, '--poll', '0.05', '--pushgateway', gw.url], creds);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /pushed to http:\/\/127\.0\.0\.1:\d+\/metrics\/job\/perfpulse_skaha_headless\/env\/lab/);
    assert.match(r.stderr, /headless: perfpulse-hl: ok completed: submit [\d.]+ s, visible [\d.]+ s, running [\d.]+ s, completed [\d.]+ s, whole [\d.]+ s/);
    const fams = await gatewayFamilies(gw.url);
    const phase = (p: string) => value(fams, M.headlessJobDuration.name, { env: 'lab', phase: p });
    const [submit, visible, running, completed, whole] = ['submit', 'visible', 'running', 'completed', 'whole'].map(phase) as number[];
    assert.ok(submit !== undefined && visible !== undefined && running !== undefined && completed !== undefined && whole !== undefined, 'every phase');
    assert.ok(submit > 0 && submit <= visible && visible <= running && running <= completed && completed <= whole, `${submit} ≤ ${visible} ≤ ${running} ≤ ${completed} ≤ ${whole}`);
    // the replica keeps it Pending for PENDING_MS after it was created, after the POST left
    assert.ok(running >= PENDING_MS / 1000, `running ${running} s after the submission, not before the Pending dwell`);
    assert.ok(completed >= (PENDING_MS + RUN_MS) / 1000, `completed ${completed} s, not before Pending + Running`);
    assert.equal(value(fams, M.headlessJobsExpected.name, { env: 'lab' }), 1);
    assert.equal(value(fams, M.headlessJobs.name, { env: 'lab', result: 'completed' }), 1);
    assert.equal(value(fams, M.headlessJobs.name, { env: 'lab', result: 'timeout' }), 0);
    assert.ok(samplesOf(fams, M.headlessJobDuration.name).every((s) => s.labels.job === HEADLESS_JOBS_JOB));
  });

  it('a job stuck Pending fails at the deadline with class timeout, its events and logs in one line, counted; the session is deleted', async () => {
    replica.faults.set('POST /skaha/v1/session', { stuck: true });
    const r = await runCli(['probe', 'headless', '--env', lab, '--poll', '0.05', '--deadline', '1.5', '--dry-run'], creds);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^headless: perfpulse-hl: FAILED \(timeout\) not completed within the deadline of 1\.500 s: still Pending; events 404, logs empty$/m);
    assert.match(r.stderr, /failed \(timeout\)/, 'the table says so too');
    const fams = parseExposition(r.stdout);
    assertNamingGuide(r.stdout);
    assert.equal(value(fams, M.headlessJobsExpected.name, { env: 'lab' }), 1);
    assert.equal(value(fams, M.headlessJobs.name, { env: 'lab', result: 'completed' }), 0);
    assert.equal(value(fams, M.headlessJobs.name, { env: 'lab', result: 'timeout' }), 1);
    assert.ok((value(fams, M.headlessJobDuration.name, { env: 'lab', phase: 'visible' }) ?? -1) >= 0, 'it was listed');
    for (const p of ['running', 'completed', 'whole']) assert.equal(value(fams, M.headlessJobDuration.name, { env: 'lab', phase: p }), undefined, `${p} never reached: absent`);
  });

  it('a refused submission fails with its class and leaves nothing: 503 → http_5xx', async () => {
    replica.faults.set('POST /skaha/v1/session', { status: 503 });
    const r = await runCli(['probe', 'headless', '--env', lab, '--poll', '0.05', '--dry-run'], creds);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^headless: perfpulse-hl: FAILED \(http_5xx\) submit: POST \/skaha\/v1\/session answered 503: Injected fault: 503$/m);
    const fams = parseExposition(r.stdout);
    assert.equal(value(fams, M.headlessJobs.name, { env: 'lab', result: 'http_5xx' }), 1);
    assert.equal(value(fams, M.headlessJobs.name, { env: 'lab', result: 'completed' }), 0);
  });

  it('deletes a session of its name that an earlier run left, first', async () => {
    const token = await tokenFor(replica);
    const q = new URLSearchParams({ name: 'perfpulse-hl', image: 'images.canfar.net/skaha/stress-ng:latest', type: 'headless', cmd: 'sleep', args: '600' });
    replica.faults.set('POST /skaha/v1/session', { stuck: true });
    const made = await fetch(`${replica.origin}/skaha/v1/session?${q}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    assert.equal(made.status, 200);
    replica.faults.clear();
    const r = await runCli(['probe', 'headless', '--env', lab, '--poll', '0.05', '--dry-run'], creds);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /headless: deleted 1 session\(s\) named perfpulse-hl left by an earlier run/);
  });
});

describe('the replica: headless sessions (skaha, cadc-reference §5.2)', () => {
  it('go Pending → Running → Completed, keep cmd and args for their logs, and do not count against the interactive quota', async () => {
    const replica = await startReplica({ sessionPendingMs: 500, headlessRunMs: 500, sessionTerminatingMs: 50 });
    try {
      const auth = { authorization: `Bearer ${await tokenFor(replica)}` };
      const post = (q: Record<string, string>) => fetch(`${replica.origin}/skaha/v1/session?${new URLSearchParams(q)}`, { method: 'POST', headers: auth });
      const t0 = performance.now();
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await post({ name: `hl${i}`, image: 'images.canfar.net/skaha/stress-ng:latest', type: 'headless', cmd: 'stress-ng', args: '--cpu 1' });
        assert.equal(res.status, 200, 'headless sessions are not limited by the interactive quota of 3');
        ids.push((await res.text()).trim());
      }
      const status = async (id: string) => ((await (await fetch(`${replica.origin}/skaha/v1/session/${id}`, { headers: auth })).json()) as { status: string }).status;
      const id = ids[0] as string;
      // the statuses it goes through, and when each is first seen (after the POST left at t0)
      const seen: Array<[string, number]> = [];
      while (seen.at(-1)?.[0] !== 'Completed') {
        const st = await status(id);
        if (seen.at(-1)?.[0] !== st) seen.push([st, performance.now() - t0]);
        await sleep(20);
      }
      assert.deepEqual(seen.map(([st]) => st), ['Pending', 'Running', 'Completed']);
      assert.ok((seen[1]?.[1] ?? 0) >= 500, 'Running only after the Pending dwell');
      assert.ok((seen[2]?.[1] ?? 0) >= 1000, 'Completed only after Pending + Running');
      const logs = await (await fetch(`${replica.origin}/skaha/v1/session/${id}?view=logs`, { headers: auth })).text();
      assert.match(logs, /stress-ng --cpu 1/);
      for (const x of ids) assert.equal((await fetch(`${replica.origin}/skaha/v1/session/${x}`, { method: 'DELETE', headers: auth })).status, 200);
      await sleep(80);
      assert.deepEqual(await sessions(replica), []);
    } finally {
      await replica.stop();
    }
  });
});

describe('probe headless: options', () => {
  it('bad flags and profile keys are refused with one line, exit 2', async () => {
    for (const [args, want] of [
      [['--name', 'far-too-long-a-name'], /--name must be 1-15 letters, digits or -/],
      [['--deadline', 'soon'], /--deadline must be a number of seconds from 1 to 86400/],
      [['--poll', '0'], /--poll must be a number of seconds from 0.05 to 600/],
    ] as const) {
      const r = await runCli(['probe', 'headless', '--env', 'local', '--dry-run', ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, want);
      assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
    }
    const base = 'name: x\nurls:\n  www: https://a\n  canfar: https://a\n  ws_cadc: https://a\n  ws: https://a\n  ws_uv: https://a\n';
    assert.throws(() => probeOptions(parseProfile(`${base}probes:\n  headless:\n    deadline: 60\n    cores: 2\n`, 't')), /^UserError: env profile t: probes\.headless has unknown key\(s\) cores \(use image, cmd, args, name, deadline, poll, timeout\)$/);
    const p = probeOptions(parseProfile(`${base}probes:\n  headless:\n    image: images.canfar.net/skaha/astroml:latest\n    args: -c 'sleep 5'\n    deadline: 600\n`, 't'));
    assert.deepEqual(p.headless, { ...headlessDefaults(), image: 'images.canfar.net/skaha/astroml:latest', args: "-c 'sleep 5'", deadlineMs: 600_000 });
  });

  it('the local profile enables it; the shipped prod and staging profiles do not (it starts jobs)', () => {
    assert.deepEqual(probeOptions(loadProfile('local')).headless, headlessDefaults());
    for (const env of ['prod', 'staging']) assert.equal(probeOptions(loadProfile(env)).headless, undefined, env);
  });

  it('--help documents every option and the phases', async () => {
    const r = await runCli(['probe', 'headless', '--help']);
    assert.equal(r.code, 0, r.stderr);
    for (const flag of ['--image', '--cmd', '--args', '--name', '--deadline', '--poll', '--timeout', '--replica-fault']) assert.ok(r.stdout.includes(flag), flag);
    for (const word of ['submit', 'visible', 'running', 'completed', 'whole']) assert.ok(r.stdout.includes(word), word);
  });
});
