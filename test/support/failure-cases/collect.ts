/** Runs ./cases.pw.ts with the pinned Playwright and Chromium; returns what ./reporter.ts collected, by case. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpDir } from '../helpers.ts';
import type { CollectedCase } from './reporter.ts';

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));

export async function collectFailures(): Promise<Record<string, CollectedCase>> {
  const dir = tmpDir('perfpulse-failure-cases-');
  const out = join(dir, 'cases.json');
  const child = spawn(process.execPath, [require.resolve('@playwright/test/cli'), 'test', '--config', join(HERE, 'playwright.config.ts')], {
    cwd: HERE,
    env: { ...process.env, FAILURE_CASES_OUT: out, FAILURE_CASES_OUTPUT_DIR: join(dir, 'output'), FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  // every case fails on purpose, so Playwright exits 1; anything else is the collector's own failure
  if (code !== 1) throw new Error(`the failure cases exited with ${code}: ${stderr.slice(-2000)}`);
  return JSON.parse(readFileSync(out, 'utf8')) as Record<string, CollectedCase>;
}
