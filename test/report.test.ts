/**
 * `--report <dir>`: report.json and a self-contained report.html, opened in real Chromium to check
 * what a person sees: the journeys, their steps as a waterfall (wall) with pages (browser), Web
 * Vitals rated against the usual thresholds, and a failure with its screenshot.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import type { Report } from '../src/report/report.ts';
import { VITALS, rate } from '../src/report/vitals.ts';
import { startReplica, type Replica } from '../src/replica/server.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { profilePointingAt, runCli, tmpDir } from './support/helpers.ts';

describe('Web Vitals ratings', () => {
  it('use the usual good/poor thresholds: good up to the first, poor above the second', () => {
    const lcp = VITALS.find((v) => v.name === 'LCP');
    assert.deepEqual(lcp?.thresholds, [2500, 4000]);
    assert.equal(rate(2500, [2500, 4000]), 'good');
    assert.equal(rate(2501, [2500, 4000]), 'needs-improvement');
    assert.equal(rate(4001, [2500, 4000]), 'poor');
    assert.deepEqual(VITALS.find((v) => v.name === 'CLS')?.thresholds, [0.1, 0.25]);
    assert.deepEqual(VITALS.find((v) => v.name === 'INP')?.thresholds, [200, 500]);
  });
});

describe('perfpulse-journeys --report (real Chromium on the replica)', () => {
  let replica: Replica;
  let browser: Browser;
  const okDir = tmpDir('perfpulse-report-ok-');
  const failDir = tmpDir('perfpulse-report-fail-');
  before(async () => {
    replica = await startReplica();
    const ok = await runCli(['--env', profilePointingAt(replica.origin, 'lab'), '--journeys', 'login', '--dry-run', '--report', okDir], {
      PERFPULSE_USERNAME: DEMO_USER.username,
      PERFPULSE_PASSWORD: DEMO_USER.password,
    });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, new RegExp(`report: ${join(okDir, 'report.html')}`));
    const failed = await runCli(
      ['--env', profilePointingAt(replica.origin, 'lab'), '--journeys', 'login', '--dry-run', '--report', failDir, '--output', join(failDir, 'shots')],
      { PERFPULSE_USERNAME: DEMO_USER.username, PERFPULSE_PASSWORD: 'wrong-password-xyz' },
    );
    assert.equal(failed.code, 1, failed.stderr);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  });
  after(async () => {
    await browser?.close();
    await replica?.stop();
  });

  it('report.json holds the steps, measurements and rated vitals', () => {
    const report = JSON.parse(readFileSync(join(okDir, 'report.json'), 'utf8')) as Report;
    assert.equal(report.env, 'lab');
    const j = report.journeys[0];
    assert.ok(j);
    assert.deepEqual(j.steps.map((s) => s.name), ['open_login_page', 'submit_credentials', 'see_user_menu', 'token_login']);
    assert.ok((j.harnessOverheadMs ?? 0) > 0);
    const ttfb = j.vitals.find((v) => v.name === 'TTFB' && v.step === 'open_login_page');
    assert.ok(ttfb && ttfb.value > 0 && ['good', 'needs-improvement', 'poor'].includes(ttfb.rating));
  });

  it('a person sees the journey, its step waterfall, pages and rated Web Vitals', async () => {
    const page = await browser.newPage();
    // no network: the file must be self-contained
    await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    await page.goto(`file://${join(okDir, 'report.html')}`);
    const section = page.locator('section#journey-login');
    assert.match(await page.locator('h1').innerText(), /env lab/);
    assert.match(await section.locator('h2').innerText(), /passed\s+login/);
    for (const step of ['open_login_page', 'submit_credentials', 'see_user_menu']) {
      const row = section.locator('.row.step', { hasText: step });
      assert.ok(await row.isVisible(), `step ${step} in the waterfall`);
      const bar = await row.locator('.bar.wall').boundingBox();
      assert.ok(bar && bar.width >= 2, `${step} has a visible bar`);
    }
    assert.ok(await section.locator('.row.browser', { hasText: 'access_login' }).isVisible(), 'the login page, browser time');
    const ttfbRow = section.locator('table.vitals tr', { hasText: 'TTFB' }).first();
    assert.match(await ttfbRow.innerText(), /open_login_page\s+access_login\s+\d\.\d{3} s\s+(good|needs improvement|poor)\s+good ≤ 0\.800 s, poor > 1\.800 s/);
    assert.match(await section.locator('.facts').innerText(), /harness overhead \d\.\d{3} s per step/);
    assert.equal(await section.locator('.failure').count(), 0, 'no failure on a passing journey');
    await page.close();
  });

  it('a failed journey shows its error and its screenshot, and never the password', async () => {
    const html = readFileSync(join(failDir, 'report.html'), 'utf8');
    assert.ok(!html.includes('wrong-password-xyz') && !readFileSync(join(failDir, 'report.json'), 'utf8').includes('wrong-password-xyz'));
    const page = await browser.newPage();
    await page.goto(`file://${join(failDir, 'report.html')}`);
    const section = page.locator('section#journey-login');
    assert.match(await section.locator('h2').innerText(), /failed\s+login/);
    assert.match(await section.locator('.failure').innerText(), /login refused \(401\)/);
    assert.match(await section.locator('.row.step.failed').innerText(), /submit_credentials[\s\S]*FAILED/);
    const shot = section.locator('img.shot');
    assert.ok(await shot.isVisible(), 'screenshot shown');
    assert.ok((await shot.evaluate((img: HTMLImageElement) => img.naturalWidth)) > 100, 'screenshot decoded from the embedded data');
    assert.match((await shot.getAttribute('src')) ?? '', /^data:image\/png;base64,/);
    await page.close();
  });
});
