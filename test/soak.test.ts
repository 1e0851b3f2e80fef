/**
 * The soak's own correctness (bench/soak.ts, `npm run soak`), never its timings: its fault schedule,
 * its /proc reading, bad input, and a tiny real soak (3 login journeys: one clean, one during a
 * gateway outage whose push is spooled and replayed, one with a failing token login) that must
 * write soak.md and soak.json with every section, find no leftover process and count every push.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FAULTS, schedule } from '../bench/soak.ts';
import { descendants, openFds, rssKiB } from '../bench/lib/proc.ts';
import { groupLabels } from '../bench/lib/push-proxy.ts';
import { PROJECT_ROOT } from '../src/runtime/runner/journeys.ts';
import { tmpDir } from './support/helpers.ts';

const SOAK = join(PROJECT_ROOT, 'bench', 'soak.ts');

function runSoak(args: string[], timeoutMs = 300_000): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [SOAK, ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
  return once(child, 'exit').then(([code]) => {
    clearTimeout(timer);
    return { code: code as number | null, stderr };
  });
}

describe('soak schedule', () => {
  it('is the same for the same seed, starts clean, and never ends on or repeats a gateway outage', () => {
    const a = schedule(400, ['login', 'search'], 17, 0.5);
    assert.deepEqual(a, schedule(400, ['login', 'search'], 17, 0.5));
    assert.notDeepEqual(a.map((p) => p.fault?.id), schedule(400, ['login', 'search'], 18, 0.5).map((p) => p.fault?.id));
    assert.equal(a[0]?.fault, undefined);
    const outages = a.filter((p) => p.fault?.gatewayOutage).map((p) => p.iteration);
    assert.ok(outages.length > 0, 'a 400-iteration schedule at rate 0.5 has outages');
    assert.ok(!outages.includes(400));
    for (const i of outages) assert.ok(!outages.includes(i + 1), `outage at ${i} and ${i + 1}`);
    for (const p of a) {
      assert.equal(p.exitCode, p.fault?.gatewayOutage ? 3 : p.fault?.fails ? 1 : 0);
      assert.deepEqual(Object.keys(p.expect), ['login', 'search']);
      if (p.fault?.fails) assert.equal(p.expect[p.fault.fails], 'failed');
    }
    for (const f of FAULTS) assert.ok(a.some((p) => p.fault?.id === f.id), `${f.id} is scheduled`);
  });

  it('schedules only faults aimed at the journeys run, and none at rate 0', () => {
    const login = schedule(300, ['login'], 5, 1);
    assert.ok(login.every((p) => !p.fault?.aims || p.fault.aims === 'login'));
    assert.ok(schedule(50, ['login'], 5, 0).every((p) => !p.fault));
  });
});

describe('soak /proc and push-group reading', () => {
  it('sees a grandchild below a process, its RSS and fds, and no longer once it is gone', async () => {
    const child = spawn('sh', ['-c', 'sleep 30 & wait'], { stdio: 'ignore' });
    try {
      let below = descendants(child.pid as number);
      for (let i = 0; i < 50 && !below.some((s) => s.comm === 'sleep'); i++) {
        await new Promise((r) => setTimeout(r, 50));
        below = descendants(child.pid as number);
      }
      assert.ok(below.some((s) => s.comm === 'sleep'), JSON.stringify(below));
      assert.ok(rssKiB(process.pid) > 0);
      assert.ok((openFds(process.pid) ?? 0) >= 3);
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    assert.equal(openFds(child.pid as number), undefined);
  });

  it('reads a group path, base64 labels included', () => {
    assert.deepEqual(groupLabels('/metrics/job/perfpulse_usersim/env/local/journey/login'), { job: 'perfpulse_usersim', env: 'local', journey: 'login' });
    assert.deepEqual(groupLabels(`/metrics/job/j/env@base64/${Buffer.from('a/b').toString('base64url')}`), { job: 'j', env: 'a/b' });
  });
});

describe('npm run soak', () => {
  it('bad input is one line and exit 2', async () => {
    for (const args of [['--journeys', '0'], ['--run-journeys', 'nope'], ['--bogus'], ['--quick', '--journeys', '5'], ['--fault-rate', '2']]) {
      const r = await runSoak(args, 60_000);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^soak: /);
    }
  });

  it('a tiny soak: 3 journeys with an outage and a failing journey, every push counted, nothing left', async (t) => {
    const out = tmpDir('perfpulse-soak-test-');
    t.after(() => rmSync(out, { recursive: true, force: true }));
    // seed 24 at rate 1 with login only: clean, gateway outage, token login 500 (see the schedule test)
    assert.deepEqual(schedule(3, ['login'], 24, 1).map((p) => p.fault?.id), [undefined, 'gateway_outage', 'token_login_500']);
    const r = await runSoak(['--run-journeys', 'login', '--journeys', '3', '--fault-rate', '1', '--seed', '24', '--out-dir', out]);
    assert.equal(r.code, 0, r.stderr);

    const md = readFileSync(join(out, 'soak.md'), 'utf8');
    for (const section of ['# Soak: 3 journeys back to back', '## Machine', '## How it runs', '## Results']) assert.ok(md.includes(section), `${section} in\n${md}`);
    assert.match(md, /\*\*3 of 3 journeys ran\*\* \(3 of 3 iterations\)/);
    assert.match(md, /CPUs .* GiB memory/);
    assert.match(md, /Load average at the start/);
    assert.match(md, /Node v\d+.*Playwright \d/);
    assert.match(md, /\| no Chromium or zombie left \| pass \|/);
    assert.match(md, /\| every run's metrics delivered \| pass \|/);
    assert.match(md, /\| every fault had its planned effect \| pass \|/);
    assert.match(md, /\| RSS drift of the CLI process ≤ 10 % after warm-up \| not judged \|/, 'three iterations are too few to judge drift');

    const json = JSON.parse(readFileSync(join(out, 'soak.json'), 'utf8'));
    assert.deepEqual(json.ran.iterations, 3);
    assert.deepEqual(json.leftovers, []);
    assert.deepEqual(json.mismatches, []);
    assert.deepEqual(json.faultErrors, []);
    assert.equal(json.cliExit, 3, 'the loop exits with its worst iteration: the outage (3) over the failed journey (1)');
    assert.deepEqual(json.delivery.perJourney, [{ journey: 'login', runs: 3, accepted: 3, held: true }]);
    assert.equal(json.delivery.spooled, 1, 'the outage spooled the login push');
    assert.ok(json.delivery.refusedByOutage >= 1);
    assert.equal(json.delivery.spoolLeft, 0, 'the next iteration replayed it');
    assert.deepEqual(
      json.faults.filter((f: { iterations: number }) => f.iterations).map((f: { id: string }) => f.id),
      ['token_login_500', 'gateway_outage'],
    );
    assert.equal(json.iterations.length, 3);
    for (const it of json.iterations) {
      assert.equal(it.children, 0, 'nothing alive below the CLI between iterations');
      assert.deepEqual(it.lingering, []);
      assert.ok(it.cliRssKiB > 0 && it.cliFds > 0);
    }
  });
});
