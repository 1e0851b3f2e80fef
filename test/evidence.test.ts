/**
 * The evidence folder of a failed journey (src/report/evidence.ts, src/cli/evidence.ts) from a real
 * run of the CLI on the replica, pushing to a real Pushgateway: its path is printed and linked from
 * the report; it holds the redacted trace, the screenshot with the credential fields masked, the
 * exact bodies pushed (and that they were delivered), the step log and the error class; no password
 * is in any of it; a journey that passed has none.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { journeyBodies } from '../src/metrics/bodies.ts';
import { parseExposition } from '../src/metrics/parse.ts';
import type { Report } from '../src/report/report.ts';
import { startReplica } from '../src/replica/server.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import type { RunResults } from '../src/results/results.ts';
import { measuredRun } from '../src/results/run.ts';
import { CREDENTIAL_FIELDS } from '../src/runtime/collectors/failure-screenshot.ts';
import { withGateway } from './support/gateway.ts';
import { gatewayFamilies, runCli, tmpDir } from './support/helpers.ts';

const WRONG = 'not-the-password-9f3e';

describe('the evidence folder of a failed journey', () => {
  it('is printed, linked from the report, and holds trace, masked screenshot, the bodies pushed, the step log and the class', async () => {
    const out = tmpDir('perfpulse-evidence-out-');
    const reportDir = tmpDir('perfpulse-evidence-report-');
    await withGateway(async (gw) => {
      const r = await runCli(['--env', 'local', '--journeys', 'login,search', '--only', 'journeys', '--output', out, '--report', reportDir, '--pushgateway', gw.url], {
        PERFPULSE_USERNAME: DEMO_USER.username,
        PERFPULSE_PASSWORD: WRONG,
      }, 240_000);
      assert.equal(r.code, 1, r.stderr);
      const dir = join(out, 'evidence', 'login');
      assert.match(r.stderr, new RegExp(`^evidence: ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'), 'its path is printed');
      assert.deepEqual(readdirSync(join(out, 'evidence')), ['login'], 'search passed: no folder');
      assert.deepEqual(readdirSync(dir).sort(), ['README.txt', 'evidence.json', 'metrics', 'screenshot.png', 'steps.log', 'trace.zip']);

      // the class and the step log
      const readme = readFileSync(join(dir, 'README.txt'), 'utf8');
      assert.match(readme, /^error class: auth \(/m);
      assert.match(readme, /^failure: login › submit_credentials: login refused \(401\)/m);
      // --trace on-failure (the default): the measured attempt ran untraced; the trace is the traced re-run's
      assert.match(readme, /^trace\.zip .*once more, traced, after the measured attempt failed \(that re-run failed; the measured attempt ran untraced\)$/m);
      const log = readFileSync(join(dir, 'steps.log'), 'utf8');
      assert.match(log, /^✓  open_login_page  \d+\.\d{3} s$/m);
      assert.match(log, /^✗  submit_credentials  \d+\.\d{3} s  FAILED \(auth\): login › submit_credentials: login refused \(401\)/m);
      assert.match(log, /^-  see_user_menu  not reached$/m);
      assert.match(log, /^ {3}POST access_login \(\w+\) answered 401$/m);
      const ev = JSON.parse(readFileSync(join(dir, 'evidence.json'), 'utf8')) as { errorClass: string; outcomes: Array<{ outcome: string }>; result: { attempts: number; tracedRerun?: string } };
      assert.equal(ev.errorClass, 'auth');
      assert.deepEqual([ev.result.attempts, ev.result.tracedRerun], [1, 'failed'], 'one measured attempt; the traced re-run is not counted as one');
      assert.deepEqual(ev.outcomes.map((o) => o.outcome), ['passed', 'failed', 'not_reached', 'not_reached']);

      // the exact body pushed: what the code makes of the run's results, byte for byte, and delivered
      const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as Report;
      const results: RunResults = { env: report.env, startedAtMs: report.startedAtMs, finishedAtMs: report.finishedAtMs, status: report.status, journeys: report.journeys };
      const login = (await journeyBodies(measuredRun(results))).find((b) => b.journey === 'login');
      assert.equal(login?.items.length, 1, 'a failed journey pushes its run group only');
      const body = readFileSync(join(dir, 'metrics', '01-perfpulse_usersim.prom'), 'utf8');
      assert.equal(body, login?.items[0]?.body);
      assert.equal(readFileSync(join(dir, 'metrics', 'deliveries.txt'), 'utf8'), '01  PUT /metrics/job/perfpulse_usersim/env/local/journey/login  delivered\n');
      // and the gateway holds every sample of it
      const held = await gatewayFamilies(gw.url);
      for (const f of parseExposition(body)) {
        for (const s of f.samples) {
          const g = held.find((h) => h.name === f.name)?.samples.find((x) => Object.entries(s.labels).every(([k, v]) => x.labels[k] === v));
          assert.equal(g?.value, s.value, `${f.name} ${JSON.stringify(s.labels)} on the gateway`);
        }
      }

      // linked from the report
      const rj = report.journeys.find((j) => j.journey === 'login');
      assert.equal(rj?.evidence, dir);
      assert.ok(readFileSync(join(reportDir, 'report.html'), 'utf8').includes(`<a href="file://${dir}">`));
      assert.equal(report.journeys.find((j) => j.journey === 'search')?.evidence, undefined);

      // no password anywhere: the files, and the trace's contents
      for (const f of ['README.txt', 'steps.log', 'evidence.json', 'metrics/01-perfpulse_usersim.prom']) assert.ok(!readFileSync(join(dir, f), 'utf8').includes(WRONG), f);
      const trace = spawnSync('unzip', ['-p', join(dir, 'trace.zip')], { encoding: 'latin1', maxBuffer: 512 * 1024 * 1024 });
      assert.ok(trace.stdout.length > 1000, 'the trace has content');
      assert.ok(!trace.stdout.includes(WRONG), 'no password in the trace');
      assert.ok(existsSync(join(dir, 'screenshot.png')));
    });
  });

  it('the screenshot mask covers the login form\'s username and password fields (the replica serves the real form\'s ids)', async () => {
    const replica = await startReplica();
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
    try {
      const page = await browser.newPage();
      await page.goto(`${replica.origin}/access/login`);
      const masked = await page.locator(CREDENTIAL_FIELDS).evaluateAll((els) => els.map((e) => `${e.tagName.toLowerCase()}#${e.id}[${(e as HTMLInputElement).type}]`));
      assert.ok(masked.some((m) => /\[text\]$/.test(m) && /user/i.test(m)), `the username field is masked: ${masked.join(', ')}`);
      assert.ok(masked.some((m) => m.endsWith('[password]')), `the password field is masked: ${masked.join(', ')}`);
    } finally {
      await browser.close();
      await replica.stop();
    }
  });
});
