/**
 * A bare `npx playwright test` in this checkout, without the run handoff the CLI passes in
 * (PERFPULSE_RUN): there is no run to measure, and playwright.config.ts says so in one line, exit 2.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../src/runtime/runner/journeys.ts';

const require = createRequire(import.meta.url);

describe('npx playwright test without perfpulse-journeys', () => {
  it('one line naming PERFPULSE_RUN and the command to use instead, exit 2, no stack trace', () => {
    const env = { ...process.env };
    delete env.PERFPULSE_RUN;
    const r = spawnSync(process.execPath, [require.resolve('@playwright/test/cli'), 'test'], { cwd: PROJECT_ROOT, env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 2, r.stderr);
    const lines = `${r.stdout}${r.stderr}`.trim().split('\n');
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0] as string, /^no PERFPULSE_RUN: .*npx perfpulse-journeys --env <name>/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
