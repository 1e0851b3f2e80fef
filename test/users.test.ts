/**
 * `--users N`: concurrent virtual users. The pure parts (statistics, the bound, the progress
 * formatters, metrics of combined users, the saved login under concurrent writers) and one real
 * run of two users on the replica, with a delay and a 500 injected, read back from a real Pushgateway.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseUsers, usersBound, ABSOLUTE_MAX_USERS, USER_MEMORY_BYTES } from '../src/cli/users.ts';
import { usersSummaryTable } from '../src/cli/summary.ts';
import { UserError } from '../src/errors.ts';
import { METRICS, USERSIM_JOB, USERSIM_LAST_SUCCESS_JOB } from '../src/metrics/catalog.ts';
import { expositionFor } from '../src/metrics/exposition.ts';
import { formatFinding, lintExposition } from '../src/metrics/lint.ts';
import { parseExposition, samplesOf } from '../src/metrics/parse.ts';
import { combineUsers, median, percentile, spreadOf } from '../src/results/multi-user.ts';
import { CLEAR_LINE, MultiUserProgress, formatBar, formatProgressLine } from '../src/runtime/reporters/progress-bar.ts';
import { PROJECT_ROOT } from '../src/runtime/runner/journeys.ts';
import { isFlaky, type JourneyResult, type RunResults } from '../src/results/results.ts';
import { gatewayFamilies, runCli, tmpDir } from './support/helpers.ts';
import { suiteGateway } from './support/gateway.ts';

const ESC = '\u001b';
const t0 = 1_700_000_000_000;

function run(user: number | undefined, status: JourneyResult['status'], steps: Array<[string, number, boolean]>): JourneyResult {
  let at = t0 + (user ?? 0) * 10;
  const out: JourneyResult = {
    journey: 'login',
    status,
    startedAtMs: at,
    steps: steps.map(([name, durationMs, ok]) => {
      const s = { name, durationMs, startedAtMs: at, ok, ...(ok ? {} : { error: 'boom' }) };
      at += durationMs;
      return s;
    }),
    ...(status === 'passed' ? {} : { error: 'boom' }),
  };
  out.durationMs = steps.reduce((sum, [, d]) => sum + d, 0);
  if (user !== undefined) out.user = user;
  return out;
}

describe('--users: statistics, bound, progress, metrics (pure)', () => {
  it('median, nearest-rank p95 and spread', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([]), undefined);
    assert.equal(percentile([1, 2], 95), 2, 'p95 of two users is the slower one');
    assert.equal(percentile(Array.from({ length: 20 }, (_, i) => i + 1), 95), 19);
    assert.deepEqual(spreadOf([5, 1, 3]), { min: 1, median: 3, p95: 5, max: 5, n: 3 });
  });

  it('bounds --users by the machine, lets --users-max-override lift that, never the absolute cap', () => {
    const small = { cpus: 2, memoryBytes: 24 * 2 ** 30 };
    assert.equal(usersBound(small), 2);
    assert.equal(usersBound({ cpus: 16, memoryBytes: 2 * USER_MEMORY_BYTES }), 2, 'memory bounds it too');
    assert.equal(usersBound({ cpus: 1, memoryBytes: 1 }), 1, 'never below 1');
    assert.equal(parseUsers(undefined, false, small), 1);
    assert.equal(parseUsers('2', false, small), 2);
    assert.throws(() => parseUsers('3', false, small), (e: Error) => e instanceof UserError && /limit of 2 .*--users-max-override/.test(e.message));
    assert.equal(parseUsers('3', true, small), 3);
    assert.throws(() => parseUsers(String(ABSOLUTE_MAX_USERS + 1), true, small), (e: Error) => e instanceof UserError && e.message.includes(String(ABSOLUTE_MAX_USERS)));
    for (const bad of ['0', '-1', '1.5', 'two', '']) assert.throws(() => parseUsers(bad, true, small), UserError, bad);
  });

  it('formats the terminal bar and the plain line', () => {
    const s = { total: 4, passed: 2, failed: 1, running: 1, elapsedMs: 12_345 };
    assert.equal(formatBar(s, 8), '[██████░░] 3/4 journey runs · 2 passed, 1 failed, 1 running · 12.3 s');
    assert.equal(formatBar({ ...s, passed: 0, failed: 0 }, 4), '[░░░░] 0/4 journey runs · 0 passed, 0 failed, 1 running · 12.3 s');
    assert.equal(formatProgressLine(s, '✓ login user 2 passed'), '✓ login user 2 passed — 3/4 journey runs done: 2 passed, 1 failed, 1 running, 12.3 s elapsed');
    for (const text of [formatBar(s), formatProgressLine(s)]) assert.ok(!text.includes(ESC) && !text.includes('\r') && !text.includes('\n'));
  });

  it('redraws the bar in place on a terminal, and writes whole plain lines elsewhere', () => {
    const tty: string[] = [];
    const onTty = new MultiUserProgress(true, (t) => tty.push(t));
    onTty.begin(2, 2);
    onTty.started();
    onTty.started();
    onTty.ended(true, '✓ login user 1 passed');
    onTty.ended(false, '✗ login user 2 failed: boom');
    onTty.end();
    const screen = tty.join('');
    assert.ok(tty.filter((t) => t.startsWith(CLEAR_LINE)).length >= 5, 'every redraw starts by clearing the line');
    assert.match(screen, /✗ login user 2 failed: boom\n/, 'a failure stays on screen above the bar');
    assert.match(tty.at(-1) ?? '', /^\r\u001b\[2K\[█+\] 2\/2 journey runs · 1 passed, 1 failed, 0 running · [\d.]+ s\n$/, 'the final bar stays');
    assert.ok(!screen.replace(/\r\u001b\[2K/g, '').includes(ESC), 'no other escape sequence');

    const plain: string[] = [];
    const onPipe = new MultiUserProgress(false, (t) => plain.push(t));
    onPipe.begin(2, 2);
    onPipe.started();
    onPipe.ended(true, '✓ login user 1 passed');
    onPipe.end();
    const log = plain.join('');
    assert.ok(!log.includes(ESC) && !log.includes('\r'), 'no escape sequence, no carriage return');
    assert.ok(plain.every((t) => t.endsWith('\n')), 'whole lines only');
    assert.match(log, /^2 concurrent users, 2 journey runs\n✓ login user 1 passed — 1\/2 journey runs done: 1 passed, 0 failed, 0 running, [\d.]+ s elapsed\nfinished — /);
  });

  it('keeps the single-user exposition as it was, and combines users: median, every-user success, counts and spread', async () => {
    const single = await expositionFor('prod', [run(undefined, 'passed', [['a', 100, true]])]);
    assert.ok(!single.includes('_users_'), 'no multi-user metric without --users');

    const users = [run(1, 'passed', [['a', 100, true], ['b', 300, true]]), run(2, 'failed', [['a', 700, true], ['b', 50, false]]), run(3, 'passed', [['a', 200, true], ['b', 500, true]])];
    const fams = parseExposition(await expositionFor('prod', users));
    const value = (name: string, labels: Record<string, string>) =>
      samplesOf(fams, name).find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    assert.equal(value(METRICS.stepDuration.name, { step: 'a' }), 0.2, 'median of 100, 700, 200 ms');
    assert.equal(value(METRICS.stepDuration.name, { step: 'b' }), 0.4, 'median over the users that passed b: 300, 500 ms');
    assert.equal(value(METRICS.stepFailed.name, { step: 'b' }), 1, 'a user failed at b');
    assert.equal(value(METRICS.stepFailed.name, { step: 'a' }), 0);
    assert.equal(value(METRICS.journeySuccess.name, {}), 0, 'not every user passed');
    assert.equal(value(METRICS.journeyRunTimestamp.name, {}), (t0 + 10) / 1000, 'the first user to start');
    assert.equal(value(METRICS.journeyUsers.name, { result: 'passed' }), 2);
    assert.equal(value(METRICS.journeyUsers.name, { result: 'failed' }), 1);
    assert.equal(value(METRICS.stepUsersDuration.name, { step: 'a', statistic: 'max' }), 0.7);
    assert.equal(value(METRICS.stepUsersDuration.name, { step: 'a', statistic: 'min' }), 0.1);
    assert.equal(value(METRICS.stepUsersDuration.name, { step: 'b', statistic: 'max' }), 0.5, 'the failed try is not a time of b');
    assert.equal(value(METRICS.journeyUsersDuration.name, { statistic: 'median' }), 0.55, 'median of the passed users: 400, 700 ms');
    for (const f of fams) for (const s of f.samples) assert.ok(!('user' in s.labels), `${f.name}: never a user label`);
    assert.deepEqual(lintExposition(await expositionFor('prod', users)).map(formatFinding), [], 'a multi-user exposition passes metrics lint');

    const combined = combineUsers(users);
    assert.equal(combined.status, 'failed');
    assert.equal(combined.user, undefined);

    const results: RunResults = { env: 'prod', startedAtMs: t0, finishedAtMs: t0, status: 'failed', journeys: users, users: 3 };
    const table = usersSummaryTable(results, ['login', 'search'], 3);
    assert.match(table, /^login\s+a\s+ok\s+3\/3\s+0\.200\s+0\.700$/m);
    assert.match(table, /^login\s+b\s+FAILED \(assertion\)\s+2\/3\s+0\.400\s+0\.500$/m); // the error class of its failure (src/results/error-class.ts)
    assert.match(table, /^login\s+\(journey\)\s+FAILED\s+2\/3\s+0\.550\s+0\.700$/m);
    assert.match(table, /^search\s+\(journey\)\s+not run\s+0\/3/m);
    assert.match(table, /^login user 2: boom$/m);
  });

  it('with --retries, the combined journey carries the most attempts any user needed, and is flaky only when all passed', async () => {
    const a = { ...run(1, 'passed', [['a', 100, true]]), attempts: 1 };
    const b = { ...run(2, 'passed', [['a', 200, true]]), attempts: 2 };
    const passed = combineUsers([a, b]);
    assert.equal(passed.attempts, 2);
    assert.equal(isFlaky(passed), true, 'every user passed, one only on a retry');
    const fams = parseExposition(await expositionFor('prod', [a, b]));
    assert.equal(samplesOf(fams, METRICS.journeyAttempts.name)[0]?.value, 2, 'the attempts gauge is exported for a multi-user run');
    const failed = combineUsers([b, { ...run(3, 'failed', [['a', 300, false]]), attempts: 2 }]);
    assert.equal(failed.status, 'failed');
    assert.equal(isFlaky(failed), false, 'a failed journey is not flaky');
  });

  it('a reader of the saved login never sees a torn or vanished-under-it file while workers save and discard it', async () => {
    const dir = tmpDir('perfpulse-auth-race-');
    // Two writer processes, like two Playwright workers: 300 saves each, every third followed by a discard.
    const writer = `
      import { writeAuthState, discardAuthState } from ${JSON.stringify(join(PROJECT_ROOT, 'src/runtime/browser/auth-state.ts'))};
      for (let i = 0; i < 300; i++) {
        const cookies = Array.from({ length: 20 }, (_, k) => ({ name: 'c' + k, value: String(i).padEnd(4000, 'x'), domain: '127.0.0.1', path: '/', expires: -1, httpOnly: true, secure: false, sameSite: 'Lax' }));
        writeAuthState({ cookies, origins: [] }, ${JSON.stringify(join(dir, 'perfpulse-auth-state.json'))});
        if (i % 3 === 2) discardAuthState(undefined, ${JSON.stringify(join(dir, 'perfpulse-auth-state.json'))});
      }`;
    const writers = [0, 1].map(
      () =>
        new Promise<number | null>((resolve) => {
          const p = spawn(process.execPath, ['--input-type=module', '-e', writer], { stdio: ['ignore', 'ignore', 'inherit'] });
          p.once('exit', resolve);
        }),
    );
    const { readAuthState } = await import('../src/runtime/browser/auth-state.ts');
    let done = false;
    void Promise.all(writers).then(() => (done = true));
    let seen = 0;
    let none = 0;
    while (!done) {
      const state = readAuthState(join(dir, 'perfpulse-auth-state.json'));
      if (!state) none++;
      else {
        seen++;
        assert.equal(state.cookies.length, 20, 'a whole state');
      }
      await new Promise((r) => setImmediate(r));
    }
    assert.deepEqual(await Promise.all(writers), [0, 0], 'writers ran to the end');
    assert.ok(seen > 0, `read a saved login (${seen} times, none ${none} times)`);
  });
});

describe('--users 2 on the replica (real Chromium, replica, Pushgateway)', () => {
  const gw = suiteGateway();

  it('keeps both users of each journey in metrics, summary, report and progress; counts a 500 as failed users', async () => {
    const reportDir = join(tmpDir(), 'report');
    const DELAY_MS = 800;
    const r = await runCli(
      [
        '--env', 'local', '--journeys', 'login,search', '--users', '2', '--pushgateway', gw.url, '--report', reportDir, '--only', 'journeys',
        '--replica-fault', `POST /access/login=delay:${DELAY_MS}`, '--replica-fault', 'POST /search/find=status:500',
      ],
      {},
      300_000,
    );
    assert.equal(r.code, 1, `search failed for both users: exit 1\n${r.stderr}`);

    // Metrics, as the gateway holds them.
    const fams = await gatewayFamilies(gw.url);
    const local = (name: string, journey: string) => samplesOf(fams, name).filter((s) => s.labels.env === 'local' && s.labels.journey === journey && s.labels.job === USERSIM_JOB);
    const users = (journey: string, result: string) => local(METRICS.journeyUsers.name, journey).find((s) => s.labels.result === result)?.value;
    assert.equal(users('login', 'passed'), 2, 'both users passed login');
    assert.equal(users('login', 'failed'), 0);
    assert.equal(users('search', 'passed'), 0);
    assert.equal(users('search', 'failed'), 2, 'the injected 500 failed both users');
    assert.equal(local(METRICS.journeySuccess.name, 'login')[0]?.value, 1);
    assert.equal(local(METRICS.journeySuccess.name, 'search')[0]?.value, 0);
    assert.equal(local(METRICS.stepFailed.name, 'search').find((s) => s.labels.step === 'submit_search')?.value, 1);
    const submit = local(METRICS.stepUsersDuration.name, 'login').filter((s) => s.labels.step === 'submit_credentials');
    assert.deepEqual(submit.map((s) => s.labels.statistic).sort(), ['max', 'median', 'min', 'p95']);
    for (const s of submit) assert.ok(s.value >= DELAY_MS / 1000, `both users' submit_credentials reflect the ${DELAY_MS} ms delay: ${s.labels.statistic} ${s.value} s`);
    const median = local(METRICS.stepDuration.name, 'login').find((s) => s.labels.step === 'submit_credentials')?.value ?? 0;
    const [min, max] = ['min', 'max'].map((stat) => submit.find((s) => s.labels.statistic === stat)?.value ?? NaN);
    assert.ok((min as number) <= median && median <= (max as number), 'step_duration is the median of the users');
    const lastSuccess = samplesOf(fams, METRICS.journeyLastSuccess.name).filter((s) => s.labels.env === 'local' && s.labels.job === USERSIM_LAST_SUCCESS_JOB);
    assert.deepEqual(lastSuccess.map((s) => s.labels.journey), ['login'], 'a last success only where every user passed');
    for (const f of fams) for (const s of f.samples) assert.ok(!('user' in s.labels), `${f.name}: never a user label`);

    // The summary table on stdout.
    assert.match(r.stdout, /^journey\s+step\s+result\s+users ok\s+median s\s+max s$/m);
    assert.match(r.stdout, /^login\s+submit_credentials\s+ok\s+2\/2\s+[\d.]+\s+[\d.]+$/m);
    assert.match(r.stdout, /^login\s+\(journey\)\s+passed\s+2\/2/m);
    assert.match(r.stdout, /^search\s+submit_search\s+FAILED \(http_5xx\)\s+0\/2/m);
    assert.match(r.stdout, /^search\s+\(journey\)\s+FAILED\s+0\/2/m);
    // each failed user's failure line names the user and the step (src/results/failure.ts)
    assert.match(r.stdout, /^search user 1 › submit_search: search failed: \/search\/find answered 500$/m);
    assert.match(r.stdout, /^search user 2 › submit_search: search failed: \/search\/find answered 500$/m);

    // The report: every user's run.
    const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as { users: number; journeys: JourneyResult[] };
    assert.equal(report.users, 2);
    assert.deepEqual(report.journeys.map((j) => `${j.journey}/${j.user}/${j.status}`).sort(), ['login/1/passed', 'login/2/passed', 'search/1/failed', 'search/2/failed']);
    assert.match(readFileSync(join(reportDir, 'report.html'), 'utf8'), /id="journey-search-user-2"/);

    // Progress on a pipe: plain lines, one per finished journey run.
    assert.ok(!r.stderr.includes(ESC), 'no escape sequences when stderr is not a terminal');
    assert.ok(!r.stderr.includes('\r'), 'no carriage returns when stderr is not a terminal');
    assert.match(r.stderr, /^2 concurrent users, 4 journey runs$/m);
    for (const who of ['login user 1 passed', 'login user 2 passed', 'search user 1 failed', 'search user 2 failed']) assert.match(r.stderr, new RegExp(`[✓✗] ${who} .* journey runs done`), who);
    assert.match(r.stderr, /^finished — 4\/4 journey runs done: 2 passed, 2 failed, 0 running/m);
  });

  it('refuses more users than the machine allows, naming the bound', async () => {
    const r = await runCli(['--env', 'local', '--journeys', 'search', '--users', String(usersBound() + 1), '--dry-run']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`limit of ${usersBound()}\\b.*--users-max-override`));
  });
});
