/**
 * The run's loop (--count/--sleep), machine output (--json), sharding (--shard, an Indexed Job's
 * JOB_COMPLETION_INDEX), the `journeys` listing with steps, and that every command's --help
 * teaches with examples. The real CLI, real Chromium on the bundled replica, real Pushgateways.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ExitCode } from '../src/errors.ts';
import { worstExit, parseLoop } from '../src/cli/loop.ts';
import { parseShardSpec, resolveShard, shardJourneys } from '../src/cli/shard.ts';
import { METRICS, USERSIM_JOB } from '../src/metrics/catalog.ts';
import { parseExposition, samplesOf } from '../src/metrics/parse.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { journeySteps } from '../src/runtime/runner/declarations.ts';
import { PROJECT_ROOT, availableJourneys } from '../src/runtime/runner/journeys.ts';
import { parse } from 'yaml';
import { gatewayFamilies, runCli, tmpDir } from './support/helpers.ts';
import { suiteGateway } from './support/gateway.ts';

/** What a real --launch-sessions run of every journey pushes (test/journeys.test.ts proves it). */
const LOGIN_STEPS = ['open_login_page', 'submit_credentials', 'see_user_menu', 'token_login'];
const STEPS: Record<string, string[]> = {
  download: ['request_file', 'receive_file', 'open_results', 'open_download_manager'],
  login: LOGIN_STEPS,
  science_portal: ['open_portal', 'log_in', 'list_sessions', 'launch_session', 'wait_running', 'delete_session'],
  search: ['open_search_page', 'fill_form', 'submit_search'],
  storage: ['open_storage_ui', 'list_home_folder'],
};
const LAUNCH_ONLY = ['launch_session', 'wait_running', 'delete_session'];

interface JsonStep {
  step: string;
  ok: boolean;
  seconds: number | null;
}
interface JsonDoc {
  iteration: number;
  iterations: number | null;
  env: string;
  shard: string | null;
  journeys: Array<{ journey: string; status: string; seconds: number | null; steps: JsonStep[] }>;
  delivery: { pushgateway: string; local: boolean; pushes: Array<{ journey: string; delivered: boolean; url: string; spooled: boolean }>; held?: Record<string, number> } | null;
  probes: { failures: number; pushes: Array<{ where: string; delivered: boolean }> } | null;
  exitCode: number;
  startedAt: string;
  finishedAt: string;
}

/** stdout of --json: one document per line, nothing else, no ANSI, no password. */
function jsonLines(stdout: string): JsonDoc[] {
  assert.ok(!stdout.includes('\u001b'), 'no ANSI escapes on stdout');
  assert.ok(!stdout.includes(DEMO_USER.password), 'no password on stdout');
  const lines = stdout.split('\n').filter((l) => l !== '');
  return lines.map((l) => JSON.parse(l) as JsonDoc);
}

const count = (text: string, re: RegExp) => (text.match(new RegExp(re.source, 'g')) ?? []).length;

describe('sharding: every journey in exactly one shard', () => {
  it('--shard i/n is 1-based; a bad spec is bad input', () => {
    assert.deepEqual(parseShardSpec('1/4'), { index: 1, count: 4 });
    assert.deepEqual(parseShardSpec('4/4'), { index: 4, count: 4 });
    for (const bad of ['0/3', '4/3', 'x/y', '1/0', '3', '-1/3', '1.5/3', '1/3/4', '']) {
      assert.throws(() => parseShardSpec(bad), (e: Error & { exitCode?: number }) => e.exitCode === ExitCode.badInput, bad);
    }
  });

  it('the shards of any count partition the selection, whatever order --journeys lists it in', () => {
    const all = availableJourneys();
    for (let n = 1; n <= all.length + 2; n++) {
      const forward = Array.from({ length: n }, (_, i) => shardJourneys(all, { index: i + 1, count: n }));
      const backward = Array.from({ length: n }, (_, i) => shardJourneys([...all].reverse(), { index: i + 1, count: n }));
      assert.deepEqual(forward.flat().sort(), [...all].sort(), `${n} shards cover every journey once`);
      assert.deepEqual(backward.map((s) => [...s].sort()), forward.map((s) => [...s].sort()), `${n} shards: same split for any order`);
      if (n > all.length) assert.ok(forward.some((s) => s.length === 0), 'more shards than journeys leaves some empty');
    }
    assert.deepEqual(shardJourneys(['search', 'login', 'storage'], { index: 1, count: 2 }), ['login', 'storage'], 'kept in the order selected');
  });

  it('from an Indexed Job: JOB_COMPLETION_INDEX (0-based) + count; half a setting', () => {
    const notes: string[] = [];
    const note = (l: string) => notes.push(l);
    assert.deepEqual(resolveShard({}, { JOB_COMPLETION_INDEX: '0', PERFPULSE_SHARD_COUNT: '4' }, note), { index: 1, count: 4 });
    assert.deepEqual(resolveShard({ shardCount: '3' }, { JOB_COMPLETION_INDEX: '2', PERFPULSE_SHARD_COUNT: '4' }, note), { index: 3, count: 3 }, 'the flag wins');
    assert.deepEqual(resolveShard({ shard: '2/5' }, { JOB_COMPLETION_INDEX: '0', PERFPULSE_SHARD_COUNT: '4' }, note), { index: 2, count: 5 }, '--shard wins');
    assert.deepEqual(notes, []);
    assert.equal(resolveShard({}, { JOB_COMPLETION_INDEX: '1' }, note), undefined);
    assert.match(notes.pop() ?? '', /JOB_COMPLETION_INDEX=1 ignored/);
    assert.equal(resolveShard({}, { PERFPULSE_SHARD_COUNT: '4' }, note), undefined);
    assert.match(notes.pop() ?? '', /PERFPULSE_SHARD_COUNT=4 ignored/);
    const bad = (e: Error & { exitCode?: number }) => e.exitCode === ExitCode.badInput;
    assert.throws(() => resolveShard({ shardCount: '4' }, {}, note), bad, '--shard-count without an index');
    assert.throws(() => resolveShard({}, { JOB_COMPLETION_INDEX: '4', PERFPULSE_SHARD_COUNT: '4' }, note), bad, 'index beyond the count');
    assert.throws(() => resolveShard({}, { JOB_COMPLETION_INDEX: 'x', PERFPULSE_SHARD_COUNT: '4' }, note), bad);
    assert.throws(() => resolveShard({ shardCount: '0' }, { JOB_COMPLETION_INDEX: '0' }, note), bad, 'count 0');
    assert.throws(() => resolveShard({ shard: '1/2', shardCount: '2' }, {}, note), bad, 'both flags');
  });

  it('deploy/k8s/campaign-job.yaml: its pods, shard by shard, measure every journey exactly once', () => {
    const job = parse(readFileSync(join(PROJECT_ROOT, 'deploy', 'k8s', 'campaign-job.yaml'), 'utf8')) as {
      spec: { completions: number; template: { spec: { containers: Array<{ args: string[]; env: Array<{ name: string; value?: string }> }> } } };
    };
    const container = job.spec.template.spec.containers[0];
    assert.ok(container && !container.args.some((a) => a.startsWith('--shard')), 'the pods take their shard from the environment');
    const env = Object.fromEntries(container.env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value as string]));
    const all = availableJourneys();
    const perPod = Array.from({ length: job.spec.completions }, (_, i) => {
      const shard = resolveShard({}, { ...env, JOB_COMPLETION_INDEX: String(i) }, () => assert.fail('no note for a complete setting'));
      assert.ok(shard);
      return shardJourneys(all, shard);
    });
    assert.deepEqual(perPod.flat().sort(), [...all].sort());
    assert.ok(perPod.every((p) => p.length > 0), `no idle pod with ${all.length} journeys: ${JSON.stringify(perPod)}`);
  });

  it('a shard of an Indexed Job runs only its journeys, with the steps `journeys` lists', async () => {
    // sorted [login, search] over 2 shards: index 0 → shard 1/2 → login
    const r = await runCli(['--env', 'local', '--journeys', 'search,login', '--dry-run'], { JOB_COMPLETION_INDEX: '0', PERFPULSE_SHARD_COUNT: '2' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /shard 1\/2: login and the probes, of 2 selected journeys/);
    const steps = samplesOf(parseExposition(r.stdout), METRICS.stepDuration.name);
    assert.deepEqual([...new Set(steps.map((s) => s.labels.journey))], ['login'], 'search belongs to shard 2');
    assert.deepEqual(
      steps.map((s) => s.labels.step),
      (await journeySteps('login')).map((s) => s.name),
      'the steps login declares, which `journeys` lists, are the steps a real run reports, in order',
    );
  });

  it('a shard left without journeys (nor probes) says so and exits 0 without starting anything', async () => {
    const r = await runCli(['--env', 'local', '--journeys', 'login', '--json'], { JOB_COMPLETION_INDEX: '1', PERFPULSE_SHARD_COUNT: '2' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /shard 2\/2: nothing to run, exiting 0/);
    assert.doesNotMatch(r.stderr, /replica: serving|pushgateway: started/);
    const [doc, ...rest] = jsonLines(r.stdout);
    assert.equal(rest.length, 0);
    assert.equal(doc?.shard, '2/2');
    assert.deepEqual(doc?.journeys, []);
    assert.equal(doc?.exitCode, 0);
  });
});

describe('bad loop, shard and output flags: exit 2, one line', () => {
  // the unit tests above and below go through every bad value; these prove the CLI's wiring
  const cases: Array<[string, string[], Record<string, string>]> = [
    ['--shard 4/3', ['--shard', '4/3'], {}],
    ['JOB_COMPLETION_INDEX beyond PERFPULSE_SHARD_COUNT', [], { JOB_COMPLETION_INDEX: '3', PERFPULSE_SHARD_COUNT: '3' }],
    ['--count 0', ['--count', '0'], {}],
    ['--json with --dry-run', ['--json', '--dry-run'], {}],
  ];
  for (const [what, args, env] of cases) {
    it(what, async () => {
      const r = await runCli(['--env', 'local', '--journeys', 'login', ...args], env);
      assert.equal(r.code, ExitCode.badInput, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line, got:\n${r.stderr}`);
      assert.equal(r.stdout, '');
    });
  }
});

describe('--count/--sleep loop with --json', () => {
  it('two iterations on one replica and one local gateway; the exit code is the worst iteration', async () => {
    // Iteration 1 fails at token_login (a fault on POST /ac/login); the fault is cleared during the
    // pause, so iteration 2 passes. Expected: exit 1, JSON exit codes [1, 0].
    let replica = '';
    let cleared = false;
    const r = await runCli(
      ['--env', 'local', '--journeys', 'login', '--count', '2', '--sleep', '8', '--json', '--replica-fault', 'POST /ac/login=status:500'],
      {},
      240_000,
      (c) => {
        let err = '';
        c.stderr?.on('data', (d: Buffer) => {
          err += d.toString();
          replica ||= /replica: serving the CADC portal on (\S+)/.exec(err)?.[1] ?? '';
          if (!cleared && replica && /iteration 1 ended/.test(err)) {
            cleared = true;
            void fetch(`${replica}/__replica/faults`, { method: 'PUT', body: '{}' });
          }
        });
      },
    );
    assert.ok(cleared, `the fault was cleared between the iterations:\n${r.stderr}`);
    assert.equal(r.code, ExitCode.journeyFailed, r.stderr);
    assert.equal(count(r.stderr, /replica: serving the CADC portal/), 1, 'one replica for the loop');
    assert.equal(count(r.stderr, /pushgateway: started/), 1, 'one local gateway for the loop');
    assert.match(r.stderr, /iteration 1\/2[\s\S]*iteration 2\/2[\s\S]*loop ended: exit code 1/);
    assert.match(r.stderr, /journey\s+step\s+result\s+seconds/, 'the table goes to stderr with --json');

    const docs = jsonLines(r.stdout);
    assert.deepEqual(docs.map((d) => [d.iteration, d.iterations, d.exitCode]), [[1, 2, 1], [2, 2, 0]]);
    const [first, second] = docs as [JsonDoc, JsonDoc];
    assert.equal(first.journeys[0]?.status, 'failed');
    assert.deepEqual(first.journeys[0]?.steps.map((s) => [s.step, s.ok]), [['open_login_page', true], ['submit_credentials', true], ['see_user_menu', true], ['token_login', false]]);
    assert.equal(second.journeys[0]?.status, 'passed');
    assert.deepEqual(second.journeys[0]?.steps.map((s) => s.step), LOGIN_STEPS);
    for (const d of docs) {
      assert.equal(d.env, 'local');
      assert.equal(d.shard, null);
      assert.ok(d.journeys[0]?.steps.every((s) => typeof s.seconds === 'number' && s.seconds > 0), 'steps in seconds');
      assert.equal(d.delivery?.local, true);
      assert.equal(d.delivery?.pushgateway, first.delivery?.pushgateway, 'the same gateway both times');
      assert.deepEqual(d.delivery?.pushes.map((p) => [p.journey, p.delivered, p.spooled]), [['login', true, false]]);
      assert.match(d.delivery?.pushes[0]?.url ?? '', new RegExp(`/metrics/job/${USERSIM_JOB}/env/local/journey/login$`));
      assert.deepEqual(d.delivery?.held, { login: 4 }, 'the local gateway held the iteration’s steps');
      assert.ok(Date.parse(d.startedAt) <= Date.parse(d.finishedAt));
    }
    assert.ok(Date.parse(first.finishedAt) <= Date.parse(second.startedAt), 'iterations one after the other');
    assert.ok((first.probes?.failures ?? 0) > 0, 'the fault also failed the token_login probe of iteration 1');
    assert.equal(second.probes?.failures, 0);
  });

  describe('a signal during --sleep', () => {
    const gw = suiteGateway();

    it('ends a --count -1 loop at once: exit 4, the finished iteration delivered', async () => {
      let signalled = false;
      const r = await runCli(
        ['--env', 'local', '--journeys', 'login', '--only', 'journeys', '--count', '-1', '--sleep', '600', '--json', '--pushgateway', gw.url, '--spool-dir', tmpDir('perfpulse-spool-')],
        {},
        180_000, // far below the 600 s pause: only an immediate end passes
        (c) => {
          let err = '';
          c.stderr?.on('data', (d: Buffer) => {
            err += d.toString();
            if (!signalled && /next in 600 s/.test(err)) {
              signalled = true;
              c.kill('SIGTERM');
            }
          });
        },
      );
      assert.ok(signalled, r.stderr);
      assert.equal(r.code, ExitCode.aborted, r.stderr);
      assert.match(r.stderr, /iteration 1 \(until stopped\)/);
      assert.match(r.stderr, /received SIGTERM between iterations/);
      assert.doesNotMatch(r.stderr, /iteration 2/);
      const docs = jsonLines(r.stdout);
      assert.deepEqual(docs.map((d) => [d.iteration, d.iterations, d.exitCode]), [[1, null, 0]]);
      const doc = docs[0] as JsonDoc;
      assert.equal(doc.delivery?.local, false);
      assert.equal(doc.delivery?.pushgateway, gw.url);
      assert.equal(doc.probes, null, '--only journeys');

      const fams = await gatewayFamilies(gw.url);
      const mine = (name: string) => samplesOf(fams, name).filter((s) => s.labels.env === 'local' && s.labels.journey === 'login');
      assert.deepEqual(mine(METRICS.stepDuration.name).map((s) => s.labels.step).sort(), [...LOGIN_STEPS].sort());
      const stamp = mine(METRICS.journeyRunTimestamp.name)[0]?.value ?? 0;
      assert.ok(stamp * 1000 >= Date.parse(doc.startedAt) - 1000 && stamp * 1000 <= Date.parse(doc.finishedAt), 'the gateway holds iteration 1');
    });
  });

  it('--count and --sleep are validated', () => {
    assert.deepEqual(parseLoop({ count: '-1', sleep: '0' }), { count: -1, sleepMs: 0 });
    assert.deepEqual(parseLoop({ count: '3', sleep: '1.5' }), { count: 3, sleepMs: 1500 });
    for (const bad of [{ count: '0' }, { count: '-2' }, { count: '1.5' }, { count: 'x' }, { sleep: '-1' }, { sleep: '' }]) {
      assert.throws(() => parseLoop(bad), (e: Error & { exitCode?: number }) => e.exitCode === ExitCode.badInput, JSON.stringify(bad));
    }
  });

  it('the worst iteration wins: 4 over 3 over 1 over 0', () => {
    const { ok, journeyFailed, notDelivered, aborted } = ExitCode;
    const worst = (...codes: ExitCode[]) => codes.reduce<ExitCode | undefined>((w, c) => worstExit(w, c), undefined);
    assert.equal(worst(ok, journeyFailed, ok), journeyFailed);
    assert.equal(worst(journeyFailed, notDelivered, ok), notDelivered);
    assert.equal(worst(notDelivered, aborted), aborted);
    assert.equal(worst(aborted, ok), aborted);
    assert.equal(worst(ok, ok), ok);
  });
});

describe('perfpulse-journeys journeys', () => {
  it('lists every journey with its steps; the launch steps only with --launch-sessions', async () => {
    const r = await runCli(['journeys', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const listed = JSON.parse(r.stdout) as Array<{ journey: string; steps: Array<{ step: string; optional: boolean; when?: string }> }>;
    assert.deepEqual(Object.fromEntries(listed.map((j) => [j.journey, j.steps.map((s) => s.step)])), STEPS);
    for (const j of listed) {
      for (const s of j.steps) {
        const launchOnly = j.journey === 'science_portal' && LAUNCH_ONLY.includes(s.step);
        assert.equal(s.optional, launchOnly, `${j.journey}/${s.step} optional`);
        assert.equal(s.when, launchOnly ? '--launch-sessions' : undefined);
      }
    }
    const text = await runCli(['journeys']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^login  \(built-in\)\n {2}open_login_page\n {2}submit_credentials\n/m);
    assert.match(text.stdout, /^ {2}launch_session\s+only with --launch-sessions$/m);
    assert.match(text.stdout, /^ {2}list_sessions$/m);
  });
});

describe('--help of every command teaches with examples', () => {
  it('walks the command tree from the top: each command has an Examples: section', async () => {
    const seen: string[] = [];
    const queue: string[][] = [[]];
    while (queue.length) {
      const path = queue.shift() as string[];
      const r = await runCli([...path, '--help']);
      const name = ['perfpulse-journeys', ...path].join(' ');
      assert.equal(r.code, 0, `${name} --help: ${r.stderr}`);
      seen.push(path.join(' '));
      assert.match(r.stdout, /\nExamples:\n(\s+\$ perfpulse-journeys.*\n)/, `${name} --help has an Examples: section with a command line`);
      const commands = /\nCommands:\n([\s\S]*?)(\n\n|$)/.exec(r.stdout)?.[1] ?? '';
      for (const line of commands.split('\n')) {
        const sub = /^ {2}([a-z][\w-]*)/.exec(line)?.[1];
        if (sub && sub !== 'help') queue.push([...path, sub]);
      }
    }
    for (const known of ['', 'run', 'envs', 'journeys', 'push', 'probe', 'probe k8s', 'probe http', 'metrics', 'metrics lint']) {
      assert.ok(seen.includes(known), `walked "${known}" (walked: ${seen.join(' | ')})`);
    }
  });
});
