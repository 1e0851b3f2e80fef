/**
 * Playwright configuration for the journeys. The CLI (`perfpulse-journeys run`) starts
 * `playwright test` with this file and hands over the env profile, browser and output paths in
 * PERFPULSE_RUN (src/runtime/runner/handoff.ts); without it there is no run, and this file says so.
 * One worker: journeys run one after another so they do not compete for the machine and distort
 * each other's timings. With `--users N`, N workers run
 * the journeys at once, each as one virtual user (repeatEach puts each copy in a worker of its own).
 */
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, browserEnv } from './src/runtime/browser/browser.ts';
import { DEFAULT_BROWSER_OPTIONS, deviceUse } from './src/runtime/browser/emulation.ts';
import { handoffOrExit, type RunHandoff } from './src/runtime/runner/handoff.ts';

// read once per Playwright process, then passed down: to the reporters in their options, to the
// journey fixtures as the `handoff` option (src/runtime/api/journey.ts)
const handoff = handoffOrExit();
// --retries, --headed, --device (--trace and --throttle are applied by the journey fixtures)
const browserOptions = handoff.browserOptions ?? DEFAULT_BROWSER_OPTIONS;

export default defineConfig<object, { handoff: RunHandoff }>({
  testDir: './journeys',
  testMatch: '*.journey.ts',
  outputDir: handoff.outputDir,
  // --users N: N workers, each running every selected journey once (repeatEach); one user is one worker.
  workers: handoff.users ?? 1,
  repeatEach: handoff.users ?? 1,
  fullyParallel: false,
  retries: browserOptions.retries,
  forbidOnly: true,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [
    ['./src/runtime/reporters/progress-reporter.ts', { handoff }],
    ['./src/runtime/reporters/results-reporter.ts', { handoff }],
  ],
  use: {
    handoff,
    // a device brings viewport, screen, user agent, pixel ratio, mobile and touch; never its engine
    ...(browserOptions.device ? deviceUse(browserOptions.device) : {}),
    browserName: 'chromium',
    headless: !browserOptions.headed,
    actionTimeout: 20_000,
    navigationTimeout: 30_000,
    screenshot: 'only-on-failure',
    trace: 'off',
    video: 'off',
    launchOptions: {
      executablePath: handoff.browserPath,
      args: CHROMIUM_ARGS,
      env: browserEnv(process.env),
    },
  },
});
