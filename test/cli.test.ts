/**
 * End to end: the real CLI runs the login journey in Debian's Chromium against the replica and
 * pushes to a real prometheus-pushgateway, each on a free port of 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { METRICS, USERSIM_JOB } from '../src/metrics/catalog.ts';
import { parseExposition, samplesOf } from '../src/metrics/parse.ts';
import { pushGroup } from '../src/push/pushgateway.ts';
import { faultTable } from '../src/replica/faults.ts';
import { startReplica, type Replica } from '../src/replica/server.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { PROJECT_ROOT } from '../src/runtime/runner/journeys.ts';
import { gatewayFamilies, profilePointingAt, runCli, tmpDir } from './support/helpers.ts';
import { suiteGateway } from './support/gateway.ts';

const LOGIN_STEPS = ['open_login_page', 'submit_credentials', 'see_user_menu', 'token_login'];
const demoCredentials = { PERFPULSE_USERNAME: DEMO_USER.username, PERFPULSE_PASSWORD: DEMO_USER.password };

function stepSeconds(text: string, journey: string): Map<string, number> {
  const samples = samplesOf(parseExposition(text), METRICS.stepDuration.name).filter((s) => s.labels.journey === journey);
  return new Map(samples.map((s) => [s.labels.step as string, s.value]));
}

describe('perfpulse-journeys run (real Chromium, replica, Pushgateway)', () => {
  const gw = suiteGateway();
  let replica: Replica;
  let profile: string;
  before(async () => {
    replica = await startReplica();
    profile = profilePointingAt(replica.origin);
  });
  after(async () => {
    await replica.stop();
  });

  it('pushes every login step with env, journey and step labels, and exits 0', async () => {
    const pwFile = join(tmpDir(), 'password');
    writeFileSync(pwFile, `${DEMO_USER.password}\n`, { mode: 0o600 });
    const r = await runCli(['--env', profile, '--journeys', 'login', '--pushgateway', gw.url], {
      PERFPULSE_USERNAME: DEMO_USER.username,
      PERFPULSE_PASSWORD_FILE: pwFile,
    });
    assert.equal(r.code, 0, r.stderr);
    const fams = await gatewayFamilies(gw.url);
    const steps = samplesOf(fams, METRICS.stepDuration.name).filter((s) => s.labels.env === 'lab');
    assert.deepEqual(steps.map((s) => s.labels.step).sort(), [...LOGIN_STEPS].sort());
    for (const s of steps) {
      assert.deepEqual(Object.keys(s.labels).sort(), ['env', 'instance', 'job', 'journey', 'step']);
      assert.equal(s.labels.job, USERSIM_JOB);
      assert.equal(s.labels.journey, 'login');
      assert.ok(s.value > 0 && s.value < 60, `${s.labels.step} took ${s.value} s`);
    }
    const success = samplesOf(fams, METRICS.journeySuccess.name).find((s) => s.labels.env === 'lab');
    assert.equal(success?.value, 1);
    const stamp = samplesOf(fams, METRICS.journeyRunTimestamp.name).find((s) => s.labels.env === 'lab');
    assert.ok(stamp && Math.abs(stamp.value - Date.now() / 1000) < 300, 'run timestamp is this run');
    for (const step of LOGIN_STEPS) assert.match(r.stdout, new RegExp(`login\\s+${step}\\s+ok\\s+\\d+\\.\\d{3}`));
    assert.ok(!r.stdout.includes(DEMO_USER.password) && !r.stderr.includes(DEMO_USER.password), 'password never printed');
  });

  it('an injected delay D on the login POST lands in submit_credentials, not in open_login_page', async () => {
    const D = 5000;
    const slow = await startReplica({ faults: faultTable([`POST /access/login=delay:${D}`]) });
    try {
      const r = await runCli(['--env', profilePointingAt(slow.origin, 'slow'), '--journeys', 'login', '--dry-run'], demoCredentials);
      assert.equal(r.code, 0, r.stderr);
      const steps = stepSeconds(r.stdout, 'login');
      assert.ok((steps.get('submit_credentials') ?? 0) >= D / 1000, `submit_credentials ${steps.get('submit_credentials')} s >= ${D / 1000} s`);
      assert.ok((steps.get('open_login_page') ?? Infinity) < D / 1000, `open_login_page ${steps.get('open_login_page')} s < ${D / 1000} s`);
    } finally {
      await slow.stop();
    }
  });

  it('bad credentials: journey_success 0 pushed, the failed step marked, exit 1', async () => {
    const r = await runCli(['--env', profilePointingAt(replica.origin, 'badpw'), '--journeys', 'login', '--pushgateway', gw.url], {
      PERFPULSE_USERNAME: DEMO_USER.username,
      PERFPULSE_PASSWORD: 'not-the-password',
    });
    assert.equal(r.code, 1, r.stderr);
    const fams = await gatewayFamilies(gw.url);
    const success = samplesOf(fams, METRICS.journeySuccess.name).find((s) => s.labels.env === 'badpw');
    assert.equal(success?.value, 0);
    const failed = samplesOf(fams, METRICS.stepFailed.name).filter((s) => s.labels.env === 'badpw' && s.value === 1);
    assert.deepEqual(failed.map((s) => s.labels.step), ['submit_credentials']);
    assert.match(r.stdout, /login refused \(401\)/);
    assert.ok(!r.stdout.includes('not-the-password') && !r.stderr.includes('not-the-password'), 'password never printed');
  });

  it('--dry-run prints exposition text a real Pushgateway accepts, and pushes nothing', async () => {
    const r = await runCli(['--env', profilePointingAt(replica.origin, 'dry'), '--journeys', 'login', '--dry-run'], demoCredentials);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([...stepSeconds(r.stdout, 'login').keys()].sort(), [...LOGIN_STEPS].sort());
    assert.equal(samplesOf(await gatewayFamilies(gw.url), METRICS.stepDuration.name).filter((s) => s.labels.env === 'dry').length, 0);
    const accepted = await pushGroup({ gateway: gw.url, job: 'perfpulse_dryrun_check', grouping: {}, body: r.stdout });
    assert.equal(accepted.ok, true, `gateway rejected the dry-run text: ${accepted.message}`);
  });
});

describe('perfpulse-journeys --env local (starts its own replica and Pushgateway)', () => {
  it('runs login, prints the step table and proves the gateway held every step', async () => {
    const r = await runCli(['--env', 'local', '--journeys', 'login']);
    assert.equal(r.code, 0, r.stderr);
    for (const step of LOGIN_STEPS) assert.match(r.stdout, new RegExp(`login\\s+${step}\\s+ok\\s+\\d+\\.\\d{3}`));
    assert.match(r.stdout, /held: 4 perfpulse_usersim_step_duration_seconds series for journey login/);
    assert.match(r.stderr, /replica: serving the CADC portal on http:\/\/127\.0\.0\.1:\d+/);
  });
});

describe('bad input', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown --env', ['--env', 'nope'], /unknown env 'nope'/],
    ['an unknown journey', ['--journeys', 'nope', '--dry-run'], /unknown journey nope/],
    ['an unknown flag', ['--bogus'], /unknown option '--bogus'/],
    ['a missing profile file', ['--env', './missing.yaml'], /cannot read env profile/],
    ['prod without a Pushgateway', ['--env', 'prod'], /no Pushgateway for env prod/],
    ['a fault on a route the replica lacks', ['--replica-fault', 'GET /nowhere=delay:1', '--dry-run'], /names no replica route/],
  ];
  for (const [what, args, message] of cases) {
    it(`${what}: exit 2 and one line on stderr`, async () => {
      const r = await runCli(args);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line, got:\n${r.stderr}`);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    });
  }

  it('--help teaches: examples, credentials and exit codes', async () => {
    const r = await runCli(['run', '--help']);
    assert.equal(r.code, 0);
    for (const piece of ['--env <name|file>', '--dry-run', '--pushgateway <url>', 'Examples:', 'PERFPULSE_PASSWORD_FILE', 'Exit codes:']) {
      assert.ok(r.stdout.includes(piece), piece);
    }
  });
});

describe('stdout closed early (`| head`)', () => {
  it('a reader that goes away after the first line gets no stack trace, and the command still exits 0', async () => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'perfpulse-journeys.js'), 'journeys'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    // like `head` that has already read what it wanted: the read end is closed before the first write
    child.stdout.destroy();
    const [code] = (await once(child, 'exit')) as [number];
    assert.doesNotMatch(stderr, /EPIPE|node:events|at .*\(/, stderr);
    assert.equal(code, 0, stderr);
  });
});
