/**
 * What the CLI hands to the Playwright runner it starts: one JSON environment variable, read once
 * per Playwright process, by playwright.config.ts, which passes it on: to the reporters in their
 * options (RunReporter below) and to the journey fixtures as the `handoff` option
 * (./journey.ts). Credentials travel separately in PERFPULSE_USERNAME / PERFPULSE_PASSWORD and
 * never reach Chromium (see browserEnv).
 */
import type { EnvProfile } from '../../config/profile.ts';
import type { BrowserOptions } from '../browser/emulation.ts';

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
  /** --journeys-dir (or the profile's journeys_dir), absolute: the user's journeys, run beside the built-in ones. */
  journeysDir?: string;
  /** Chromium's --host-resolver-rules, from the test hook PERFPULSE_TEST_HOST_RESOLVER_RULES (../browser/browser.ts). */
  hostResolverRules?: string;
  /** The files of the journeys to run (./launch.ts fills them in): playwright.config.ts runs exactly these. */
  journeyFiles?: string[];
}

export function encodeHandoff(h: RunHandoff): string {
  return JSON.stringify(h);
}

const NO_HANDOFF = `no ${HANDOFF_VAR}: the journeys run under perfpulse-journeys, which starts Playwright with the run's env profile, browser and paths (npx perfpulse-journeys --env <name>)`;

/** The handoff of this run; without one (plain `npx playwright test`) there is no run to measure. */
export function readHandoff(env: NodeJS.ProcessEnv = process.env): RunHandoff {
  const raw = env[HANDOFF_VAR];
  if (!raw) throw new Error(NO_HANDOFF);
  return JSON.parse(raw) as RunHandoff;
}

/**
 * For playwright.config.ts: the handoff, or, for a bare `npx playwright test` without one, that
 * one line on stderr and exit 2 (a config that threw would bury it under Playwright's stack).
 */
export function handoffOrExit(env: NodeJS.ProcessEnv = process.env): RunHandoff {
  if (!env[HANDOFF_VAR]) {
    process.stderr.write(`${NO_HANDOFF}\n`);
    process.exit(2);
  }
  return readHandoff(env);
}

/** What playwright.config.ts gives each reporter of the run. */
export interface RunReporterOptions {
  handoff?: RunHandoff;
}

/** A reporter of the run: its handoff arrives in its options, from playwright.config.ts. */
export class RunReporter {
  protected readonly handoff: RunHandoff;

  constructor(options: RunReporterOptions = {}) {
    if (!options.handoff) throw new Error(NO_HANDOFF);
    this.handoff = options.handoff;
  }
}
