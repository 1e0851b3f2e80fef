/**
 * The failure taxonomy through the real CLI on the replica (src/results/error-class.ts): each fault
 * yields its class, in the summary table, --json, the report and the pushed metric
 * `perfpulse_usersim_journey_failures_count{error_class}`, and every declared step appears with its
 * outcome (`perfpulse_usersim_step_outcome`), the steps after the failure as not_reached.
 *   hang (GET /ac/whoami never answers)        → timeout     (login › see_user_menu)
 *   missing element (the storage page is wrong) → selector    (storage › open_storage_ui)
 *   500 on POST /search/find                    → http_5xx    (search › submit_search)
 *   a bad password                              → auth        (login › submit_credentials)
 *   a refused connection (nothing listening)    → navigation  (search › open_search_page)
 * Then the classifier's rules on recorded evidence that no replica fault produces.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { freePort } from '../src/net.ts';
import { METRICS } from '../src/metrics/catalog.ts';
import type { Family } from '../src/metrics/parse.ts';
import type { Report } from '../src/report/report.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { ERROR_CLASSES, classifyFailure, journeyErrorClass } from '../src/results/error-class.ts';
import type { JourneyResult } from '../src/results/results.ts';
import { stepVerdicts } from '../src/results/verdicts.ts';
import { journeySteps } from '../src/runtime/runner/declarations.ts';
import { withGateway } from './support/gateway.ts';
import { gatewayFamilies, runCli, tmpDir, type CliResult } from './support/helpers.ts';

interface JsonStep {
  step: string;
  outcome: string;
  ok: boolean | null;
  seconds: number | null;
  errorClass?: string;
}
interface JsonDoc {
  journeys: Array<{ journey: string; status: string; errorClass?: string; steps: JsonStep[] }>;
}

interface Ran {
  r: CliResult;
  doc: JsonDoc;
  report: Report;
  families: Family[];
}

/** Runs the CLI with --json and --report, pushing to a real Pushgateway, and reads back what it holds. */
async function run(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  const reportDir = tmpDir('perfpulse-class-report-');
  return withGateway(async (gw) => {
    const r = await runCli([...args, '--only', 'journeys', '--json', '--report', reportDir, '--output', tmpDir('perfpulse-class-out-'), '--pushgateway', gw.url], env, 300_000);
    assert.ok(r.stdout.trim(), `a JSON document on stdout; stderr:\n${r.stderr}`);
    return {
      r,
      doc: JSON.parse(r.stdout) as JsonDoc,
      report: JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as Report,
      families: await gatewayFamilies(gw.url),
    };
  });
}

const samples = (ran: Ran, name: string) => ran.families.find((f) => f.name === name)?.samples ?? [];

/** The failed step and its class everywhere: table, --json, report, metrics; and every declared step with its outcome. */
async function checkClass(ran: Ran, journey: string, step: string, cls: string): Promise<void> {
  const { r, doc, report } = ran;
  assert.equal(r.code, 1, r.stderr);
  // the summary table (on stderr with --json)
  assert.match(r.stderr, new RegExp(`^${journey}\\s+${step}\\s+FAILED \\(${cls}\\)\\s+\\d+\\.\\d{3}$`, 'm'), `table row of ${journey} › ${step} in\n${r.stderr}`);
  // --json
  const j = doc.journeys.find((x) => x.journey === journey);
  assert.equal(j?.errorClass, cls, `--json errorClass of ${journey}`);
  const declared = (await journeySteps(journey)) // it may become async when journeys declare their steps
    .filter((s) => !s.optionalOn)
    .map((s) => s.name);
  assert.deepEqual(j?.steps.map((s) => s.step), declared, 'every declared step, in order');
  const at = declared.indexOf(step);
  j?.steps.forEach((s, i) => {
    const want = i < at ? 'passed' : i === at ? 'failed' : 'not_reached';
    assert.equal(s.outcome, want, `${journey} › ${s.step}`);
    if (want === 'not_reached') {
      assert.equal(s.ok, null);
      assert.equal(s.seconds, null);
      assert.match(r.stderr, new RegExp(`^${journey}\\s+${s.step}\\s+not reached\\s+-$`, 'm'));
    }
  });
  assert.equal(j?.steps[at]?.errorClass, cls);
  // the report
  const rj = report.journeys.find((x) => x.journey === journey);
  assert.equal(rj?.errorClass, cls, 'report.json errorClass');
  assert.deepEqual(
    rj?.outcomes.map((o) => o.outcome),
    j?.steps.map((s) => s.outcome),
  );
  // the pushed metrics: the class as a label of the failure count, each declared step's outcome
  const failures = samples(ran, METRICS.journeyFailures.name).filter((s) => s.labels.journey === journey);
  assert.deepEqual(
    failures.map((s) => [s.labels.error_class, s.value]),
    [[cls, 1]],
  );
  const outcomes = samples(ran, METRICS.stepOutcome.name).filter((s) => s.labels.journey === journey);
  assert.deepEqual(
    outcomes.map((s) => [s.labels.step, s.labels.outcome, s.value]).sort(),
    (j?.steps ?? []).map((s) => [s.step, s.outcome, 1]).sort(),
  );
  // the message never becomes a label
  for (const f of ran.families) for (const s of f.samples) for (const v of Object.values(s.labels)) assert.ok(!/ › |waited|answered/.test(v), `${f.name} label ${v}`);
}

describe('error classes of the replica faults, through the real CLI', () => {
  it('a hang is a timeout and a missing element a selector failure', async () => {
    const ran = await run(['--env', 'local', '--journeys', 'login,storage', '--replica-fault', 'GET /ac/whoami=hang', '--replica-fault', 'GET /storage/list/=wrongpage']);
    await checkClass(ran, 'login', 'see_user_menu', 'timeout');
    await checkClass(ran, 'storage', 'open_storage_ui', 'selector');
    // the evidence behind the timeout: whoami was still unanswered when the step gave up
    const step = ran.report.journeys.find((j) => j.journey === 'login')?.steps.find((s) => s.name === 'see_user_menu');
    assert.deepEqual(
      step?.network?.hung?.map((h) => [h.method, h.page]),
      [['GET', 'ac_whoami']],
    );
    assert.ok((step?.network?.hung?.[0]?.openMs ?? 0) >= 5000);
  });

  it('a 500 on POST /search/find is http_5xx and a bad password auth', async () => {
    const ran = await run(['--env', 'local', '--journeys', 'login,search', '--replica-fault', 'POST /search/find=status:500'], {
      PERFPULSE_USERNAME: DEMO_USER.username,
      PERFPULSE_PASSWORD: 'not-the-password',
    });
    await checkClass(ran, 'search', 'submit_search', 'http_5xx');
    await checkClass(ran, 'login', 'submit_credentials', 'auth');
    const evidence = (journey: string) => ran.report.journeys.find((j) => j.journey === journey)?.steps.find((s) => !s.ok)?.network?.errors?.map((e) => [e.method, e.page, e.status]);
    // caom2ui takes a failed /search/find's body as the URL of an error VOTable and fetches it
    // (the replica's search page does the same): that follow-up GET answers 404 and may or may not
    // land before the step has ended on the 500, so it is allowed after the 500, never before or instead
    const [first, ...rest] = evidence('search') ?? [];
    assert.deepEqual(first, ['POST', 'search_find', 500]);
    for (const e of rest) assert.deepEqual(e, ['GET', 'en_search', 404], 'only the page\'s own follow-up of the 500');
    assert.deepEqual(evidence('login'), [['POST', 'access_login', 401]]);
    for (const text of [ran.r.stdout, ran.r.stderr, JSON.stringify(ran.report)]) assert.ok(!text.includes('not-the-password'));
  });

  it('a refused connection is navigation', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`; // nothing listens there
    const profile = join(tmpDir(), 'refused.yaml');
    writeFileSync(profile, `name: refused\nurls:\n${['www', 'canfar', 'ws_cadc', 'ws', 'ws_uv'].map((r) => `  ${r}: ${closed}`).join('\n')}\n`);
    const ran = await run(['--env', profile, '--journeys', 'search']);
    await checkClass(ran, 'search', 'open_search_page', 'navigation');
    assert.match(ran.r.stderr, /net::ERR_CONNECTION_REFUSED/);
  });
});

describe('error classes from recorded evidence', () => {
  const journey = (over: Partial<JourneyResult>): JourneyResult => ({ journey: 'search', status: 'failed', startedAtMs: 0, steps: [], ...over });
  const failed = (over: Partial<JourneyResult['steps'][number]>) => ({ name: 'submit_search', durationMs: 10, startedAtMs: 0, ok: false, ...over });

  it('the page\'s answers decide before the shape of the error: 5xx anywhere, 401/403 and 4xx only for a document or a submit', () => {
    const seen = { failure: { expected: 'visible', locator: "locator('#x')", seen: 'element(s) not found, waited 1 s', waitedMs: 1000 } };
    const withErrors = (errors: Array<{ method: string; type: string; status: number }>) =>
      classifyFailure({ ...seen, network: { errors: errors.map((e) => ({ ...e, page: 'p' })) }, status: 'failed', inStep: true });
    assert.equal(withErrors([{ method: 'GET', type: 'xhr', status: 503 }]), 'http_5xx');
    assert.equal(withErrors([{ method: 'POST', type: 'fetch', status: 403 }]), 'auth');
    assert.equal(withErrors([{ method: 'GET', type: 'document', status: 401 }]), 'auth');
    assert.equal(withErrors([{ method: 'GET', type: 'document', status: 404 }]), 'http_4xx');
    // an anonymous page's whoami answering 401, a stray 404 of a GET: not what failed
    assert.equal(withErrors([{ method: 'GET', type: 'xhr', status: 401 }]), 'selector');
    assert.equal(withErrors([{ method: 'GET', type: 'fetch', status: 404 }]), 'selector');
  });

  it('a hung request turns a wait for an element into a timeout; the journey\'s own errors and download checks have theirs', () => {
    const wait = { failure: { expected: 'visible', locator: "locator('#x')", seen: 'hidden, waited 15 s', waitedMs: 15000 }, status: 'failed' as const, inStep: true };
    assert.equal(classifyFailure(wait), 'selector');
    assert.equal(classifyFailure({ ...wait, network: { hung: [{ method: 'GET', page: 'ac_whoami', type: 'fetch', openMs: 15000 }] } }), 'timeout');
    const own = (seen: string) => classifyFailure({ failure: { seen }, status: 'failed', inStep: true });
    assert.equal(own('download of /data/pub/X is 10 bytes, Content-Length said 12'), 'download');
    assert.equal(own('download of /data/pub/X does not match its Digest'), 'download');
    assert.equal(own('download of /data/pub/X failed: canceled'), 'download');
    assert.equal(own('download of /data/pub/X failed: 503 Service Unavailable'), 'http_5xx');
    assert.equal(own('download of /data/pub/X: no answer within 300 s'), 'timeout');
    assert.equal(own('token login refused: POST /ac/login answered 401'), 'auth');
    assert.equal(own('session list failed: GET /science-portal/api/sessions answered 404'), 'http_4xx');
    assert.equal(own('the portal sent session name "a", not the one typed ("b")'), 'assertion');
    assert.equal(own("TypeError: Cannot read properties of undefined (reading 'x')"), 'harness');
    assert.equal(classifyFailure({ line: 'login: login for the other journeys refused (401)', status: 'failed', inStep: false }), 'auth');
    assert.equal(classifyFailure({ line: 'login: something broke in a fixture', status: 'failed', inStep: false }), 'harness');
    // the browser process gone: Playwright attaches its logs to the closed-target error (test/faults-process.test.ts kills it for real)
    const closed = 'Error: locator.click: Target page, context or browser has been closed';
    const at = { failure: { seen: 'Target page, context or browser has been closed' }, status: 'failed' as const, inStep: true };
    assert.equal(classifyFailure({ ...at, raw: `${closed}\nBrowser logs:\n\n<launching> /usr/bin/chromium --headless\n<launched> pid=1\nCall log:\n  - performing click action` }), 'browser_crashed');
    assert.equal(classifyFailure({ ...at, raw: closed }), 'harness', 'closed by our own code: no browser logs');
    assert.equal(classifyFailure({ ...at, raw: 'Error: page.goto: Page crashed' }), 'browser_crashed');
  });

  it('interrupted wins; passed and skipped journeys have no class; not_reached follows the declaration', () => {
    assert.equal(journeyErrorClass(journey({ status: 'interrupted', steps: [failed({ error: 'x' })] })), 'interrupted');
    assert.equal(journeyErrorClass(journey({ status: 'passed' })), undefined);
    assert.equal(journeyErrorClass(journey({ status: 'skipped', error: 'search: no credentials' })), undefined);
    const j = journey({ declaredSteps: ['open_search_page', 'fill_form', 'submit_search', 'extra'], steps: [{ name: 'open_search_page', durationMs: 1, startedAtMs: 0, ok: true }, failed({ name: 'fill_form', failure: { seen: 'x answered 502' } })] });
    assert.deepEqual(
      stepVerdicts(j).map((v) => [v.step, v.outcome, v.errorClass ?? null]),
      [
        ['open_search_page', 'passed', null],
        ['fill_form', 'failed', 'http_5xx'],
        ['submit_search', 'not_reached', null],
        ['extra', 'not_reached', null],
      ],
    );
    assert.equal(ERROR_CLASSES.length, 11);
  });
});
