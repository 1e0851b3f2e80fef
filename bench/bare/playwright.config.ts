/**
 * Bare `playwright test` for the bench (bench/sections/peers.ts, startup.ts): the login journey's
 * steps as a new user would write them (./login.spec.ts), on the same Debian Chromium with the same
 * flags as the harness, the JSON reporter on stdout. BENCH_BASE, BENCH_USER, BENCH_PASS; BENCH_WORKERS.
 */
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../src/runtime/browser/browser.ts';

const workers = Number(process.env.BENCH_WORKERS ?? 1);
export default defineConfig({
  testDir: '.',
  testMatch: process.env.BENCH_SPEC ?? 'login.spec.ts',
  workers,
  repeatEach: workers,
  retries: 0,
  reporter: 'json',
  outputDir: process.env.BENCH_OUTPUT ?? 'test-results',
  use: {
    browserName: 'chromium',
    headless: true,
    trace: 'off',
    screenshot: 'off',
    video: 'off',
    launchOptions: { executablePath: process.env.PERFPULSE_BROWSER ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
  },
});
