/**
 * Delivery end to end: the real CLI, real Chromium, the replica and real prometheus-pushgateway
 * processes that are stopped, killed and restarted (persistence off, so a restarted gateway is
 * empty, as after a crash without a persistence file).
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { journeyBodies } from '../src/metrics/bodies.ts';
import { METRICS, USERSIM_JOB } from '../src/metrics/catalog.ts';
import { samplesOf, type Family } from '../src/metrics/parse.ts';
import { startLocalPushgateway, type LocalGateway } from '../src/push/local-gateway.ts';
import { pushGroup } from '../src/push/pushgateway.ts';
import { Spool } from '../src/push/spool.ts';
import { faultTable } from '../src/replica/faults.ts';
import { startReplica, type Replica } from '../src/replica/server.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { freePort } from '../src/net.ts';
import { measuredRun } from '../src/results/run.ts';
import { gatewayFamilies, onStderr, profilePointingAt, runCli, tmpDir } from './support/helpers.ts';
import { withGateway } from './support/gateway.ts';

const creds = { PERFPULSE_USERNAME: DEMO_USER.username, PERFPULSE_PASSWORD: DEMO_USER.password };
const spooledFiles = (dir: string) => {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'state.json');
  } catch {
    return [];
  }
};
const valuesOf = (fams: Family[], name: string, env: string) =>
  samplesOf(fams, name).filter((s) => s.labels.env === env).map((s) => s.value);

describe('delivery when the Pushgateway is down (real CLI, Chromium, gateways)', () => {
  let replica: Replica;
  let slow: Replica;
  before(async () => {
    replica = await startReplica();
    slow = await startReplica({ faults: faultTable(['POST /access/login=delay:4000']) });
  });
  after(async () => {
    await replica.stop();
    await slow.stop();
  });

  it('gateway stopped before a run: spooled, exit 3; `push --replay` delivers that run once the gateway is back, spool empty', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const spoolDir = tmpDir('perfpulse-spool-');
    const r = await runCli(['--env', profilePointingAt(replica.origin, 'downrun'), '--journeys', 'login', '--pushgateway', url, '--spool-dir', spoolDir], creds);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, /NOT DELIVERED login to http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED.*; spooled for `perfpulse-journeys push --replay`/);
    const spool = new Spool(spoolDir);
    const entries = spool.list();
    assert.deepEqual(entries.map((e) => e.entry.job).sort(), [USERSIM_JOB, `${USERSIM_JOB}_last_success`]);
    const runTs = entries[0]?.entry.runTimestampMs as number;
    assert.ok(Math.abs(runTs - Date.now()) < 600_000, 'the spooled run is this run');

    await withGateway(async (gw) => {
      const replay = await runCli(['push', '--replay', '--pushgateway', url, '--spool-dir', spoolDir]);
      assert.equal(replay.code, 0, replay.stderr);
      assert.match(replay.stdout, /2 delivered, 0 not sent .* 0 still spooled/);
      const fams = await gatewayFamilies(gw.url);
      assert.deepEqual(valuesOf(fams, METRICS.journeyRunTimestamp.name, 'downrun'), [runTs / 1000], 'the gateway holds that run');
      assert.deepEqual(valuesOf(fams, METRICS.journeyLastSuccess.name, 'downrun'), [runTs / 1000]);
      assert.equal(valuesOf(fams, METRICS.stepDuration.name, 'downrun').length, 4, 'every step of the run (login has 4)');
      assert.deepEqual(spooledFiles(spoolDir), [], 'the spool is empty after');
      assert.deepEqual(valuesOf(fams, METRICS.pushSpoolEntries.name, 'downrun'), [0]);
      assert.deepEqual(valuesOf(fams, METRICS.pushFailures.name, 'downrun'), [2], 'both pushes of the failed delivery counted');
    }, { port });
  });

  it('gateway killed in the middle of a run of several journeys, then down for another env: after a restart and replay every journey is there once, and an older spooled run never overwrites a newer one', async () => {
    const port = await freePort();
    const spoolDir = tmpDir('perfpulse-spool-');
    let gw = await startLocalPushgateway({ port });
    const args = (env: string, origin: string, journeys: string) =>
      ['--env', profilePointingAt(origin, env), '--journeys', journeys, '--pushgateway', gw.url, '--spool-dir', spoolDir];
    const of = (fams: Family[], name: string, env: string, journey: string) =>
      samplesOf(fams, name).filter((s) => s.labels.env === env && s.labels.journey === journey);
    try {
      // run A (env alpha, login) is delivered normally
      assert.equal((await runCli(args('alpha', replica.origin, 'login'), creds)).code, 0);
      const aTs = valuesOf(await gatewayFamilies(gw.url), METRICS.journeyRunTimestamp.name, 'alpha')[0] as number;

      // run B (env alpha, login then search): the gateway is killed (SIGKILL) while login's POST is held up
      let killed = false;
      const b = await runCli(args('alpha', slow.origin, 'login,search'), creds, 180_000, onStderr(/✓ login › open_login_page/, () => {
        killed = true;
        gw.process.kill('SIGKILL');
      }));
      assert.ok(killed, b.stderr);
      assert.equal(b.code, 3, b.stderr);
      assert.match(b.stderr, /✓ search passed/, 'the run went on with its second journey after the gateway died');
      // run C (env beta, login) while the gateway is still down: its start-up replay keeps B, C is spooled too
      const c = await runCli(args('beta', replica.origin, 'login'), creds);
      assert.equal(c.code, 3, c.stderr);
      assert.match(c.stderr, /spool: 4 kept: cannot read what the gateway holds \(ECONNREFUSED\)/);
      const spooled = new Spool(spoolDir).list();
      assert.equal(spooled.length, 6, 'B: a run group and a last-success group for login and for search; C: both for login');
      const spooledRun = (env: string, journey: string) =>
        spooled.find((s) => s.entry.job === USERSIM_JOB && s.entry.grouping.env === env && s.entry.grouping.journey === journey)?.entry
          .runTimestampMs as number;
      const bLogin = spooledRun('alpha', 'login');
      const bSearch = spooledRun('alpha', 'search');
      const cTs = spooledRun('beta', 'login');
      assert.ok(bLogin > aTs * 1000);
      assert.ok(bSearch > bLogin, 'search ran after login in run B');

      // the gateway comes back empty; meanwhile another machine pushed a NEWER beta run
      gw = await startLocalPushgateway({ port });
      const newer = (await journeyBodies(measuredRun({ env: 'beta', startedAtMs: cTs + 60_000, finishedAtMs: cTs + 61_000, status: 'failed',
        journeys: [{ journey: 'login', status: 'failed', startedAtMs: cTs + 60_000, steps: [{ name: 'open_login_page', durationMs: 5, startedAtMs: cTs + 60_000, ok: false }] }] })))[0]?.items[0];
      assert.ok(newer);
      assert.equal((await pushGroup({ gateway: gw.url, job: newer.job, grouping: newer.grouping, body: newer.body })).ok, true);

      const replay = await runCli(['push', '--replay', '--pushgateway', gw.url, '--spool-dir', spoolDir]);
      assert.equal(replay.code, 0, replay.stderr);
      assert.match(replay.stdout, /5 delivered, 1 not sent \(the gateway held that run or a newer one\), 0 dropped .* 0 still spooled/);
      assert.match(replay.stderr, /perfpulse_usersim\{env="beta",journey="login"\} of run .* not sent: the gateway already holds a newer one/);
      const fams = await gatewayFamilies(gw.url);
      const expectedSteps: Record<string, string[]> = {
        login: ['open_login_page', 'see_user_menu', 'submit_credentials', 'token_login'],
        search: ['fill_form', 'open_search_page', 'submit_search'],
      };
      for (const [journey, ts] of [['login', bLogin], ['search', bSearch]] as const) {
        const runTs = of(fams, METRICS.journeyRunTimestamp.name, 'alpha', journey).map((x) => x.value);
        assert.deepEqual(runTs, [ts / 1000], `alpha ${journey}: run B, measured while the gateway died, is there`);
        assert.deepEqual(of(fams, METRICS.journeyLastSuccess.name, 'alpha', journey).map((x) => x.value), [ts / 1000]);
        const steps = of(fams, METRICS.stepDuration.name, 'alpha', journey).map((x) => x.labels.step as string);
        assert.deepEqual(steps.sort(), expectedSteps[journey], `alpha ${journey}: each step once`);
      }
      assert.deepEqual(valuesOf(fams, METRICS.journeyRunTimestamp.name, 'beta'), [(cTs + 60_000) / 1000], 'beta: the older spooled run did not overwrite the newer');
      assert.deepEqual(valuesOf(fams, METRICS.journeySuccess.name, 'beta'), [0]);
      assert.deepEqual(valuesOf(fams, METRICS.journeyLastSuccess.name, 'beta'), [cTs / 1000], 'beta: its last success (run C) is kept');
      assert.deepEqual(spooledFiles(spoolDir), []);

      // replaying again sends nothing: nothing duplicated
      const again = await runCli(['push', '--replay', '--pushgateway', gw.url, '--spool-dir', spoolDir]);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /0 delivered, 0 not sent/);
    } finally {
      await gw.stop();
    }
  });

  it('a gateway that stays down: `push --replay` keeps the entry, exits 3 and never prints the URL\'s user-info', async () => {
    const spoolDir = tmpDir('perfpulse-spool-');
    new Spool(spoolDir).write({ job: USERSIM_JOB, grouping: { env: 'kept', journey: 'login' }, method: 'PUT', body: 'x 1\n', runTimestampMs: Date.now() }, 'down');
    const url = `http://pusher:hunter2@127.0.0.1:${await freePort()}`;
    const r = await runCli(['push', '--replay', '--pushgateway', url, '--spool-dir', spoolDir]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, /0 delivered, .* 1 still spooled/);
    assert.equal(spooledFiles(spoolDir).length, 1);
    assert.ok(!`${r.stdout}${r.stderr}`.includes('hunter2') && !`${r.stdout}${r.stderr}`.includes('pusher'), 'user-info never printed');
  });

  it('unreadable or conflicting gateway credentials are bad input: exit 2, one line', async () => {
    const a = await runCli(['--env', 'prod', '--pushgateway', 'http://127.0.0.1:9'], { PERFPULSE_PUSHGATEWAY_TOKEN_FILE: '/nonexistent/token' });
    assert.equal(a.code, 2);
    assert.equal(a.stderr.trim(), 'perfpulse-journeys: cannot read PERFPULSE_PUSHGATEWAY_TOKEN_FILE (/nonexistent/token): no such file');
    const b = await runCli(['push', '--replay', '--pushgateway', 'http://u:p@127.0.0.1:9'], { PERFPULSE_PUSHGATEWAY_TOKEN: 't' });
    assert.equal(b.code, 2);
    assert.match(b.stderr, /^perfpulse-journeys: Pushgateway credentials given twice .*\n$/);
  });

  it('`push` without --replay, or without a gateway, is bad input', async () => {
    const a = await runCli(['push']);
    assert.equal(a.code, 2);
    assert.match(a.stderr, /nothing to do/);
    const b = await runCli(['push', '--replay']);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /no Pushgateway/);
  });
});
