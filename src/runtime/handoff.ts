/**
 * What the CLI hands to the Playwright runner it starts: one JSON environment variable, read by
 * playwright.config.ts, the fixtures and the reporters. Credentials travel separately in
 * PERFPULSE_USERNAME / PERFPULSE_PASSWORD and never reach Chromium (see browserEnv).
 */
import { loadProfile, type EnvProfile } from '../config/profile.ts';
import type { BrowserOptions } from './emulation.ts';

export const HANDOFF_VAR = 'PERFPULSE_RUN';

export interface RunHandoff {
  /** The env profile with every URL resolved (no `{replica}` left). */
  profile: EnvProfile;
  /** Chromium executable. */
  browserPath: string;
  /** Where the results reporter writes RunResults JSON. */
  resultsFile: string;
  /** Playwright's output dir (screenshots of failed journeys). */
  outputDir: string;
  /** --retries, --trace, --headed, --throttle, --device (./emulation.ts); absent = the defaults. */
  browserOptions?: BrowserOptions;
  // --users (src/cli/users.ts): concurrent virtual users, each a Playwright worker running every
  // selected journey (repeatEach = workers = users); absent means 1. progressTty: the CLI's stderr
  // is a terminal (the runner's own stderr is a pipe), so the progress reporter may redraw a bar.
  users?: number;
  progressTty?: boolean;
}

export function encodeHandoff(h: RunHandoff): string {
  return JSON.stringify(h);
}

/**
 * The handoff of this run. Outside the CLI (plain `npx playwright test`), PERFPULSE_ENV may name a
 * profile that needs no replica; results then go to test-results/.
 */
export function readHandoff(env: NodeJS.ProcessEnv = process.env): RunHandoff {
  const raw = env[HANDOFF_VAR];
  if (raw) return JSON.parse(raw) as RunHandoff;
  const profile = loadProfile(env.PERFPULSE_ENV ?? 'prod');
  if (profile.replica) {
    throw new Error(`env ${profile.name} needs the bundled replica: run it as \`npx perfpulse-journeys --env ${profile.name}\``);
  }
  return {
    profile,
    browserPath: env.PERFPULSE_BROWSER ?? '/usr/bin/chromium',
    resultsFile: 'test-results/perfpulse-results.json',
    outputDir: 'test-results',
  };
}
