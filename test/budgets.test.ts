/**
 * Budgets (--budgets <file>, budgets: in an env profile; src/config/budgets.ts, src/results/budgets.ts,
 * src/cli/budgets.ts) through the real CLI on the replica: a step over its fail budget with
 * --fail-on-budget ends with the budget exit code (7) and shows in the pushed metrics (the verdict,
 * and the limits as gauges), the table, --json, the report and JUnit; without --fail-on-budget the
 * same breach is reported, not fatal; --dry-run checks budgets too. Mistakes in a budgets file are one
 * line and exit 2, unknown journeys and steps among them (from the journeys' declarations).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseBudgets } from '../src/config/budgets.ts';
import { ExitCode } from '../src/errors.ts';
import { METRICS } from '../src/metrics/catalog.ts';
import { parseExposition } from '../src/metrics/parse.ts';
import type { Report } from '../src/report/report.ts';
import { worstExit } from '../src/cli/loop.ts';
import { checkBudgets, verdictOf } from '../src/results/budgets.ts';
import type { RunResults } from '../src/results/results.ts';
import { PROJECT_ROOT } from '../src/runtime/runner/journeys.ts';
import { withGateway } from './support/gateway.ts';
import { gatewayFamilies, runCli, tmpDir } from './support/helpers.ts';

/** A budgets file: submit_credentials can never be that fast (1 ms), open_login_page gets a generous one. */
const BUDGETS = `login:
  open_login_page: { warn: 60, fail: 120 }
  submit_credentials: { warn: 0.0005, fail: 0.001 }
  _journey: { warn: 300 }
  _pages:
    access_login: { ttfb: { fail: 60 }, cls: { warn: 0.9 } }
`;

function file(text: string, name = 'budgets.yaml'): string {
  const path = join(tmpDir('perfpulse-budgets-'), name);
  writeFileSync(path, text);
  return path;
}

describe('budgets through the real CLI on the replica', () => {
  it('a step over its fail budget with --fail-on-budget exits 7 and shows in the metrics, the table, --json, the report and JUnit', async () => {
    const reportDir = tmpDir('perfpulse-budgets-report-');
    const junit = join(tmpDir('perfpulse-budgets-junit-'), 'junit.xml');
    await withGateway(async (gw) => {
      const r = await runCli(
        ['--env', 'local', '--journeys', 'login', '--only', 'journeys', '--budgets', file(BUDGETS), '--fail-on-budget', '--json', '--report', reportDir, '--junit', junit, '--pushgateway', gw.url],
        {},
        240_000,
      );
      assert.equal(r.code, ExitCode.overBudget, r.stderr);
      // the pushed run group: the verdict of each budgeted step and the limits as gauges
      const families = await gatewayFamilies(gw.url);
      const samples = (name: string) => (families.find((f) => f.name === name)?.samples ?? []).filter((s) => s.labels.journey === 'login');
      const verdicts = Object.fromEntries(samples(METRICS.stepBudgetVerdict.name).map((s) => [s.labels.step, s.labels.verdict]));
      assert.deepEqual(verdicts, { open_login_page: 'ok', submit_credentials: 'failed' });
      const limits = samples(METRICS.stepBudget.name)
        .filter((s) => s.labels.step === 'submit_credentials')
        .map((s) => [s.labels.limit, s.value])
        .sort();
      assert.deepEqual(limits, [
        ['fail', 0.001],
        ['warn', 0.0005],
      ]);
      assert.deepEqual(samples(METRICS.journeyBudgetVerdict.name).map((s) => s.labels.verdict), ['ok']);
      assert.deepEqual(
        samples(METRICS.pageBudgetVerdict.name).map((s) => [s.labels.page, s.labels.vital, s.labels.verdict]).sort(),
        [
          ['access_login', 'cls', 'ok'],
          ['access_login', 'ttfb', 'ok'],
        ],
      );
      assert.deepEqual(samples(METRICS.pageBudgetRatio.name).map((s) => [s.labels.vital, s.labels.limit, s.value]), [['cls', 'warn', 0.9]]);
      // the journey itself passed: its success is untouched by the budget
      assert.equal(samples(METRICS.journeySuccess.name)[0]?.value, 1);
      // the table (stderr with --json) and its line
      assert.match(r.stderr, /^journey\s+step\s+result\s+seconds\s+budget$/m);
      assert.match(r.stderr, /^login\s+submit_credentials\s+ok\s+\d+\.\d{3}\s+failed$/m);
      assert.match(r.stderr, /^budget: login › submit_credentials: failed \(\d+\.\d{3} s > fail 0\.001 s\)$/m);
      // --json
      const doc = JSON.parse(r.stdout) as { exitCode: number; journeys: Array<{ steps: Array<{ step: string; budget?: { verdict: string; failSeconds: number | null } }> }>; pageBudgets: unknown[] };
      assert.equal(doc.exitCode, ExitCode.overBudget);
      assert.deepEqual(doc.journeys[0]?.steps.find((s) => s.step === 'submit_credentials')?.budget?.verdict, 'failed');
      assert.equal(doc.journeys[0]?.steps.find((s) => s.step === 'token_login')?.budget, undefined, 'no budget, no verdict');
      assert.equal(doc.pageBudgets.length, 2);
      // the report and JUnit
      const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as Report;
      assert.equal(report.journeys[0]?.budgets?.find((c) => c.step === 'submit_credentials')?.verdict, 'failed');
      const xml = readFileSync(junit, 'utf8');
      assert.match(xml, /<testcase name="submit_credentials"[^>]*>\s*<failure message="login › submit_credentials: over budget, failed \([\d.]+ s &gt; fail 0\.001 s\)" type="budget">/);
      assert.match(xml, /<testcase name="open_login_page"[^>]*>\s*<system-out>budget: ok \([\d.]+ s ≤ warn 60 s\)<\/system-out>/);
    });
  });

  it('without --fail-on-budget the breach is reported, not fatal; --dry-run checks the budgets of the env profile too', async () => {
    const local = readFileSync(join(PROJECT_ROOT, 'src/config/envs/local.yaml'), 'utf8').replace(/^name: local$/m, 'name: budgeted');
    const profile = file(`${local}\nbudgets:\n  login:\n    submit_credentials: { fail: 0.001 }\n`, 'budgeted.yaml');
    const r = await runCli(['--env', profile, '--journeys', 'login', '--only', 'journeys', '--dry-run'], {}, 240_000);
    assert.equal(r.code, ExitCode.ok, r.stderr);
    assert.match(r.stderr, /^budget: login › submit_credentials: failed /m);
    const verdict = parseExposition(r.stdout).find((f) => f.name === METRICS.stepBudgetVerdict.name)?.samples[0];
    assert.deepEqual(verdict?.labels, { env: 'budgeted', journey: 'login', step: 'submit_credentials', verdict: 'failed' });
    // --budgets replaces the profile's
    const other = await runCli(['--env', profile, '--journeys', 'login', '--only', 'journeys', '--dry-run', '--budgets', file('login:\n  token_login: { warn: 100 }\n'), '--fail-on-budget'], {}, 240_000);
    assert.equal(other.code, ExitCode.ok, other.stderr);
    assert.doesNotMatch(other.stderr, /^budget: /m);
  });
});

describe('budgets: bad input is one line, exit 2', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['an unknown journey', 'logn:\n  open_login_page: { warn: 1 }\n', /^perfpulse-journeys: budgets \S+: unknown journey "logn" \(journeys: download, login, science_portal, search, storage\)\n$/],
    ['an unknown step', 'login:\n  open_page: { warn: 1 }\n', /^perfpulse-journeys: budgets \S+: journey login has no step "open_page" \(its steps: open_login_page, submit_credentials, see_user_menu, token_login; /],
    ['an unknown key', 'login:\n  open_login_page: { wran: 1 }\n', /^perfpulse-journeys: budgets \S+: login\.open_login_page: Unrecognized key: "wran" \(known: warn, fail\)\n$/],
    ['an unknown vital', 'login:\n  _pages:\n    access_login: { lcpp: { warn: 1 } }\n', /: login\._pages\.access_login: Unrecognized key: "lcpp" \(known: ttfb, fcp, lcp, inp, cls, dom_content_loaded, load\)\n$/],
    ['warn above fail', 'login:\n  open_login_page: { warn: 3, fail: 1 }\n', /: login\.open_login_page: warn must not be above fail\n$/],
    ['no limit', 'login:\n  open_login_page: {}\n', /: login\.open_login_page: give warn, fail or both \(seconds\)\n$/],
    ['a negative limit', 'login:\n  _journey: { fail: -1 }\n', /: login\._journey\.fail: Too small/],
    ['not YAML', 'login: [unclosed\n', /^perfpulse-journeys: budgets \S+ is not valid YAML: /],
  ];
  for (const [what, text, line] of cases) {
    it(what, async () => {
      const r = await runCli(['--env', 'local', '--dry-run', '--budgets', file(text)]);
      assert.equal(r.code, ExitCode.badInput, r.stderr);
      assert.match(r.stderr, line);
      assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, 'one line');
    });
  }

  it('--fail-on-budget without budgets, and a missing file', async () => {
    const none = await runCli(['--env', 'local', '--dry-run', '--fail-on-budget']);
    assert.equal(none.code, ExitCode.badInput);
    assert.equal(none.stderr, 'perfpulse-journeys: --fail-on-budget needs budgets: give --budgets <file> or budgets: in the env profile\n');
    const missing = await runCli(['--env', 'local', '--dry-run', '--budgets', '/nonexistent/budgets.yaml']);
    assert.equal(missing.stderr, 'perfpulse-journeys: cannot read budgets /nonexistent/budgets.yaml: no such file\n');
  });
});

describe('budget verdicts from results', () => {
  it('in a loop, over budget (7) ranks above ok and below a failed journey (1)', () => {
    assert.equal(worstExit(ExitCode.ok, ExitCode.overBudget), ExitCode.overBudget);
    assert.equal(worstExit(ExitCode.overBudget, ExitCode.journeyFailed), ExitCode.journeyFailed);
    assert.equal(worstExit(ExitCode.journeyFailed, ExitCode.overBudget), ExitCode.journeyFailed);
  });

  it('over warn is degraded, over fail failed, at a limit still ok; only what was measured gets a verdict', () => {
    assert.equal(verdictOf(1, { warn: 1, fail: 2 }), 'ok');
    assert.equal(verdictOf(1.5, { warn: 1, fail: 2 }), 'degraded');
    assert.equal(verdictOf(2.5, { warn: 1, fail: 2 }), 'failed');
    assert.equal(verdictOf(2.5, { fail: 3 }), 'ok');
    const table = parseBudgets({ search: { open_search_page: { warn: 1 }, submit_search: { fail: 1 }, _journey: { fail: 1 }, _pages: { en_search: { lcp: { warn: 0.5 } } } } }, 'test');
    const results: RunResults = {
      env: 'local',
      startedAtMs: 0,
      finishedAtMs: 1,
      status: 'failed',
      users: 2,
      journeys: [1, 2].map((user) => ({
        journey: 'search',
        user,
        status: 'failed' as const,
        startedAtMs: 0,
        steps: [
          { name: 'open_search_page', durationMs: user === 1 ? 800 : 1400, startedAtMs: 0, ok: true },
          { name: 'submit_search', durationMs: 5000, startedAtMs: 0, ok: false, error: 'x' },
        ],
        measured: { pages: [{ step: 'open_search_page', page: 'en_search', lcpMs: user === 1 ? 400 : 700 }] },
      })),
    };
    // the median of the users (1.1 s) is over warn; the failed step and the failed journey get none; the page's LCP is the median of the users' worst
    assert.deepEqual(
      checkBudgets(results, table).map((c) => [c.step ?? `${c.page} ${c.vital}`, c.verdict, c.value]),
      [
        ['open_search_page', 'degraded', 1.1],
        ['en_search lcp', 'degraded', 0.55],
      ],
    );
  });
});
