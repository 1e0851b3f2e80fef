/**
 * The bench's own correctness on tiny real runs, never its timings (bench/run.ts): each tool's own
 * report is parsed into the three login steps (ours and bare `playwright test` always; Artillery and
 * @elastic/synthetics when bench/peers is installed, which CI does not do: `npm ci --prefix bench/peers`
 * with PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 takes minutes; without it the peers section must say so); the push section replays every spooled run;
 * the load guard and bad arguments stop it before anything runs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startReplica } from '../src/replica/server.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { ROOT, replicaProfile, runBare, runOurs, type BenchContext } from '../bench/common.ts';
import { chromium } from 'playwright-core';
import { STEPS, loginForm as peersLoginForm } from '../bench/peers/login-steps.mjs';
import { loginForm } from '../src/runtime/api/login-form.ts';
import { resolveBrowserPath } from '../src/runtime/browser/browser.ts';
import { PEERS_DIR, peers } from '../bench/sections/peers.ts';
import { push } from '../bench/sections/push.ts';
import { tmpDir } from './support/helpers.ts';

const ctx = (): BenchContext => ({ quick: true, deadlineAt: Date.now() + 600_000, log: () => undefined });
const peersInstalled = existsSync(join(PEERS_DIR, 'node_modules', 'artillery')) && existsSync(join(PEERS_DIR, 'node_modules', '@elastic', 'synthetics'));

describe('the bench', () => {
  it("parses our exposition and bare Playwright's JSON report of one real login each into the same three steps, and bare search's", async () => {
    const replica = await startReplica({});
    try {
      const ours = await runOurs(replicaProfile(replica.origin), ['--journeys', 'login'], { credentials: DEMO_USER });
      assert.equal(ours.code, 0, ours.stderr);
      assert.equal(ours.parsed.ok, true);
      assert.deepEqual(Object.keys(ours.parsed.steps), [...STEPS, 'token_login']);
      for (const s of STEPS) assert.ok((ours.parsed.steps[s] as number) > 0, `ours: ${s} has a time`);
      assert.ok(ours.cpuS > 0 && ours.peakTreeMiB > 0 && ours.maxProcessMiB > 0, 'CPU and memory were measured');

      const bare = await runBare('login.spec.ts', { BENCH_BASE: replica.origin, BENCH_USER: DEMO_USER.username, BENCH_PASS: DEMO_USER.password });
      assert.equal(bare.code, 0, bare.stderr);
      assert.equal(bare.runs.length, 1);
      assert.equal(bare.runs[0]?.ok, true);
      assert.deepEqual(Object.keys(bare.runs[0]?.steps ?? {}), [...STEPS]);
      for (const s of STEPS) assert.ok((bare.runs[0]?.steps[s] as number) > 0, `bare: ${s} has a time`);

      const search = await runBare('search.spec.ts', { BENCH_BASE: replica.origin });
      assert.equal(search.runs[0]?.ok, true, search.stderr);
      assert.deepEqual(Object.keys(search.runs[0]?.steps ?? {}), ['open_search_page', 'fill_form', 'submit_search']);

      const refused = await runBare('login.spec.ts', { BENCH_BASE: replica.origin, BENCH_USER: DEMO_USER.username, BENCH_PASS: 'not-the-password' });
      assert.equal(refused.runs[0]?.ok, false, 'a refused login is a failed run, not a timing');
    } finally {
      await replica.stop();
    }
  });

  it('runs every installed peer once and reads its steps from its own report; says plainly which peers were not run', async () => {
    // CI does not install bench/peers (minutes of npm ci): there the not-installed path is what runs
    // and is checked; on a machine with bench/peers installed all four tools run.
    const r = await peers(ctx(), { install: false });
    const data = r.data as { installed: boolean; rows: Array<{ peer: string; ok: boolean; steps: Record<string, number> }> };
    assert.equal(data.installed, peersInstalled);
    const ran = ['perfpulse-journeys (default)', 'bare playwright test', ...(peersInstalled ? ['Artillery + Playwright engine', '@elastic/synthetics'] : [])];
    assert.deepEqual(data.rows.map((x) => x.peer), ran);
    for (const row of data.rows) {
      assert.equal(row.ok, true, `${row.peer} passed`);
      for (const s of STEPS) assert.ok((row.steps[s] as number) > 0, `${row.peer}: ${s} has a time`);
      // the first-byte delay of 500 ms is inside every tool's open_login_page
      assert.ok((row.steps.open_login_page as number) >= 500, `${row.peer}: open_login_page includes the 500 ms delay (${row.steps.open_login_page})`);
    }
    if (peersInstalled) {
      assert.match(r.markdown, /\| @elastic\/synthetics \| 1\.26\.3 \| passed \|/);
      assert.doesNotMatch(r.markdown, /were not run/);
    } else {
      assert.match(r.markdown, /\*\*Artillery and @elastic\/synthetics were not run: bench\/peers is not installed\*\*/);
      assert.doesNotMatch(r.markdown, /\| (Artillery|@elastic)/);
    }
  });

  it("the peers' login steps find the login form with the harness's own locators (bench/peers/login-steps.mjs is plain JS, so a copy)", async () => {
    const browser = await chromium.launch({ executablePath: resolveBrowserPath(undefined) });
    try {
      const page = await browser.newPage();
      const ours = loginForm(page);
      const theirs = peersLoginForm(page) as Record<keyof typeof ours, unknown>;
      for (const key of ['form', 'username', 'password', 'submit'] as const) {
        assert.match(String(ours[key]), /^locator\(/, `${key} prints as a locator`);
        assert.equal(String(theirs[key]), String(ours[key]), `${key}: the peers' copy drifted from src/runtime/api/login-form.ts`);
      }
    } finally {
      await browser.close();
    }
  });

  it('push: 10,000 series delivered, and every one of 100 spooled runs replayed to a gateway holding them', async () => {
    const r = await push(ctx());
    const data = r.data as { series: number; replayed: number[] };
    assert.equal(data.series, 10_000);
    assert.deepEqual(data.replayed, [100], 'replay read the whole group list (more than 64 KiB) and delivered all');
  });

  it('refuses to start on a loaded machine (exit 2, one line, nothing written) and on an unknown section', () => {
    const out = tmpDir('perfpulse-bench-out-');
    const loaded = spawnSync(process.execPath, [join(ROOT, 'bench', 'run.ts'), '--quick', '--out', out], { encoding: 'utf8', env: { ...process.env, BENCH_MAX_LOAD_PER_CPU: '-1' } });
    assert.equal(loaded.status, 2);
    assert.match(loaded.stderr, /^bench: the 1-minute load per CPU is \d+\.\d\d, above -1: .* pass --force\n$/);
    assert.deepEqual(readdirSync(out), []);
    const unknown = spawnSync(process.execPath, [join(ROOT, 'bench', 'run.ts'), '--only', 'speed', '--force', '--out', out], { encoding: 'utf8' });
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /^bench: unknown section speed: use startup, steptime, fidelity, scale, push, peers\n$/);
    assert.deepEqual(readdirSync(out), []);
  });
});
