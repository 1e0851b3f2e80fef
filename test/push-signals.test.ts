/**
 * SIGTERM in the middle of a journey: the real CLI, real Chromium, the bundled replica slowed by a
 * fault so the signal lands inside submit_credentials, and a real Pushgateway (or none).
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { METRICS, USERSIM_JOB } from '../src/metrics/catalog.ts';
import { parseExposition, samplesOf } from '../src/metrics/parse.ts';
import { Spool } from '../src/push/spool.ts';
import { freePort } from '../src/net.ts';
import { gatewayFamilies, runCli, tmpDir, type CliResult } from './support/helpers.ts';
import { descendants, stillRunning, type ProcId } from './support/processes.ts';
import { suiteGateway } from './support/gateway.ts';

/** Runs the CLI on the slowed replica and sends SIGTERM 1.5 s into submit_credentials. */
async function runAndTerminate(gateway: string, spoolDir: string): Promise<{ r: CliResult; seen: ProcId[]; signalToExitMs: number }> {
  let seen: ProcId[] = [];
  let signalAt = 0;
  const r = await runCli(
    ['--env', 'local', '--journeys', 'login', '--pushgateway', gateway, '--spool-dir', spoolDir, '--replica-fault', 'POST /access/login=delay:8000'],
    {},
    120_000,
    (c) => {
      let err = '';
      c.stderr?.on('data', (d: Buffer) => {
        err += d.toString();
        if (!signalAt && /✓ login › open_login_page/.test(err)) {
          signalAt = -1;
          // submit_credentials is now waiting for the delayed POST; let it get there, then signal
          void sleep(1500).then(() => {
            seen = descendants(c.pid as number);
            signalAt = Date.now();
            c.kill('SIGTERM');
          });
        }
      });
    },
  );
  assert.ok(signalAt > 0, `the signal was sent mid-journey:\n${r.stderr}`);
  return { r, seen, signalToExitMs: Date.now() - signalAt };
}

async function assertNothingLeft(seen: ProcId[]): Promise<void> {
  assert.ok(seen.some((p) => /chrom/i.test(p.comm)), `Chromium was running when the signal came: ${seen.map((p) => p.comm).join(', ')}`);
  await sleep(500); // the CLI has exited; let the kernel reap what it stopped
  assert.deepEqual(stillRunning(seen), [], 'no process of the run (Chromium, Playwright) outlives it');
}

describe('SIGTERM during a run', () => {
  const gw = suiteGateway();

  it('mid-step: exit 4, the steps measured so far delivered, no Chromium left behind', async (t) => {
    const { r, seen, signalToExitMs } = await runAndTerminate(gw.url, tmpDir('perfpulse-spool-'));
    t.diagnostic(`SIGTERM to exit: ${signalToExitMs} ms`);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /received SIGTERM: stopping the journeys/);
    await assertNothingLeft(seen);

    const fams = await gatewayFamilies(gw.url);
    const local = (name: string) => samplesOf(fams, name).filter((s) => s.labels.env === 'local' && s.labels.journey === 'login');
    const steps = new Map(local(METRICS.stepDuration.name).map((s) => [s.labels.step, s.value]));
    assert.ok((steps.get('open_login_page') ?? 0) > 0, `the step measured before the signal was delivered: ${[...steps.keys()]}`);
    assert.ok(!steps.has('see_user_menu'), 'the step never reached is absent');
    assert.ok(!steps.has('submit_credentials'), 'the step the signal cut short is not reported as a measured time');
    assert.equal(local(METRICS.journeyDuration.name).length, 0, 'nor is the span of an interrupted journey');
    assert.deepEqual(local(METRICS.journeySuccess.name).map((s) => s.value), [0], 'an aborted journey is not a success');
    assert.equal(local(METRICS.journeyLastSuccess.name).length, 0, 'no last-success timestamp for an aborted run');
  });

  it('mid-step with the gateway down: exit 4 and what was measured is in the spool', async (t) => {
    const spoolDir = tmpDir('perfpulse-spool-');
    const { r, seen, signalToExitMs } = await runAndTerminate(`http://127.0.0.1:${await freePort()}`, spoolDir);
    t.diagnostic(`SIGTERM to exit: ${signalToExitMs} ms`);
    assert.equal(r.code, 4, r.stderr);
    await assertNothingLeft(seen);
    const spooled = new Spool(spoolDir).list();
    assert.deepEqual(spooled.map((s) => s.entry.job), [USERSIM_JOB], 'the run group, and no last-success group');
    const fams = parseExposition(spooled[0]?.entry.body ?? '');
    assert.deepEqual(samplesOf(fams, METRICS.stepDuration.name).map((s) => s.labels.step), ['open_login_page']);
    assert.deepEqual(samplesOf(fams, METRICS.journeySuccess.name).map((s) => s.value), [0]);
  });
});
