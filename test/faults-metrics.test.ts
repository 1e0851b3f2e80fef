/**
 * The fault matrix, metrics rows (docs/faults.md): what a run does when its measurements cannot
 * simply be pushed. Each row runs the real CLI (the login journey in Debian's Chromium on the
 * bundled replica) with the fault injected in the network peer it pushes to or in its spool
 * directory, and asserts the exit code, the one line that says it on stderr (no stack trace), and
 * where each of the run's pushes went: the real prometheus-pushgateway, the spool (byte for byte
 * what was sent), or lost, which is said and counted (perfpulse_push_lost_total) and nothing else.
 *
 * The peer is a node:http server on 127.0.0.1 (test/support/fake-gateway.ts): it answers as a sick
 * gateway would, or relays to the real one. "Killed mid-run" kills the real gateway process.
 * "Disk full" is a real tmpfs filled up (ENOSPC); mounting one needs root (CAP_SYS_ADMIN), and
 * without it that row is skipped, saying why.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { METRICS, PUSH_JOB, USERSIM_JOB, USERSIM_LAST_SUCCESS_JOB } from '../src/metrics/catalog.ts';
import { parseExposition, samplesOf } from '../src/metrics/parse.ts';
import { freePort } from '../src/net.ts';
import { startLocalPushgateway, type LocalGateway } from '../src/push/local-gateway.ts';
import { Spool } from '../src/push/spool.ts';
import { faultTable } from '../src/replica/faults.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { fakeGateway, relay, type FakeServer, type Handler } from './support/fake-gateway.ts';
import { suiteGateway } from './support/gateway.ts';
import { gatewayFamilies, onStderr, profilePointingAt, runCli, tmpDir, type CliResult } from './support/helpers.ts';
import { suiteReplica } from './support/replica.ts';

const creds = { PERFPULSE_USERNAME: DEMO_USER.username, PERFPULSE_PASSWORD: DEMO_USER.password };
const LOGIN_STEPS = ['open_login_page', 'see_user_menu', 'submit_credentials', 'token_login'];
const STACK = /^\s+at .+:\d+:\d+\)?$/m;

/** Where one push of the run must end up. */
type Where = 'gateway' | 'spool' | 'lost';

interface Row {
  name: string;
  /** The run's env (its own, so the rows never read each other's groups). */
  env: string;
  /** How the fault is injected: what the gateway URL the run pushes to is. */
  peer: 'down' | 'killed' | Handler;
  /** The spool directory: an ordinary one, one under a regular file (unwritable, even for root), or on a full disk. */
  spool: 'ok' | 'under-a-file' | 'full-disk';
  code: number;
  /** The one line on stderr that says what happened. */
  line: RegExp;
  /** The line on stdout for the journey's delivery. */
  delivery: RegExp;
  /** Where the login journey's run group and its last-success group went. */
  run: Where;
  lastSuccess: Where;
}

/** 503 for the journey's run group, the rest relayed to the real gateway: one push fails, the health group still gets through. */
const failRunGroup = (gw: () => string): Handler => (req, res) =>
  req.url.startsWith(`/metrics/job/${USERSIM_JOB}/`) ? res.writeHead(503).end('unavailable\n') : relay(gw(), req, res);

describe('fault matrix: metrics delivery (real CLI, Chromium, replica, prometheus-pushgateway)', () => {
  const gw = suiteGateway();
  const replica = suiteReplica();
  // for "killed mid-run": the login POST is held, so the gateway dies while the journey runs
  const held = suiteReplica({ faults: faultTable(['POST /access/login=delay:3000']) });
  const trickles: NodeJS.Timeout[] = [];
  after(() => trickles.forEach(clearInterval));

  const rows: Row[] = [
    {
      name: 'gateway down',
      env: 'mdown',
      peer: 'down',
      spool: 'ok',
      code: 3,
      line: /^push perfpulse_usersim\{env="mdown",journey="login"\}: not delivered \(.*ECONNREFUSED.*\); spooled to \S+$/m,
      delivery: /^NOT DELIVERED login to http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED.*; spooled for `perfpulse-journeys push --replay`$/m,
      run: 'spool',
      lastSuccess: 'spool',
    },
    {
      name: 'gateway slow (answers after 1.5 s, within the attempt deadline)',
      env: 'mslow',
      peer: (req, res) => void setTimeout(() => relay(gw.url, req, res), 1500),
      spool: 'ok',
      code: 0,
      line: /^✓ login passed/m,
      delivery: /^pushed login to http:\/\/127\.0\.0\.1:\d+\/metrics\/job\/perfpulse_usersim\/env\/mslow\/journey\/login$/m,
      run: 'gateway',
      lastSuccess: 'gateway',
    },
    {
      name: 'gateway 5xx',
      env: 'm5xx',
      peer: (_req, res) => res.writeHead(503).end('unavailable\n'),
      spool: 'ok',
      code: 3,
      line: /^push perfpulse_usersim\{env="m5xx",journey="login"\}: not delivered \(.*503.*\); spooled to \S+$/m,
      delivery: /^NOT DELIVERED login to \S+: .*503.*; spooled for/m,
      run: 'spool',
      lastSuccess: 'spool',
    },
    {
      name: 'gateway 400 (rejects the text; never retried)',
      env: 'm400',
      peer: (_req, res) => res.writeHead(400).end('text format parsing error in line 1\n'),
      spool: 'ok',
      code: 3,
      line: /^push perfpulse_usersim\{env="m400",journey="login"\}: not delivered \(.*400.*\); spooled to \S+$/m,
      delivery: /^NOT DELIVERED login to \S+: .*400.*; spooled for/m,
      run: 'spool',
      lastSuccess: 'spool',
    },
    {
      name: 'gateway trickling (headers, then a byte a second: past every attempt deadline)',
      env: 'mtrickle',
      peer: (_req, res) => {
        res.writeHead(200, { 'content-length': '1000' });
        trickles.push(setInterval(() => res.write('x'), 1000));
      },
      spool: 'ok',
      code: 3,
      line: /^push perfpulse_usersim\{env="mtrickle",journey="login"\}: not delivered \(.+\); spooled to \S+$/m,
      delivery: /^NOT DELIVERED login to \S+: .+; spooled for/m,
      run: 'spool',
      lastSuccess: 'spool',
    },
    {
      name: 'gateway killed mid-run (SIGKILL while the journey runs)',
      env: 'mkilled',
      peer: 'killed',
      spool: 'ok',
      code: 3,
      line: /^push perfpulse_usersim\{env="mkilled",journey="login"\}: not delivered \(.*ECONNREFUSED.*\); spooled to \S+$/m,
      delivery: /^NOT DELIVERED login to \S+: .*ECONNREFUSED.*; spooled for/m,
      run: 'spool',
      lastSuccess: 'spool',
    },
    {
      name: 'spool directory unwritable (its path runs through a regular file: ENOTDIR, even for root)',
      env: 'munwritable',
      peer: failRunGroup(() => gw.url),
      spool: 'under-a-file',
      code: 3,
      line: /^push perfpulse_usersim\{env="munwritable",journey="login"\}: not delivered \(.*503.*\) and NOT spooled: cannot create the spool directory \S+: ENOTDIR; LOST, counted in perfpulse_push_lost_total$/m,
      delivery: /^NOT DELIVERED login to \S+: .*503.*; LOST, not spooled: cannot create the spool directory \S+: ENOTDIR$/m,
      run: 'lost',
      lastSuccess: 'gateway',
    },
    {
      name: 'spool on a full disk (a tmpfs filled up: ENOSPC)',
      env: 'mfull',
      peer: failRunGroup(() => gw.url),
      spool: 'full-disk',
      code: 3,
      line: /^push perfpulse_usersim\{env="mfull",journey="login"\}: not delivered \(.*503.*\) and NOT spooled: cannot write to the spool directory \S+: ENOSPC; LOST, counted in perfpulse_push_lost_total$/m,
      delivery: /^NOT DELIVERED login to \S+: .*503.*; LOST, not spooled: cannot write to the spool directory \S+: ENOSPC$/m,
      run: 'lost',
      lastSuccess: 'gateway',
    },
  ];

  for (const row of rows) {
    const env = row.env;
    it(`${row.name}: exit ${row.code}, one line, every push ${[...new Set([row.run, row.lastSuccess])].join(' or ')}`, async (t) => {
      // the spool
      let spoolDir = join(tmpDir('perfpulse-fault-spool-'), 'spool');
      let unmount: (() => void) | undefined;
      if (row.spool === 'under-a-file') {
        const file = join(tmpDir(), 'a-file');
        writeFileSync(file, 'not a directory\n');
        spoolDir = join(file, 'spool');
      }
      if (row.spool === 'full-disk') {
        const mnt = tmpDir('perfpulse-full-disk-');
        const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt], { encoding: 'utf8' });
        if (mount.status !== 0) return t.skip(`cannot mount a tmpfs to fill (needs root/CAP_SYS_ADMIN): ${mount.stderr.trim()}`);
        unmount = () => {
          spawnSync('umount', [mnt]);
          rmdirSync(mnt);
        };
        spoolDir = join(mnt, 'spool');
        mkdirSync(spoolDir);
        // fill it: write until the kernel says ENOSPC
        assert.throws(() => writeFileSync(join(mnt, 'filler'), Buffer.alloc(128 * 1024)), /ENOSPC/);
      }
      // the peer the run pushes to
      let peer: FakeServer | undefined;
      let own: LocalGateway | undefined;
      let url: string;
      if (row.peer === 'down') url = `http://127.0.0.1:${await freePort()}`;
      else if (row.peer === 'killed') url = (own = await startLocalPushgateway()).url;
      else url = (peer = await fakeGateway(row.peer)).url;
      let r: CliResult;
      let killed = false;
      try {
        const origin = row.peer === 'killed' ? held.origin : replica.origin;
        const kill = own ? onStderr(/✓ login › open_login_page/, () => (killed = own?.process.kill('SIGKILL') ?? false)) : undefined;
        r = await runCli(['--env', profilePointingAt(origin, env), '--journeys', 'login', '--pushgateway', url, '--spool-dir', spoolDir], creds, 180_000, kill);
      } finally {
        await peer?.stop();
        await own?.stop();
      }
      try {
        if (row.peer === 'killed') assert.ok(killed, `the gateway was killed while the journey ran:\n${r.stderr}`);
        assert.equal(r.code, row.code, r.stderr);
        assert.match(r.stderr, row.line);
        assert.match(r.stdout, row.delivery);
        assert.doesNotMatch(`${r.stdout}${r.stderr}`, STACK, 'no stack trace');
        assert.match(r.stderr, /✓ login passed/, 'the journey itself passed: only its delivery met the fault');

        // where every push went
        const fams = await gatewayFamilies(gw.url);
        const inGateway = (job: string) => samplesOf(fams, METRICS.journeySuccess.name).concat(samplesOf(fams, METRICS.journeyLastSuccess.name))
          .some((s) => s.labels.env === env && s.labels.job === job);
        const spooled = row.spool === 'under-a-file' ? [] : new Spool(spoolDir).list().map((s) => s.entry);
        const sent = peer?.seen.filter((s) => s.method === 'PUT') ?? [];
        for (const [job, where] of [[USERSIM_JOB, row.run], [USERSIM_LAST_SUCCESS_JOB, row.lastSuccess]] as const) {
          const mine = spooled.filter((e) => e.job === job && e.grouping.env === env && e.grouping.journey === 'login');
          assert.equal(inGateway(job), where === 'gateway', `${job}: in the gateway iff expected there (${where})`);
          assert.equal(mine.length, where === 'spool' ? 1 : 0, `${job}: spooled once iff expected in the spool (${where})`);
          const entry = mine[0];
          if (!entry) continue;
          if (job === USERSIM_JOB) {
            const steps = samplesOf(parseExposition(entry.body), METRICS.stepDuration.name).map((s) => s.labels.step);
            assert.deepEqual(steps.sort(), LOGIN_STEPS, 'the spooled run group holds every step of the run');
          }
          const asSent = sent.filter((s) => s.url === `/metrics/job/${job}/env/${env}/journey/login`).map((s) => s.body);
          // what the peer got (every attempt; none for a push not tried once the gateway stopped answering) is what was spooled
          if (peer) assert.ok(asSent.every((b) => b === entry.body) && (job !== USERSIM_JOB || asSent.length > 0), `${job}: spooled byte for byte as it was sent`);
        }
        if (row.run === 'gateway') {
          const steps = samplesOf(fams, METRICS.stepDuration.name).filter((s) => s.labels.env === env).map((s) => s.labels.step);
          assert.deepEqual(steps.sort(), LOGIN_STEPS, 'the gateway holds every step of the run');
        }
        // a loss is counted: the run that lost it pushes perfpulse_push_lost_total with its delivery health
        const lost = [row.run, row.lastSuccess].filter((w) => w === 'lost').length;
        const lostSamples = samplesOf(fams, METRICS.pushLost.name).filter((s) => s.labels.env === env && s.labels.job === PUSH_JOB).map((s) => s.value);
        if (lost) assert.deepEqual(lostSamples, [lost], 'the loss is counted');
        if (row.spool === 'full-disk') assert.deepEqual(readdirSync(spoolDir), [], 'no partial or temporary file left on the full disk');
      } finally {
        unmount?.();
      }
    });
  }
});
