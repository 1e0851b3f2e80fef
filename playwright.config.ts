/**
 * Playwright configuration for the journeys. The CLI (`perfpulse-journeys run`) starts
 * `playwright test` with this file and hands over the env profile, browser and output paths in
 * PERFPULSE_RUN (src/runtime/runner/handoff.ts); without it there is no run, and this file says so.
 * One worker: journeys run one after another so they do not compete for the machine and distort
 * each other's timings. With `--users N`, N workers run
 * the journeys at once, each as one virtual user (repeatEach puts each copy in a worker of its own).
 *
 * From the sources this file is playwright.config.ts and finds ./journeys/*.journey.ts; in the
 * package it is dist/playwright.config.js beside dist/journeys/*.journey.js (src/package.ts).
 * The run's journeys are chosen by file (`testMatch`, the handoff's journeyFiles), not by CLI filters:
 * Playwright matches a filter against a test's location, which is the journey API's `test()` call,
 * and for a compiled journey it moves its file's location there too. With --journeys-dir the user's
 * journeys are a second project, with their folder as its testDir.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { browserEnv, chromiumArgs } from './src/runtime/browser/browser.ts';
import { DEFAULT_BROWSER_OPTIONS, deviceUse, playwrightRetries } from './src/runtime/browser/emulation.ts';
import { handoffOrExit, type RunHandoff } from './src/runtime/runner/handoff.ts';
import { JOURNEYS_DIR } from './src/runtime/runner/journeys.ts';
import { CODE_EXT } from './src/package.ts';

// read once per Playwright process, then passed down: to the reporters in their options, to the
// journey fixtures as the `handoff` option (src/runtime/api/journey.ts)
const handoff = handoffOrExit();
// --retries, --headed, --device (--trace and --throttle are applied by the journey fixtures)
const browserOptions = handoff.browserOptions ?? DEFAULT_BROWSER_OPTIONS;
/** A reporter of ours, as a path: .ts from the sources, .js compiled (a string, which the build does not rewrite). */
const reporter = (name: string) => fileURLToPath(new URL(`./src/runtime/reporters/${name}${CODE_EXT}`, import.meta.url));
/** Exactly these files (absolute paths). */
const files = (paths: string[]) => paths.map((p) => new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
// --journeys-dir: the folder(s) the user's journey files really are in (a ConfigMap volume's are behind symlinks)
const userDirs = [...new Set((handoff.journeyFiles ?? []).map((f) => dirname(f)).filter((d) => d !== JOURNEYS_DIR))];

export default defineConfig<object, { handoff: RunHandoff }>({
  testDir: JOURNEYS_DIR,
  testMatch: files(handoff.journeyFiles ?? []),
  // --journeys-dir: the user's journeys beside the built-in ones (the CLI has checked that no name clashes)
  ...(userDirs.length ? { projects: [{ name: 'built-in' }, ...userDirs.map((testDir, i) => ({ name: `user${i ? ` ${i + 1}` : ''}`, testDir }))] } : {}),
  outputDir: handoff.outputDir,
  // --users N: N workers, each running every selected journey once (repeatEach); one user is one worker.
  workers: handoff.users ?? 1,
  repeatEach: handoff.users ?? 1,
  fullyParallel: false,
  // --retries, and with --trace on-failure one traced re-run of a failed journey for its evidence
  retries: playwrightRetries(browserOptions),
  forbidOnly: true,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [
    [reporter('progress-reporter'), { handoff }],
    [reporter('results-reporter'), { handoff }],
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
      args: chromiumArgs(handoff.hostResolverRules),
      env: browserEnv(process.env),
    },
  },
});
