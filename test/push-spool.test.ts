/**
 * The spool and its replay, against real prometheus-pushgateway processes (persistence off, free
 * ports): atomic entries, limits, oldest-first replay that never lets an older run overwrite a
 * newer one and never sends a run twice.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { healthBody, journeyBodies, type PushItem } from '../src/metrics/bodies.ts';
import { METRICS, PUSH_JOB, USERSIM_JOB, USERSIM_LAST_SUCCESS_JOB } from '../src/metrics/catalog.ts';
import { parseExposition, samplesOf } from '../src/metrics/parse.ts';
import { deliverHealth, deliverItems, deliverRun } from '../src/push/deliver.ts';
import { gatewayGroups, replaySpool } from '../src/push/replay.ts';
import { Spool, defaultSpoolDir } from '../src/push/spool.ts';
import { freePort } from '../src/net.ts';
import type { RunResults } from '../src/results/results.ts';
import { measuredRun } from '../src/results/run.ts';
import { gatewayFamilies, tmpDir } from './support/helpers.ts';
import { suiteGateway } from './support/gateway.ts';

/** What the CLI hands to deliverRun for these results, and the same as a flat list of pushes. */
const bodiesOf = (r: RunResults) => journeyBodies(measuredRun(r));
const itemsOf = async (r: RunResults) => (await bodiesOf(r)).flatMap((j) => j.items);

const HOUR = 3_600_000;
const fast = { attempts: 2, attemptDeadlineMs: 2000, baseDelayMs: 50, maxDelayMs: 100 };

function runAt(startedAtMs: number, env = 'lab', status: 'passed' | 'failed' = 'passed'): RunResults {
  return {
    env,
    startedAtMs,
    finishedAtMs: startedAtMs + 1000,
    status,
    journeys: [
      {
        journey: 'login',
        status,
        startedAtMs,
        durationMs: 900,
        steps: [{ name: 'open_login_page', durationMs: 900, startedAtMs, ok: status === 'passed' }],
      },
    ],
  };
}

const entryFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'state.json');

function held(fams: Awaited<ReturnType<typeof gatewayFamilies>>, name: string, env: string): number[] {
  return samplesOf(fams, name).filter((s) => s.labels.env === env).map((s) => s.value);
}

describe('spool (files)', () => {
  it('writes each entry atomically (0600, no temp file left) and lists oldest run first', () => {
    const dir = join(tmpDir(), 'spool');
    const spool = new Spool(dir);
    const t0 = Date.now() - HOUR;
    const item = (t: number): PushItem => ({ job: 'j', grouping: { env: 'lab' }, method: 'PUT', body: `x ${t}\n`, runTimestampMs: t0 + t });
    spool.write(item(3000), 'down');
    spool.write(item(1000), 'down');
    spool.write(item(2000), 'down');
    assert.deepEqual(readdirSync(dir).filter((f) => !f.endsWith('.json')), [], 'no temp file left');
    assert.deepEqual(spool.list().map((s) => s.entry.runTimestampMs - t0), [1000, 2000, 3000]);
    const first = spool.list()[0];
    assert.equal(statSync(first?.file as string).mode & 0o777, 0o600);
    assert.equal(typeof first?.entry.seq, 'number');
    assert.deepEqual(
      { ...first?.entry, spooledAtMs: 0, seq: 0 },
      { version: 1, job: 'j', grouping: { env: 'lab' }, method: 'PUT', body: 'x 1000\n', runTimestampMs: t0 + 1000, spooledAtMs: 0, reason: 'down', seq: 0 },
    );
  });

  it('entries that tie on run and spool time keep the order they were written in, on every read', () => {
    const dir = join(tmpDir(), 'spool');
    const spool = new Spool(dir);
    const t = Date.now() - HOUR;
    // one run's pushes, spooled within one millisecond: only the write order tells them apart
    const groups = Array.from({ length: 24 }, (_, k) => `j${k}`);
    for (const journey of groups) spool.write({ job: USERSIM_JOB, grouping: { env: 'tie', journey }, method: 'PUT', body: 'x 1\n', runTimestampMs: t }, 'down', t + 5);
    assert.deepEqual(spool.list().map((s) => s.entry.grouping.journey), groups);
    assert.deepEqual(new Spool(dir).list().map((s) => s.entry.grouping.journey), groups, 'a second reader sees the same order');
    const seqs = spool.list().map((s) => s.entry.seq as number);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'seq only goes up');
    assert.deepEqual(entryFiles(dir).sort(), spool.list().map((s) => s.file.slice(dir.length + 1)), 'the file names sort the same way');
  });

  it('an entry from before seq (none in it) still lists, ordered by run, spool time, then file name', () => {
    const dir = join(tmpDir(), 'spool');
    const spool = new Spool(dir);
    const t = Date.now() - HOUR;
    spool.write({ job: 'j', grouping: { env: 'old', journey: 'new' }, method: 'PUT', body: 'x 1\n', runTimestampMs: t }, 'down', t + 5);
    const old = { version: 1, job: 'j', grouping: { env: 'old', journey: 'old' }, method: 'PUT', body: 'x 1\n', runTimestampMs: t, spooledAtMs: t + 5, reason: 'down' };
    writeFileSync(join(dir, `${String(t).padStart(15, '0')}-aaaaaaaaaaaa-0000.json`), JSON.stringify(old));
    assert.deepEqual(spool.list().map((s) => s.entry.grouping.journey), ['old', 'new']);
  });

  it('drops entries older than the max age and beyond the max count, saying so, and counts them', () => {
    const lines: string[] = [];
    const spool = new Spool(join(tmpDir(), 'spool'), { maxAgeMs: 24 * HOUR, maxEntries: 2 }, (l) => lines.push(l));
    const now = Date.now();
    const item = (ageH: number): PushItem => ({ job: USERSIM_JOB, grouping: { env: 'lab', journey: `j${ageH}` }, method: 'PUT', body: 'x 1\n', runTimestampMs: now - ageH * HOUR });
    spool.write(item(30), 'down', now);
    assert.equal(spool.list().length, 0, 'a run older than the max age is not kept');
    for (const h of [3, 2, 1]) spool.write(item(h), 'down', now);
    assert.deepEqual(spool.list().map((s) => s.entry.grouping.journey), ['j2', 'j1'], 'the oldest goes beyond the max count');
    assert.match(lines[0] as string, /^spool: dropped perfpulse_usersim\{env="lab",journey="j30"\} of run .*: older than 24 hours$/);
    assert.match(lines[1] as string, /^spool: dropped perfpulse_usersim\{env="lab",journey="j3"\} of run .*: more than 2 entries spooled$/);
    assert.deepEqual(spool.counters().dropped, { lab: 2 });
  });

  it('moves a file that is not a spool entry aside instead of failing', () => {
    const lines: string[] = [];
    const dir = join(tmpDir(), 'spool');
    const spool = new Spool(dir, undefined, (l) => lines.push(l));
    spool.write({ job: 'j', grouping: {}, method: 'PUT', body: 'x 1\n', runTimestampMs: Date.now() }, 'down');
    writeFileSync(join(dir, '0000-bad.json'), '{ half');
    assert.equal(spool.list().length, 1);
    assert.ok(readdirSync(dir).includes('0000-bad.json.corrupt'));
    assert.match(lines.join('\n'), /0000-bad\.json is not a spool entry/);
  });

  it('defaults to the user\'s state directory', () => {
    assert.equal(defaultSpoolDir({ XDG_STATE_HOME: '/s', HOME: '/h' }), '/s/perfpulse-journeys/spool');
    assert.equal(defaultSpoolDir({ HOME: '/h' }), '/h/.local/state/perfpulse-journeys/spool');
  });
});

describe('delivery and replay (real Pushgateways)', () => {
  const gw = suiteGateway();

  it('a passed run pushes its group and a last-success group; a failed run never erases the last success', async () => {
    const t1 = Date.UTC(2026, 0, 1, 10);
    const ok = await deliverRun(await bodiesOf(runAt(t1, 'ls')), gw.url);
    assert.deepEqual(ok.map((d) => [d.ok, d.groups.map((g) => g.item.job)]), [[true, [USERSIM_JOB, USERSIM_LAST_SUCCESS_JOB]]]);
    const failed = await deliverRun(await bodiesOf(runAt(t1 + HOUR, 'ls', 'failed')), gw.url);
    assert.deepEqual(failed.map((d) => [d.ok, d.groups.map((g) => g.item.job)]), [[true, [USERSIM_JOB]]]);
    const fams = await gatewayFamilies(gw.url);
    assert.deepEqual(held(fams, METRICS.journeySuccess.name, 'ls'), [0]);
    assert.deepEqual(held(fams, METRICS.journeyLastSuccess.name, 'ls'), [t1 / 1000], 'the last success survives a failed run');
    const last = samplesOf(fams, METRICS.journeyLastSuccess.name).find((s) => s.labels.env === 'ls');
    assert.equal(last?.labels.job, USERSIM_LAST_SUCCESS_JOB);
  });

  it('gateway down: every push is spooled with its exact body; after the first gets no answer the rest are not tried', async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const spool = new Spool(join(tmpDir(), 'spool'));
    const results = runAt(Date.now() - HOUR, 'down');
    const items = await itemsOf(results);
    const out = await deliverItems(down, items, { spool, policy: fast });
    assert.deepEqual(out.map((d) => [d.ok, d.attempts]), [[false, 2], [false, 0]]);
    assert.match(out[1]?.message ?? '', /^not tried: the gateway did not answer \(ECONNREFUSED\)/);
    const spooled = spool.list();
    assert.deepEqual(spooled.map((s) => [s.entry.job, s.entry.body, s.entry.method, s.entry.grouping, s.entry.runTimestampMs]),
      items.map((i) => [i.job, i.body, 'PUT', { env: 'down', journey: 'login' }, results.journeys[0]?.startedAtMs]));
    assert.deepEqual(spool.counters().failures, { down: 2 });
  });

  it('a spool that cannot be written: the push is reported as not delivered and not spooled, nothing thrown', async () => {
    const lines: string[] = [];
    const spool = new Spool('/dev/null/spool');
    const items = await itemsOf(runAt(Date.now() - HOUR, 'nospool'));
    const out = await deliverItems(`http://127.0.0.1:${await freePort()}`, items, { spool, policy: fast, log: (l) => lines.push(l) });
    assert.deepEqual(out.map((d) => [d.ok, d.spooledTo]), [[false, undefined], [false, undefined]]);
    assert.match(lines.join('\n'), /not delivered \(ECONNREFUSED\) and NOT spooled: cannot create the spool directory \/dev\/null\/spool: ENOTDIR/);
  });

  it('replay: oldest first, an older spooled run never overwrites a newer one, the same run is never sent twice', async () => {
    const lines: string[] = [];
    const spool = new Spool(join(tmpDir(), 'spool'), undefined, (l) => lines.push(l));
    const t = Date.now() - 3 * HOUR;
    const spoolRun = async (r: RunResults) => {
      for (const item of await itemsOf(r)) spool.write(item, 'gateway down');
    };
    await spoolRun(runAt(t + 2 * HOUR, 'a')); // a: newer spooled run, after an older one below
    await spoolRun(runAt(t, 'a'));
    await spoolRun(runAt(t, 'b')); // b: the gateway will already hold a newer run
    await spoolRun(runAt(t + HOUR, 'c')); // c: the gateway will already hold exactly this run
    await deliverRun(await bodiesOf(runAt(t + 2 * HOUR, 'b')), gw.url);
    await deliverRun(await bodiesOf(runAt(t + HOUR, 'c')), gw.url);
    const pushTimeBefore = (await gatewayGroups(gw.url, undefined, 5000)).get(JSON.stringify([USERSIM_JOB, ['env', 'c'], ['journey', 'login']]));
    assert.ok(pushTimeBefore, 'group c is there');

    const report = await replaySpool(spool, gw.url, { deadlineAt: Date.now() + 30_000, log: (l) => lines.push(l), policy: fast });
    assert.deepEqual(report, { delivered: 4, superseded: 4, dropped: 0, kept: 0, failed: 0 });
    assert.equal(spool.list().length, 0, 'the spool is empty after');
    const fams = await gatewayFamilies(gw.url);
    assert.deepEqual(held(fams, METRICS.journeyRunTimestamp.name, 'a'), [(t + 2 * HOUR) / 1000], 'a: the newest spooled run wins');
    assert.deepEqual(held(fams, METRICS.journeyRunTimestamp.name, 'b'), [(t + 2 * HOUR) / 1000], 'b: the older spooled run did not overwrite');
    assert.deepEqual(held(fams, METRICS.journeyLastSuccess.name, 'b'), [(t + 2 * HOUR) / 1000]);
    const pushTimeAfter = (await gatewayGroups(gw.url, undefined, 5000)).get(JSON.stringify([USERSIM_JOB, ['env', 'c'], ['journey', 'login']]));
    assert.deepEqual(pushTimeAfter?.push_time_seconds, pushTimeBefore.push_time_seconds, 'c: the run the gateway held was not sent again');
    assert.ok(lines.some((l) => /perfpulse_usersim\{env="b",journey="login"\} of run .* not sent: the gateway already holds a newer one/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /perfpulse_usersim\{env="c",journey="login"\} of run .* not sent: the gateway already holds that run/.test(l)), lines.join('\n'));

    const again = await replaySpool(spool, gw.url, { deadlineAt: Date.now() + 30_000, log: () => undefined });
    assert.deepEqual(again, { delivered: 0, superseded: 0, dropped: 0, kept: 0, failed: 0 });
  });

  it('replay keeps everything when the gateway cannot be read, and keeps a rejected push', async () => {
    const spool = new Spool(join(tmpDir(), 'spool'));
    spool.write({ job: 'perfpulse_test', grouping: { env: 'rej' }, method: 'PUT', body: 'not exposition text {\n', runTimestampMs: Date.now() }, 'x');
    const down = await replaySpool(spool, `http://127.0.0.1:${await freePort()}`, { deadlineAt: Date.now() + 10_000, log: () => undefined, policy: fast });
    assert.equal(down.kept, 1);
    const rejected = await replaySpool(spool, gw.url, { deadlineAt: Date.now() + 10_000, log: () => undefined, policy: fast });
    assert.deepEqual({ ...rejected }, { delivered: 0, superseded: 0, dropped: 0, kept: 1, failed: 1 });
    assert.equal(spool.list().length, 1, 'a 400 is kept, not lost');
    assert.deepEqual(spool.counters().failures, { rej: 1 });
  });

  it('pushes delivery health: spool entries as a gauge, failures and drops as counters', async () => {
    const spool = new Spool(join(tmpDir(), 'spool'));
    spool.write({ job: USERSIM_JOB, grouping: { env: 'hl', journey: 'login' }, method: 'PUT', body: 'x 1\n', runTimestampMs: Date.now() }, 'x');
    spool.count('failures', ['hl', 'hl', 'hl']);
    assert.deepEqual(await deliverHealth(gw.url, [await healthBody('hl', spool.health('hl'))]), []);
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    const fams = parseExposition(text);
    const one = (name: string) => samplesOf(fams, name).filter((s) => s.labels.env === 'hl' && s.labels.job === PUSH_JOB);
    assert.deepEqual(one(METRICS.pushSpoolEntries.name).map((s) => s.value), [1]);
    assert.deepEqual(one(METRICS.pushFailures.name).map((s) => s.value), [3]);
    assert.deepEqual(one(METRICS.pushSpoolDropped.name).map((s) => s.value), [0]);
    assert.equal(fams.find((f) => f.name === METRICS.pushFailures.name)?.type, 'counter');
    assert.ok(JSON.parse(readFileSync(join(spool.dir, 'state.json'), 'utf8')).failures.hl === 3);
    assert.deepEqual(entryFiles(spool.dir).length, 1);
  });
});
