/**
 * SIGTERM in the middle of a journey: the real CLI, real Chromium, the bundled replica slowed by a
 * fault so the signal lands inside submit_credentials, and a real Pushgateway.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { METRICS } from '../src/metrics/catalog.ts';
import { samplesOf } from '../src/metrics/parse.ts';
import { startLocalPushgateway, type LocalGateway } from '../src/push/local-gateway.ts';
import { gatewayFamilies, runCli, tmpDir } from './support/helpers.ts';
import { descendants, stillRunning, type ProcId } from './support/processes.ts';

describe('SIGTERM during a run', () => {
  let gw: LocalGateway;
  before(async () => {
    gw = await startLocalPushgateway();
  });
  after(() => gw.stop());

  it('mid-step: exit 4, the steps measured so far delivered, no Chromium left behind', async (t) => {
    let child: ChildProcess | undefined;
    let seen: ProcId[] = [];
    let signalled = false;
    let signalAt = 0;
    const spoolDir = tmpDir('perfpulse-spool-');
    const run = runCli(
      ['--env', 'local', '--pushgateway', gw.url, '--spool-dir', spoolDir, '--replica-fault', 'POST /access/login=delay:8000'],
      {},
      120_000,
      (c) => {
        child = c;
        let err = '';
        c.stderr?.on('data', (d: Buffer) => {
          err += d.toString();
          if (!signalled && /✓ login › open_login_page/.test(err)) {
            signalled = true;
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
    const r = await run;
    t.diagnostic(`SIGTERM to exit: ${Date.now() - signalAt} ms`);
    assert.ok(child && signalled, `the signal was sent mid-journey:\n${r.stderr}`);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /received SIGTERM: stopping the journeys/);
    assert.ok(seen.some((p) => /chrom/i.test(p.comm)), `Chromium was running when the signal came: ${seen.map((p) => p.comm).join(', ')}`);
    // the CLI has exited; give the kernel a moment to reap what it killed, then nothing may remain
    await sleep(500);
    assert.deepEqual(stillRunning(seen), [], 'no process of the run (Chromium, Playwright) outlives it');

    const fams = await gatewayFamilies(gw.url);
    const local = (name: string) => samplesOf(fams, name).filter((s) => s.labels.env === 'local' && s.labels.journey === 'login');
    const steps = new Map(local(METRICS.stepDuration.name).map((s) => [s.labels.step, s.value]));
    assert.ok((steps.get('open_login_page') ?? 0) > 0, `the step measured before the signal was delivered: ${[...steps.keys()]}`);
    assert.ok(!steps.has('see_user_menu'), 'the step never reached is absent');
    assert.deepEqual(local(METRICS.journeySuccess.name).map((s) => s.value), [0], 'an aborted journey is not a success');
    assert.equal(local(METRICS.journeyLastSuccess.name).length, 0, 'no last-success timestamp for an aborted run');
  });
});
