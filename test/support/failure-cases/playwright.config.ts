/**
 * Playwright configuration for test/failure.test.ts: runs ./cases.pw.ts, whose every test fails on
 * purpose, and hands each failure to ./reporter.ts, which writes what Playwright reported to
 * $FAILURE_CASES_OUT. Short timeouts keep it quick; the journeys' own are 15 s (expect), 20 s (actions).
 */
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, resolveBrowserPath } from '../../../src/runtime/browser/browser.ts';

export default defineConfig({
  testDir: '.',
  testMatch: 'cases.pw.ts',
  outputDir: process.env.FAILURE_CASES_OUTPUT_DIR ?? 'test-results',
  workers: 1,
  timeout: 15_000,
  expect: { timeout: 1000 },
  reporter: [['./reporter.ts']],
  use: {
    browserName: 'chromium',
    headless: true,
    actionTimeout: 1000,
    navigationTimeout: 1500,
    screenshot: 'off',
    trace: 'off',
    launchOptions: { executablePath: resolveBrowserPath(process.env.PERFPULSE_BROWSER), args: CHROMIUM_ARGS },
  },
});
