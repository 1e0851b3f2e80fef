/**
 * The fault matrix, browser and process rows (docs/faults.md, "Browser and process"): the real CLI on
 * the bundled replica (started here, so the test sees each request arrive), real Debian Chromium and
 * a real Pushgateway. Every row asserts the exit code, the one line on stderr, and where what was
 * measured went: pushed to the gateway, spooled (and then replayed byte for byte), or nothing (the
 * run refused to start, and no request reached the replica).
 *
 * "Mid-journey" is a real event, not a sleep: the replica's POST /access/login hangs, and the test
 * acts when that request arrives (Node's http diagnostics channel, in this process), i.e. while
 * submit_credentials waits for it with open_login_page already measured.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ExitCode } from '../src/errors.ts';
import { METRICS } from '../src/metrics/catalog.ts';
import { parseExposition, samplesOf, type Family } from '../src/metrics/parse.ts';
import { freePort } from '../src/net.ts';
import { Spool } from '../src/push/spool.ts';
import { faultTable, type FaultTable } from '../src/replica/faults.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { gatewayFamilies, profilePointingAt, runCli, tmpDir, type CliResult } from './support/helpers.ts';
import { suiteGateway } from './support/gateway.ts';
import { descendants, stillRunning, type ProcId } from './support/processes.ts';
import { suiteReplica } from './support/replica.ts';
import { listenForStop } from '../src/cli/signals.ts';

const HANG_LOGIN_POST = 'POST /access/login=hang';
/** What the run's watchdog is given in its row: long enough for open_login_page to be measured first. */
const WATCHDOG_SECONDS = 15;

/** What a row does to the run while it goes on, and when. */
interface Act {
  /** Called once, when the replica sees POST /access/login (submit_credentials is waiting for its answer). */
  onLoginPost?: (cli: ChildProcess, stderr: () => string) => void;
  /** Called on every stderr chunk. */
  onStderr?: (cli: ChildProcess, stderr: string) => void;
}

interface Row {
  name: string;
  /** The fault, as docs/faults.md names it. */
  fault: string;
  journeys: string;
  faults?: string[];
  args?: (dir: string) => string[];
  act?: Act;
  /** Run under this command (node and the CLI's arguments appended). */
  wrapper?: string[];
  command?: 'run' | 'check';
  code: number;
  /** The one line on stderr that says what happened. */
  line: RegExp;
  /** pushed: the gateway holds the run; spooled: the gateway is down, the spool holds it; none: nothing started. */
  delivery: 'pushed' | 'spooled' | 'none';
  /** Per journey: 1 passed, 0 failed, in the delivered metrics. */
  success: Record<string, number>;
  /** The step series delivered per journey (only these). */
  steps?: Record<string, string[]>;
  /** The error class of each failed journey, in the delivered metrics. */
  errorClass?: Record<string, string>;
}

/** Kills the run's own Chromium processes, found by walking /proc down from the CLI: never another run's. */
function killRunsChromium(cli: ChildProcess): number {
  const browsers = descendants(cli.pid as number).filter((p) => /^chrom/i.test(p.comm));
  for (const p of browsers) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  return browsers.length;
}

/** A Chromium that says it is another major for `--version` and is otherwise Debian's own. */
function wrongMajorChromium(dir: string): string {
  const file = join(dir, 'chromium-120');
  writeFileSync(file, '#!/bin/sh\nif [ "$1" = --version ]; then echo "Chromium 120.0.6099.71 built on Debian"; exit 0; fi\nexec /usr/bin/chromium "$@"\n');
  chmodSync(file, 0o755);
  return file;
}

/** The replica's fault table is live: changed in place while the replica runs. */
function setFaults(table: FaultTable, specs: string[]): void {
  table.clear();
  for (const [k, v] of faultTable(specs)) table.set(k, v);
}

let killed = 0;
const ROWS: Row[] = [
  {
    name: 'SIGTERM mid-journey',
    fault: 'process: SIGTERM while submit_credentials waits',
    journeys: 'login',
    faults: [HANG_LOGIN_POST],
    act: { onLoginPost: (cli) => cli.kill('SIGTERM') },
    code: ExitCode.aborted,
    line: /^received SIGTERM: stopping the journeys, then delivering what was measured$/m,
    delivery: 'pushed',
    success: { login: 0 },
    steps: { login: ['open_login_page'] },
    errorClass: { login: 'interrupted' },
  },
  {
    name: 'SIGINT mid-journey, the gateway down',
    fault: 'process: SIGINT while submit_credentials waits; no gateway',
    journeys: 'login',
    faults: [HANG_LOGIN_POST],
    act: { onLoginPost: (cli) => cli.kill('SIGINT') },
    code: ExitCode.aborted,
    line: /^received SIGINT: stopping the journeys, then delivering what was measured$/m,
    delivery: 'spooled',
    success: { login: 0 },
    steps: { login: ['open_login_page'] },
    errorClass: { login: 'interrupted' },
  },
  {
    name: 'a second SIGINT',
    fault: 'process: SIGINT, then SIGINT again while stopping',
    journeys: 'login',
    faults: [HANG_LOGIN_POST],
    act: {
      onLoginPost: (cli) => cli.kill('SIGINT'),
      onStderr: (cli, err) => {
        if (/received SIGINT: stopping/.test(err) && !/received SIGINT again/.test(err) && !(cli as { again?: boolean }).again) {
          (cli as { again?: boolean }).again = true;
          cli.kill('SIGINT');
        }
      },
    },
    code: ExitCode.aborted,
    line: /^received SIGINT again: already stopping, delivering what was measured$/m,
    delivery: 'pushed',
    success: { login: 0 },
    steps: { login: ['open_login_page'] },
    errorClass: { login: 'interrupted' },
  },
  {
    name: 'the run watchdog',
    fault: `process: --max-run-seconds ${WATCHDOG_SECONDS} and a login that never answers`,
    journeys: 'login',
    faults: [HANG_LOGIN_POST],
    args: () => ['--max-run-seconds', String(WATCHDOG_SECONDS)],
    code: ExitCode.watchdog,
    line: new RegExp(`^the run watchdog ended the run after ${WATCHDOG_SECONDS} s \\(--max-run-seconds\\): stopping the journeys, then delivering what was measured$`, 'm'),
    delivery: 'pushed',
    success: { login: 0 },
    steps: { login: ['open_login_page'] },
    errorClass: { login: 'interrupted' },
  },
  {
    name: 'Chromium killed mid-journey',
    fault: 'browser: the run\'s Chromium processes SIGKILLed while submit_credentials waits',
    journeys: 'login,search',
    faults: [HANG_LOGIN_POST],
    act: { onLoginPost: (cli) => (killed = killRunsChromium(cli)) },
    code: ExitCode.journeyFailed,
    line: /^\s*login\b.*FAILED \(browser_crashed\)/m,
    delivery: 'pushed',
    success: { login: 0, search: 1 },
    errorClass: { login: 'browser_crashed' },
  },
  {
    name: 'missing Chromium',
    fault: 'browser: --browser names no file',
    journeys: 'login',
    args: (dir) => ['--browser', join(dir, 'no-chromium')],
    code: ExitCode.badInput,
    line: /^perfpulse-journeys: browser \S+no-chromium does not exist \(from --browser or PERFPULSE_BROWSER\)$/m,
    delivery: 'none',
    success: {},
  },
  {
    name: 'wrong-major Chromium: run',
    fault: 'browser: a Chromium whose --version says 120',
    journeys: 'login',
    args: (dir) => ['--browser', wrongMajorChromium(dir)],
    code: ExitCode.ok,
    line: /^warning: Chromium 120\.0\.6099\.71 differs from the \d+\.x that Playwright [\d.]+ expects; timings may shift or actions may fail$/m,
    delivery: 'pushed',
    success: { login: 1 },
  },
  {
    name: 'wrong-major Chromium: check',
    fault: 'browser: a Chromium whose --version says 120, `check`',
    command: 'check',
    journeys: '',
    args: (dir) => ['--browser', wrongMajorChromium(dir)],
    code: ExitCode.badInput,
    line: /^FAIL\s+browser\s+\S+chromium-120 is Chromium 120\.0\.6099\.71, Playwright [\d.]+ expects \d+\.x: install Chromium \d+ or pass --browser <path>$/m,
    delivery: 'none',
    success: {},
  },
  {
    name: '/dev/shm of 1 MiB',
    fault: 'browser: /dev/shm a 1 MiB tmpfs (a mount namespace of the run\'s own)',
    journeys: 'login,search',
    wrapper: ['unshare', '-m', 'sh', '-c', 'mount -t tmpfs -o size=1M tmpfs /dev/shm && [ "$(df -k --output=size /dev/shm | tail -1 | tr -d " ")" -le 1024 ] && exec "$@"', 'sh'],
    code: ExitCode.ok,
    line: /^pushed login to /m,
    delivery: 'pushed',
    success: { login: 1, search: 1 },
  },
];

describe('fault matrix: browser and process', () => {
  const replica = suiteReplica();
  const gw = suiteGateway();

  for (const [i, row] of ROWS.entries()) {
    it(`${row.name}: exit ${row.code}, one line, ${row.delivery}`, async (t) => {
      const env = `fault_proc_${i}`;
      const dir = tmpDir('perfpulse-faults-');
      const spoolDir = join(dir, 'spool');
      const gateway = row.delivery === 'spooled' ? `http://127.0.0.1:${await freePort()}` : gw.url;
      setFaults(replica.faults, row.faults ?? []);
      const seen: string[] = [];
      let loginPostAt = 0;
      let atLoginPost: ProcId[] = [];
      let cli: ChildProcess | undefined;
      let stderr = '';
      const onRequest = (msg: unknown) => {
        const req = (msg as { request: IncomingMessage }).request;
        if (req.socket.localPort !== replica.port) return;
        seen.push(`${req.method} ${req.url} ${req.headers['user-agent'] ?? ''}`);
        if (!loginPostAt && req.method === 'POST' && req.url?.startsWith('/access/login') && cli) {
          loginPostAt = Date.now();
          atLoginPost = descendants(cli.pid as number);
          row.act?.onLoginPost?.(cli, () => stderr);
        }
      };
      subscribe('http.server.request.start', onRequest);
      let r: CliResult;
      const profile = profilePointingAt(replica.origin, env);
      const args =
        row.command === 'check'
          ? ['check', '--env', profile, ...(row.args?.(dir) ?? [])]
          : ['--env', profile, '--journeys', row.journeys, '--pushgateway', gateway, '--spool-dir', spoolDir, ...(row.args?.(dir) ?? [])];
      try {
        r = await runCli(args, { PERFPULSE_USERNAME: DEMO_USER.username, PERFPULSE_PASSWORD: DEMO_USER.password }, 180_000, (c) => {
          cli = c;
          c.stderr?.on('data', (d: Buffer) => {
            stderr += d.toString();
            row.act?.onStderr?.(c, stderr);
          });
        }, row.wrapper);
      } finally {
        unsubscribe('http.server.request.start', onRequest);
        setFaults(replica.faults, []);
      }
      t.diagnostic(`exit ${r.code}; ${seen.length} requests reached the replica`);
      assert.equal(r.code, row.code, `${row.fault}:\n${r.stderr}\n${r.stdout}`);
      assert.match(`${r.stderr}\n${r.stdout}`, row.line, 'the one line that says what happened');
      assert.doesNotMatch(r.stderr, /^\s+at .+:\d+:\d+\)?$/m, 'no stack trace');
      if (row.act?.onLoginPost) assert.ok(loginPostAt > 0, 'the fault acted mid-journey, when POST /access/login arrived');
      if (row.name === 'the run watchdog') assert.ok(loginPostAt > 0, `open_login_page was measured before the watchdog's ${WATCHDOG_SECONDS} s ran out`);
      if (row.name === 'Chromium killed mid-journey') assert.ok(killed > 0, 'the run\'s Chromium was found under the CLI and killed');
      if (loginPostAt) {
        assert.ok(atLoginPost.some((p) => /^chrom/i.test(p.comm)), 'Chromium was running mid-journey');
        // the CLI has exited; its processes are gone once the kernel has reaped them (polled, bounded)
        for (let i = 0; i < 100 && stillRunning(atLoginPost).length; i++) await new Promise((res) => setTimeout(res, 50));
        assert.deepEqual(stillRunning(atLoginPost), [], 'no process of the run (Chromium, Playwright) outlives it');
      }

      if (row.delivery === 'none') {
        assert.deepEqual(seen.filter((x) => /Chrom/.test(x)), [], 'no browser started: no request from Chromium reached the replica');
        const held = (await gatewayFamilies(gw.url)).flatMap((f) => f.samples).filter((s) => s.labels.env === env);
        assert.deepEqual(held, [], 'nothing was pushed');
        return;
      }
      let fams: Family[];
      if (row.delivery === 'pushed') {
        fams = await gatewayFamilies(gw.url);
      } else {
        const spooled = new Spool(spoolDir).list();
        assert.ok(spooled.length >= 1, 'the run is in the spool');
        fams = parseExposition(spooled.map((x) => x.entry.body).join(''));
        // each spooled body's samples with its group's labels: what the gateway must hold after the replay
        const key = (name: string, labels: Record<string, string>, value: number) => JSON.stringify([name, Object.entries(labels).sort(), value]);
        const want = spooled.flatMap((x) => parseExposition(x.entry.body).flatMap((f) => f.samples.map((m) => key(m.name, { ...m.labels, job: x.entry.job, ...x.entry.grouping }, m.value)))).sort();
        const replay = await runCli(['push', '--replay', '--pushgateway', gw.url, '--spool-dir', spoolDir]);
        assert.equal(replay.code, ExitCode.ok, replay.stderr);
        const held = (await gatewayFamilies(gw.url))
          .filter((f) => !/^(push_time_seconds|push_failure_time_seconds)$/.test(f.name))
          .flatMap((f) => f.samples.filter((m) => m.labels.env === env && spooled.some((x) => x.entry.job === m.labels.job)).map((m) => key(m.name, Object.fromEntries(Object.entries(m.labels).filter(([k, v]) => !(k === 'instance' && v === ''))), m.value)))
          .sort();
        assert.deepEqual(held, want, 'replayed, the gateway holds exactly the spooled samples');
      }
      const mine = (name: string) => samplesOf(fams, name).filter((s) => s.labels.env === env);
      const success = Object.fromEntries(mine(METRICS.journeySuccess.name).map((s) => [s.labels.journey, s.value]));
      assert.deepEqual(success, row.success, 'journey_success of every journey of the run');
      for (const [journey, steps] of Object.entries(row.steps ?? {})) {
        const got = mine(METRICS.stepDuration.name).filter((s) => s.labels.journey === journey).map((s) => s.labels.step);
        assert.deepEqual([...new Set(got)].sort(), [...steps].sort(), `the steps of ${journey} measured before the fault, and only those`);
      }
      for (const [journey, cls] of Object.entries(row.errorClass ?? {})) {
        const failures = mine(METRICS.journeyFailures.name).filter((s) => s.labels.journey === journey && s.value > 0);
        assert.deepEqual([...new Set(failures.map((s) => s.labels.error_class))], [cls], `${journey} failed with class ${cls}`);
      }
    });
  }
});

describe('the run watchdog (src/cli/signals.ts)', () => {
  it('aborts the stop signal once, says so, and is told from a signal', async () => {
    const said: string[] = [];
    const stop = listenForStop((sig) => said.push(sig), { afterMs: 20, say: () => said.push('watchdog') });
    try {
      await new Promise((res) => stop.signal.addEventListener('abort', res, { once: true }));
      assert.equal(stop.by(), 'watchdog');
      assert.ok(stop.at() !== undefined);
      process.emit('SIGINT', 'SIGINT'); // a signal after the watchdog: "again", still the watchdog's stop
      assert.equal(stop.by(), 'watchdog');
      assert.deepEqual(said, ['watchdog', 'SIGINT']);
    } finally {
      stop.dispose();
    }
  });

  it('a signal first: the watchdog never fires, and dispose disarms it', async () => {
    const said: string[] = [];
    const stop = listenForStop((sig) => said.push(sig), { afterMs: 30, say: () => said.push('watchdog') });
    process.emit('SIGTERM', 'SIGTERM');
    assert.equal(stop.by(), 'signal');
    const late = listenForStop(() => undefined, { afterMs: 10, say: () => said.push('late watchdog') });
    late.dispose();
    // past both watchdogs' time, by a timer of the same clock (no assertion on elapsed time)
    await new Promise((res) => setTimeout(res, 60));
    stop.dispose();
    assert.deepEqual(said, ['SIGTERM']);
    assert.equal(late.signal.aborted, false);
  });
});
