/**
 * Runs the selected journeys in a `playwright test` child process and returns what its results
 * reporter wrote. The child gets the run handoff (PERFPULSE_RUN) and the credentials in its
 * environment; its output goes to our stderr so stdout stays free for data.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire, getCompileCacheDir } from 'node:module';
import { join } from 'node:path';
import type { Credentials } from '../../config/credentials.ts';
import { HANDOFF_VAR, encodeHandoff, type RunHandoff } from './handoff.ts';
import { CODE_EXT, CODE_ROOT } from '../../package.ts';
import { journeyFile } from './journeys.ts';
import type { RunResults } from '../../results/results.ts';

const require = createRequire(import.meta.url);

/** After an abort: a second SIGINT, then SIGKILL, if the runner has not exited by then. */
const ABORT_SECOND_SIGINT_MS = 10_000;
const ABORT_SIGKILL_MS = 18_000;

export interface LaunchOptions {
  handoff: RunHandoff;
  journeys: string[];
  credentials?: Credentials;
  /** Aborting sends SIGINT to the runner, which ends the journeys and still reports them. */
  signal?: AbortSignal;
}

export async function runJourneys(opts: LaunchOptions): Promise<RunResults> {
  const cli = require.resolve('@playwright/test/cli');
  // by file, in the config's testMatch (playwright.config.ts says why not as CLI filters)
  const journeyFiles = opts.journeys.map((j) => journeyFile(j, opts.handoff.journeysDir));
  const env: NodeJS.ProcessEnv = { ...process.env, [HANDOFF_VAR]: encodeHandoff({ ...opts.handoff, journeyFiles }), FORCE_COLOR: '0' };
  // the CLI's compile cache (bin/perfpulse-journeys.js) for the runner and its workers too: Playwright's own code starts faster
  const compileCache = getCompileCacheDir();
  if (compileCache && !env.NODE_COMPILE_CACHE && !env.NODE_DISABLE_COMPILE_CACHE) env.NODE_COMPILE_CACHE = compileCache;
  delete env.PERFPULSE_PASSWORD_FILE;
  delete env.PERFPULSE_USERNAME;
  delete env.PERFPULSE_PASSWORD;
  if (opts.credentials) {
    env.PERFPULSE_USERNAME = opts.credentials.username;
    env.PERFPULSE_PASSWORD = opts.credentials.password;
  }
  // playwright.config.ts of the checkout, or dist/playwright.config.js of the package (../../package.ts)
  const config = join(CODE_ROOT, `playwright.config${CODE_EXT}`);
  const child = spawn(process.execPath, [cli, 'test', '--config', config], {
    cwd: CODE_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d: Buffer) => process.stderr.write(d));
  child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
  // SIGINT lets Playwright end the journeys, report them and close the browser (tested: no
  // Chromium is left). Should it not be done in time for a 30 s grace period, a second SIGINT
  // (Playwright's force stop) and then SIGKILL follow, leaving the CLI time to deliver; these two
  // last resorts are not exercised by a test.
  const escalation: NodeJS.Timeout[] = [];
  const onAbort = () => {
    child.kill('SIGINT');
    escalation.push(setTimeout(() => child.kill('SIGINT'), ABORT_SECOND_SIGINT_MS), setTimeout(() => child.kill('SIGKILL'), ABORT_SIGKILL_MS));
  };
  if (opts.signal?.aborted) onAbort();
  else opts.signal?.addEventListener('abort', onAbort, { once: true });
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  opts.signal?.removeEventListener('abort', onAbort);
  for (const t of escalation) clearTimeout(t);

  const file = opts.handoff.resultsFile;
  if (!existsSync(file)) throw new Error(`the journey runner exited with code ${code} before reporting any result`);
  return JSON.parse(readFileSync(file, 'utf8')) as RunResults;
}
