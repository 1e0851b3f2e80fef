/**
 * Failure lines an operator can act on (src/results/failure.ts): `<journey> › <step>: <expected>
 * (<locator>): <seen>`. First on what Playwright 1.64 really says: every case in
 * test/support/failure-cases/cases.pw.ts fails on purpose in Chromium, and its reported error is
 * turned into a line. Then through the real CLI on the replica: an element that is not on the page
 * and a hung route, in the summary table, --json, the report and the log, with Playwright's raw
 * error still in the report and the trace, and no secret anywhere.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import type { Report } from '../src/report/report.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { ERROR_CLASSES, classifyFailure, type ErrorClass } from '../src/results/error-class.ts';
import { describeFailure, failingCall, failureLine, redactMessage, reportedFailure, type Failure } from '../src/results/failure.ts';
import type { JourneyStatus } from '../src/results/results.ts';
import { PROJECT_ROOT } from '../src/runtime/runner/journeys.ts';
import { collectFailures } from './support/failure-cases/collect.ts';
import type { CollectedCase } from './support/failure-cases/reporter.ts';
import { runCli, tmpDir } from './support/helpers.ts';

const CASES_FILE = join(PROJECT_ROOT, 'test/support/failure-cases/cases.pw.ts');
const { PASSWORD, TOKEN } = { PASSWORD: 'pw-Secret-4711', TOKEN: 'base64:ZXhwaXJ5dGltZT0xNzAwMDAwMDAwJnVzZXJpZD1kZW1v' };
const port = (s: string) => s.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT');

/** The line number of a case's `failing('<name>'` call in cases.pw.ts (+ offset). */
function caseLine(name: string, offset = 0): number {
  const lines = readFileSync(CASES_FILE, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.startsWith(`failing('${name}'`));
  assert.ok(i >= 0, `case ${name} in cases.pw.ts`);
  return i + 1 + offset;
}

describe('failure lines from real Playwright errors (Chromium)', () => {
  let cases: Record<string, CollectedCase>;
  /** What the reporters make of a case: its failed step with the test's own error, as results-reporter.ts passes them. */
  const reported = (name: string) => {
    const c = cases[name];
    assert.ok(c, `case ${name} ran`);
    const step = c.step ? { step: { ...c.step.tree, title: c.step.title, error: c.step.error } } : {};
    const got = reportedFailure(c.journey, { ...step, ...(c.testError ? { error: c.testError } : {}) }, { secrets: [PASSWORD], root: PROJECT_ROOT });
    assert.ok(got, `${name} has a failure`);
    return got;
  };
  const lineOf = (name: string): Failure => reported(name).failure;
  const rawOf = (name: string): string => reported(name).raw;

  before(async () => {
    cases = await collectFailures();
  });

  it('every case failed as it was written to', () => {
    const source = readFileSync(CASES_FILE, 'utf8');
    const names = [...source.matchAll(/^failing\('(\w+)'/gm), ...source.matchAll(/^test\('(\w+)'/gm)].map((m) => m[1] as string);
    assert.ok(names.length >= 35, `${names.length} cases`);
    for (const name of names) {
      const c = cases[name];
      assert.ok(c, `${name} reported`);
      assert.ok(['failed', 'timedOut'].includes(c.status), `${name}: ${c.status}`);
    }
  });

  it('expectations: what was expected (the custom message, else the matcher), the locator, what was seen and how long it waited', () => {
    const expected: Record<string, string> = {
      visible_missing: "visible (locator('form#loginForm')): element(s) not found, waited 1 s",
      visible_hidden: "visible (locator('li.user-authenticated span.auth-username')): hidden, waited 1 s",
      contain_text_wrong: 'text containing "Showing" (locator(\'#status\')): "Hello world", waited 1 s',
      have_text: 'text "perfpulse-demo" (locator(\'#status\')): "Hello world", waited 1 s',
      have_text_regex: 'text matching /Showing \\d+ rows/ (locator(\'#status\')): "Hello world", waited 1 s',
      enabled_custom_message: "the Search button is enabled once the page is ready (locator('button.submit-query').first()): disabled, waited 1 s",
      enabled_disabled: "enabled (getByRole('button', { name: 'Search' })): disabled, waited 1 s",
      not_empty_missing: "not empty (locator('span#login_fail')): element(s) not found, waited 1 s",
      attached_custom_message:
        "the data train fills the collection list (locator('[id=\"Observation.collection\"]').locator('option').first()): element(s) not found, waited 1 s",
      or_first: "visible (locator('a.access-actions.user-actions').or(locator('a.access-actions.login-form')).first()): element(s) not found, waited 1 s",
      label_filter: "visible (getByLabel('Target').filter({ hasText: 'M101' })): element(s) not found, waited 1 s",
      have_count: "count 1 (locator('span.grid-header-label')): 2, waited 1 s",
      have_url: 'URL matching /\\/storage\\/list\\//: "http://127.0.0.1:PORT/", waited 1 s',
      value_custom_message: 'rows in the grid: 3, expected 4',
      poll_custom_message: 'rows appear: 1, expected 2, waited 1 s',
    };
    for (const [name, tail] of Object.entries(expected)) assert.equal(port(lineOf(name).line), `${name} › the_step: ${tail}`, name);
    const parts = lineOf('enabled_custom_message');
    assert.deepEqual(
      { expected: parts.expected, locator: parts.locator, seen: parts.seen, waitedMs: parts.waitedMs },
      { expected: 'the Search button is enabled once the page is ready', locator: "locator('button.submit-query').first()", seen: 'disabled, waited 1 s', waitedMs: 1000 },
    );
  });

  it('strict-mode violations say how many elements the locator resolved to, and which, without a wait', () => {
    assert.equal(
      lineOf('contain_text_strict').line,
      "contain_text_strict › the_step: text containing \"Showing\" (locator('span.grid-header-label')): resolved to 2 elements (getByText('Showing 3 rows'), getByText('Error'))",
    );
    assert.equal(
      lineOf('click_strict').line,
      "click_strict › the_step: click (locator('span.grid-header-label')): resolved to 2 elements (getByText('Showing 3 rows'), getByText('Error'))",
    );
    assert.equal(lineOf('click_strict').waitedMs, undefined);
  });

  it('actions that time out name the action, the locator and the last state the call log shows', () => {
    const expected: Record<string, string> = {
      click_missing: "click (locator('#homeDir')): element(s) not found, waited 1 s",
      click_disabled: "click (locator('button.submit-query')): element is not enabled, waited 1 s",
      fill_missing: "fill (locator('input#username')): element(s) not found, waited 1 s",
      select_option_missing: "selectOption (locator('[id=\"Observation.collection\"]')): element(s) not found, waited 1 s",
      locator_wait_for: "visible (locator('#cadcvotv-empty-results-message')): element(s) not found, waited 1 s",
      page_closed: 'click: Target page, context or browser has been closed',
    };
    for (const [name, tail] of Object.entries(expected)) assert.equal(lineOf(name).line, `${name} › the_step: ${tail}`, name);
  });

  it('a timed-out wait names what it waited for: the URL, the request, the glob, or the journey line that waited', () => {
    const expected: Record<string, string> = {
      goto_hang: 'page loaded (http://127.0.0.1:PORT/hang/en/search/): not loaded, waited 1.5 s',
      goto_subresource_hangs: 'page loaded (http://127.0.0.1:PORT/slow-load): not loaded, waited 1.5 s',
      goto_refused: 'page loaded (http://127.0.0.1:PORT/en/search/): net::ERR_CONNECTION_REFUSED',
      // Playwright's step error only says the navigation was aborted; the test's own error says why
      goto_journey_timeout: "page loaded (http://127.0.0.1:PORT/hang/storage/list/): net::ERR_ABORTED; the journey's 2 s timeout ran out",
      api_refused: 'a response (GET http://127.0.0.1:PORT/ac/whoami): connect ECONNREFUSED 127.0.0.1:PORT',
      api_hang: 'a response (POST http://127.0.0.1:PORT/hang/ac/login): no response, waited 1 s',
      wait_for_response_glob: 'a response ("**/search/find"): none, waited 1 s',
      wait_for_response_predicate: `a response (waitForResponse at test/support/failure-cases/cases.pw.ts:${caseLine('wait_for_response_predicate')}): none, waited 1 s`,
      wait_for_url_predicate: `navigation (waitForURL at test/support/failure-cases/cases.pw.ts:${caseLine('wait_for_url_predicate')}): none, waited 1.5 s`,
      wait_for_event: `event "popup" (waitForEvent at test/support/failure-cases/cases.pw.ts:${caseLine('wait_for_event')}): none, waited 1 s`,
    };
    for (const [name, tail] of Object.entries(expected)) assert.equal(port(lineOf(name).line), `${name} › the_step: ${tail}`, name);
  });

  it("the journey's own errors stay as they are; its timeout and a failure outside every step are said as such", () => {
    assert.equal(lineOf('own_error').line, 'own_error › the_step: search failed: /search/find answered 500');
    assert.deepEqual({ ...lineOf('own_error') }, { seen: 'search failed: /search/find answered 500', line: 'own_error › the_step: search failed: /search/find answered 500' });
    assert.equal(lineOf('own_error_after_expect').line, 'own_error_after_expect › the_step: search gave no results within 60 s');
    assert.equal(lineOf('journey_timeout').line, "journey_timeout › the_step: visible (locator('table#beacon')): element(s) not found, the journey's 2 s timeout ran out");
    assert.equal(lineOf('journey_timeout_action').line, "journey_timeout_action › the_step: click (locator('#homeDir')): element(s) not found, the journey's 2 s timeout ran out");
    assert.equal(lineOf('outside_step').line, "outside_step: click (locator('#homeDir')): element(s) not found, waited 1 s");
    assert.equal(lineOf('outside_step_timeout').line, "outside_step_timeout: the journey's 1 s timeout ran out");
    assert.match(rawOf('goto_journey_timeout'), /net::ERR_ABORTED[\s\S]*\n\nTest timeout of 2000ms exceeded\.$/, 'the raw text holds both errors');
  });

  it('the raw error is Playwright\'s whole message, without colours', () => {
    const raw = rawOf('visible_missing');
    assert.match(raw, /^Error: expect\(locator\)\.toBeVisible\(\) failed\n\nLocator: locator\('form#loginForm'\)\nExpected: visible\nTimeout: 1000ms\nError: element\(s\) not found\n\nCall log:\n/);
    assert.ok(!raw.includes('\u001b'), 'no ANSI escapes');
  });

  it('every real Playwright error gets one error class from the fixed set (src/results/error-class.ts)', () => {
    const expected: Record<string, ErrorClass> = {
      visible_missing: 'selector',
      visible_hidden: 'selector',
      contain_text_wrong: 'assertion',
      contain_text_strict: 'selector',
      enabled_custom_message: 'selector',
      enabled_disabled: 'selector',
      have_text: 'assertion',
      have_text_regex: 'assertion',
      not_empty_missing: 'selector',
      attached_custom_message: 'selector',
      or_first: 'selector',
      label_filter: 'selector',
      have_count: 'assertion',
      have_url: 'assertion',
      value_custom_message: 'assertion',
      poll_custom_message: 'assertion',
      click_missing: 'selector',
      click_disabled: 'selector',
      click_strict: 'selector',
      fill_missing: 'selector',
      select_option_missing: 'selector',
      wait_for_response_predicate: 'timeout',
      wait_for_response_glob: 'timeout',
      wait_for_url_predicate: 'timeout',
      wait_for_event: 'timeout',
      locator_wait_for: 'selector',
      goto_hang: 'timeout',
      goto_subresource_hangs: 'timeout',
      goto_refused: 'navigation',
      goto_journey_timeout: 'timeout',
      api_refused: 'navigation',
      api_hang: 'timeout',
      password_value: 'assertion',
      own_error: 'http_5xx',
      own_error_after_expect: 'timeout',
      journey_timeout: 'timeout',
      journey_timeout_action: 'timeout',
      page_closed: 'harness',
      outside_step: 'selector',
      outside_step_timeout: 'timeout',
    };
    assert.deepEqual(Object.keys(expected).sort(), Object.keys(cases).sort(), 'every case has its expected class');
    const got = Object.fromEntries(
      Object.keys(expected).map((name) => {
        const { failure, raw } = reported(name);
        const { line: _line, ...parts } = failure;
        const c = cases[name] as CollectedCase;
        return [name, classifyFailure({ failure: parts, raw, status: c.status as JourneyStatus, inStep: c.step !== undefined })];
      }),
    );
    assert.deepEqual(got, expected);
    for (const c of Object.values(got)) assert.ok(ERROR_CLASSES.includes(c));
  });

  it('no password, credential header or token survives in a line or a raw error', () => {
    for (const name of Object.keys(cases)) {
      const f = lineOf(name);
      for (const text of [f.line, rawOf(name), JSON.stringify(f)]) {
        assert.ok(!text.includes(PASSWORD), `${name}: password`);
        assert.ok(!text.includes(TOKEN) && !text.includes('ZXhwaXJ5dGltZT'), `${name}: token`);
      }
    }
    // what the cases made Playwright say, so the redaction above had something to remove
    const apiRaw = cases.api_refused?.step?.error.message ?? '';
    assert.ok(apiRaw.includes(`authorization: Bearer ${TOKEN}`), 'Playwright lists the request headers in its call log');
    assert.match(rawOf('api_refused'), /- authorization: \[redacted\]$/m);
    assert.ok((cases.password_value?.step?.error.message ?? '').includes(PASSWORD), 'toHaveValue prints what the field holds');
    assert.equal(lineOf('password_value').line, 'password_value › the_step: value "" (locator(\'#password\')): "[redacted]", waited 1 s');
  });

  it('redactMessage removes header values, every encoding of a secret, and CADC tokens anywhere', () => {
    const msg = [
      'page.goto: net::ERR_FAILED at http://h/x?pw=a%2Bb%26c&token=base64%3AZXhwaXJ5dGltZT0xMjM0NTY3',
      '  - cookie: CADC_SSO="tok-abcdef-123"; other=1',
      '  - unexpected value "tok-abcdef-123 and {\\"p\\":\\"a+b&c\\"}"',
      'a+b&c / a%2Bb%26c / base64:ZXhwaXJ5dGltZT0xMjM0NTY3',
    ].join('\n');
    const out = redactMessage(msg, ['a+b&c']);
    for (const leak of ['a+b&c', 'a%2Bb%26c', 'tok-abcdef-123', 'ZXhwaXJ5dGltZT']) assert.ok(!out.includes(leak), `${leak} in ${out}`);
    assert.match(out, /- cookie: \[redacted\]/);
    assert.match(out, /base64%3A\[redacted\]/);
  });

  it('failingCall finds the innermost failed call; reportedFailure needs an error; failureLine prefixes once', () => {
    const tree = {
      category: 'test.step',
      error: true,
      steps: [
        { category: 'pw:api', location: { file: '/p/j.ts', line: 3 }, steps: [] },
        { category: 'test.step', error: true, location: { file: '/p/j.ts', line: 5 }, steps: [{ category: 'pw:api', error: true, location: { file: '/p/j.ts', line: 7 }, steps: [] }] },
      ],
    };
    assert.deepEqual(failingCall(tree), { file: '/p/j.ts', line: 7 });
    assert.equal(failingCall({ category: 'test.step', steps: [] }), undefined);
    assert.equal(reportedFailure('login', {}), undefined);
    assert.equal(describeFailure({ journey: 'login', step: 'x', error: { message: 'Error: boom\n\nmore' } }).line, 'login › x: boom');
    // the summary prints a reporter's line as it is, and prefixes anything else once
    assert.equal(failureLine('login', 'login › x: boom'), 'login › x: boom');
    assert.equal(failureLine('login', 'login: no credentials'), 'login: no credentials');
    assert.equal(failureLine('search user 2', 'boom'), 'search user 2: boom');
  });
});

/** Every file under `dir`, recursively. */
const filesUnder = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f));

describe('failure lines from the real CLI on the replica', () => {
  const out = tmpDir('perfpulse-failure-out-');
  const reportDir = tmpDir('perfpulse-failure-report-');
  let r: Awaited<ReturnType<typeof runCli>>;
  let doc: { journeys: Array<{ journey: string; status: string; error?: string; steps: Array<{ step: string; ok: boolean; error?: string; failure?: { expected: string | null; locator: string | null; seen: string; waitedSeconds: number | null } }> }> };
  let report: Report;
  let browser: Browser;
  // `(…)` holds Playwright's own short form of the locator
  const LINE = (journey: string, step: string, seen: string) => new RegExp(`^(${journey} › ${step}: (.+) \\(((?:locator|getBy\\w+)\\(.*\\))\\): (${seen}), waited \\d+ s)$`, 'm');

  before(async () => {
    // storage: the page answers, but as the login form (replica fault `wrongpage`): the element the step needs is not there.
    // login: whoami never answers (`hang`), so the page never shows the user menu the step waits for.
    r = await runCli(
      ['--env', 'local', '--journeys', 'login,storage', '--replica-fault', 'GET /storage/list/=wrongpage', '--replica-fault', 'GET /ac/whoami=hang', '--only', 'journeys', '--json', '--report', reportDir, '--output', out],
      {},
      240_000,
    );
    doc = JSON.parse(r.stdout) as typeof doc;
    report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as Report;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  });
  after(async () => {
    await browser?.close();
  });

  /** The failure line of a journey, checked in the summary table, --json, the report and the log; returns it and its locator. */
  async function everywhere(journey: string, step: string, seen: string): Promise<{ line: string; locator: string }> {
    assert.equal(r.code, 1, r.stderr);
    // the summary table (on stderr with --json), right after it
    const m = LINE(journey, step, seen).exec(r.stderr);
    assert.ok(m, `summary line for ${journey} › ${step} in:\n${r.stderr}`);
    const [, line, , locator] = m as unknown as [string, string, string, string];
    assert.match(r.stderr, new RegExp(`^${journey}\\s+${step}\\s+FAILED`, 'm'), 'the table marks the step');
    // the log: the journey's outcome line as it happens
    assert.ok(r.stderr.includes(`✗ ${journey} failed: ${line}\n`), `log line for ${journey}`);
    // --json: the journey's error, the step's error and its parts
    const j = doc.journeys.find((x) => x.journey === journey);
    assert.equal(j?.error, line);
    const s = j?.steps.find((x) => x.step === step);
    assert.equal(s?.ok, false);
    assert.equal(s?.error, line);
    assert.equal(s?.failure?.locator, locator);
    assert.ok((s?.failure?.waitedSeconds ?? 0) > 0, 'waited seconds');
    // the report: the line, and Playwright's raw error naming the same locator
    const rj = report.journeys.find((x) => x.journey === journey);
    assert.equal(rj?.error, line);
    assert.ok(rj?.rawError?.includes(locator), `raw error names ${locator}:\n${rj?.rawError}`);
    assert.match(rj?.rawError ?? '', /^Error: expect\(locator\)\.\w+\(\) failed$|^TimeoutError: locator\.\w+: Timeout \d+ms exceeded\.$|^Error: .*\n\nexpect\(locator\)/m, 'Playwright\'s own first line');
    const page = await browser.newPage();
    await page.goto(`file://${join(reportDir, 'report.html')}`);
    const failure = page.locator(`section#journey-${journey} .failure`);
    assert.equal((await failure.locator('p').first().innerText()).trim(), line);
    assert.equal((await failure.locator('pre.raw').innerText()).trim(), rj?.rawError?.trim());
    await page.close();
    // the trace still holds Playwright's call log of the failing call
    const zip = filesUnder(out).find((f) => f.includes(`${journey}.journey.ts`) && f.endsWith('trace.zip'));
    assert.ok(zip, `a trace for ${journey}`);
    const trace = spawnSync('unzip', ['-p', zip, 'trace.trace'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    assert.ok(trace.stdout.includes(`waiting for ${locator}`), `the trace's call log waits for ${locator}`);
    return { line, locator };
  }

  it('an element that is not on the page: the line names the journey, the step, the locator and "element(s) not found"', async () => {
    await everywhere('storage', 'open_storage_ui', 'element\\(s\\) not found');
  });

  it('a hung route: the line names the journey, the step, the locator it waited for and how long', async () => {
    // the user menu is in the page but never shown (hidden), or never rendered at all (not found)
    await everywhere('login', 'see_user_menu', 'hidden|element\\(s\\) not found');
  });

  it('no password in the output, the report or the failure artifacts', () => {
    const texts = [r.stdout, r.stderr, ...filesUnder(reportDir).filter((f) => /\.(json|html)$/.test(f)).map((f) => readFileSync(f, 'utf8'))];
    const contexts = filesUnder(out).filter((f) => f.endsWith('error-context.md'));
    assert.ok(contexts.length >= 2, `Playwright's error-context.md files: ${contexts.join(', ')}`);
    for (const text of [...texts, ...contexts.map((f) => readFileSync(f, 'utf8'))]) assert.ok(!text.includes(DEMO_USER.password), 'password found');
  });
});
