/**
 * The science_portal journey, run by the real CLI in Debian's Chromium on a replica the test
 * starts, for the two real-page behaviours issue 13 found: a session card is found by the name it
 * shows among other cards (no `.session-card`), and an image the portal does not offer fails the
 * launch at once with one line naming what it offers (not a 20 s click timeout).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { METRICS } from '../src/metrics/catalog.ts';
import { parseExposition, samplesOf } from '../src/metrics/parse.ts';
import { startReplica, type Replica, type ReplicaOptions } from '../src/replica/server.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { profilePointingAt, runCli } from './support/helpers.ts';

const demo = { PERFPULSE_USERNAME: DEMO_USER.username, PERFPULSE_PASSWORD: DEMO_USER.password };
const STEPS = ['open_portal', 'log_in', 'list_sessions', 'launch_session', 'wait_running', 'delete_session'];

describe('science_portal on the replica (real CLI and Chromium, --launch-sessions)', () => {
  const replicas: Replica[] = [];
  let token = '';
  const replica = async (opts: ReplicaOptions = {}) => {
    const r = await startReplica(opts);
    replicas.push(r);
    const login = await fetch(`${r.origin}/ac/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: DEMO_USER.username, password: DEMO_USER.password }).toString(),
    });
    token = (await login.text()).trim();
    return r;
  };
  const skaha = (r: Replica, path: string, init: RequestInit = {}) =>
    fetch(`${r.origin}/skaha/v1${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) } });
  const sessions = async (r: Replica) => (await (await skaha(r, '/session')).json()) as Array<{ id: string; name: string; status: string }>;
  const run = (r: Replica, name: string) => runCli(['--env', profilePointingAt(r.origin, name), '--journeys', 'science_portal', '--launch-sessions', '--only', 'journeys', '--dry-run'], demo, 240_000);

  after(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
  });

  it('finds its own card by the name it shows among other sessions, and deletes only that one', async () => {
    const r = await replica({ sessionPendingMs: 1000, sessionTerminatingMs: 1000 });
    for (const name of ['notebook1', 'other2']) {
      const made = await skaha(r, '/session', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ name, image: 'images.canfar.net/skaha/astroml:latest', type: 'notebook' }).toString(),
      });
      assert.equal(made.status, 200);
    }
    const res = await run(r, 'cards');
    assert.equal(res.code, 0, res.stderr);
    const fams = parseExposition(res.stdout);
    const failed = samplesOf(fams, METRICS.stepFailed.name).filter((s) => s.labels.journey === 'science_portal');
    assert.deepEqual(failed.map((s) => [s.labels.step, s.value]).sort(), STEPS.map((s) => [s, 0]).sort());
    const left = await sessions(r);
    assert.deepEqual(left.map((s) => [s.name, s.status]).sort(), [['notebook1', 'Running'], ['other2', 'Running']], 'the other sessions are untouched, the journey\'s own is gone');
  });

  it('an image that is not offered fails launch_session at once, in one line naming the images that are', async () => {
    const r = await replica({
      images: [
        { id: 'images.canfar.net/skaha/astroml:24.07', types: ['notebook'] },
        { id: 'images.canfar.net/skaha/astroml:23.11', types: ['notebook'] },
        { id: 'images.canfar.net/skaha/desktop:latest', types: ['desktop'] },
      ],
    });
    const res = await run(r, 'noimage');
    assert.equal(res.code, 1, res.stderr);
    const lines = res.stderr.split('\n').filter((l) => l.includes('is not offered'));
    assert.ok(lines.length > 0, res.stderr);
    for (const line of lines) {
      assert.match(line, /image "astroml:latest" is not offered in project skaha for session type notebook \(journeys\.science_portal\.image: skaha\/astroml:latest\); offered: astroml:24\.07, astroml:23\.11/);
    }
    assert.doesNotMatch(res.stderr, /Timeout \d+ms exceeded/, 'not a click that waited for an option that never came');
    const fams = parseExposition(res.stdout);
    const failed = (step: string) => samplesOf(fams, METRICS.stepFailed.name).find((s) => s.labels.journey === 'science_portal' && s.labels.step === step)?.value;
    assert.equal(failed('launch_session'), 1);
    assert.equal(failed('list_sessions'), 0);
    assert.deepEqual(await sessions(r), [], 'nothing was launched');
  });
});
