/**
 * Failure lines an operator can act on. A Playwright error says `expect(locator).toBeVisible()
 * failed` or `locator.click: Timeout 20000ms exceeded.` on its first line and what it looked for
 * and what it found only further down (`Locator:`, `Expected:`, `Received:`, the call log). This
 * turns the whole message into one line:
 *
 *   <journey> › <step>: <what was expected> (<locator>): <what was seen>
 *   login › see_user_menu: visible (locator('li.user-authenticated span.auth-username')): hidden, waited 15 s
 *   storage › list_home_folder: click (locator('#homeDir')): element(s) not found, waited 20 s
 *   search › open_search_page: page loaded (http://127.0.0.1:8080/en/search/): not loaded, waited 30 s
 *   search › submit_search: search failed: /search/find answered 500        (a journey's own error, as it is)
 *
 * "Expected" is the custom `expect(x, 'message')` text when there is one, else a readable form of
 * the matcher or action; the locator is Playwright's own short form; "seen" is what the message
 * reports (the received value, "element(s) not found", "resolved to 2 elements", the last state in
 * the call log); a timeout says how long it waited. Where a wait names nothing (a predicate
 * passed to waitForResponse), the journey file and line of the call stand in for the locator.
 * The raw message (without colours, secrets removed) is kept for the report.
 *
 * Secrets: call logs of API requests list their headers (`authorization: Bearer …`) and a
 * `toHaveValue` on a password field would print the password, so every message is redacted
 * before it is read: sensitive header lines, the values they held, the given secrets (the
 * password) in their URL- and JSON-encoded forms, and CADC tokens (`base64:…`): ./redact.ts, the
 * rules the kept traces are redacted by too.
 */
import { relative } from 'node:path';
import { redactMessage, stripAnsi } from './redact.ts';

export { redactMessage, stripAnsi };

/** The parts of a failure, for machines; `line` is what people read. */
export interface Failure {
  /** What the journey expected or tried: `visible`, `text containing "Showing"`, `click`, a custom expect message. */
  expected?: string;
  /** What it was looking at: Playwright's locator (`locator('#x')`, `getByRole('button', { name: 'Search' })`), a URL or request. */
  locator?: string;
  /** What was there instead: `element(s) not found`, `"Hello world"`, `disabled`, `resolved to 2 elements`, or the journey's own message. */
  seen: string;
  /** How long it waited before giving up, ms (a timeout). */
  waitedMs?: number;
  /** `<journey> › <step>: <expected> (<locator>): <seen>`, one line. */
  line: string;
}

/** What a Playwright reporter knows about an error (TestError), plus where the failing call was. */
export interface FailureInput {
  journey: string;
  /** The step's title (its slug); absent for a failure outside every step (a fixture, the test's timeout). */
  step?: string;
  error: { message?: string; stack?: string; value?: string };
  /** File and line of the call that failed (the innermost failed Playwright step), for waits that name nothing. */
  at?: { file: string; line: number };
  /** Strings that must never appear (the password). */
  secrets?: readonly string[];
  /** Files in `at` are shown relative to this directory. */
  root?: string;
}

/** The redacted message without colours, for the report: what Playwright said, whole. */
export function rawError(error: { message?: string; value?: string }, secrets: readonly string[] = []): string {
  return redactMessage(error.message ?? error.value ?? 'unknown error', secrets).trimEnd();
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;
const clip = (s: string, n = 100) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
/** `Error: `, `TimeoutError: ` in front of the message. */
const CLASS_PREFIX = /^(?:[A-Z]\w*)?Error: /;

/** Playwright's API objects, as they name themselves in `locator.click: …`. */
const API_CALL =
  /^(locator|page|frame|frameLocator|elementHandle|jsHandle|apiRequestContext|apiResponse|browserContext|browser|browserType|keyboard|mouse|touchscreen|download|dialog|request|response|route|webSocket|worker|tracing|video)\.(\w+): ([^\n]*)/;
const EXPECT_LINE = /^expect\((?:locator|page|received)\)(\.not)?\.(\w+)\(/;

/** Nouns of the value matchers: `toHaveText` → `text "x"`, `text matching /x/`, `text containing "x"`. */
const MATCHER_NOUNS: Record<string, string> = {
  toHaveText: 'text',
  toContainText: 'text',
  toHaveValue: 'value',
  toHaveValues: 'values',
  toHaveCount: 'count',
  toHaveURL: 'URL',
  toHaveTitle: 'title',
  toHaveAttribute: 'attribute',
  toHaveClass: 'class',
  toContainClass: 'class',
  toHaveCSS: 'CSS',
  toHaveId: 'id',
  toHaveJSProperty: 'property',
  toHaveAccessibleName: 'accessible name',
  toHaveAccessibleDescription: 'accessible description',
  toHaveRole: 'role',
};

/** What the page-level waits wait for. */
const WAITS: Record<string, string> = {
  waitForResponse: 'a response',
  waitForRequest: 'a request',
  waitForURL: 'navigation',
  waitForFunction: 'the function to return true',
};

const words = (camel: string) => camel.replace(/([A-Z])/g, ' $1').toLowerCase().trim();

interface Parsed {
  expected?: string;
  locator?: string;
  seen: string;
  waitedMs?: number;
}

/** Splits an expect() message into its `Name: value` fields and its call log. */
function fields(lines: readonly string[]): { field: Map<string, string>; errors: string[]; callLog: string[] } {
  const field = new Map<string, string>();
  const errors: string[] = [];
  const callLog: string[] = [];
  let inLog = false;
  for (const raw of lines) {
    if (/^(Call log|Call Log):\s*$/.test(raw.trim())) {
      inLog = true;
      continue;
    }
    if (inLog) {
      if (raw.trim()) callLog.push(raw);
      continue;
    }
    const m = /^([A-Z][a-z]+(?: [a-z]+)?):\s+(.*)$/.exec(raw);
    if (!m) continue;
    const [, name, value] = m as unknown as [string, string, string];
    if (name === 'Error') errors.push(value.trim());
    else if (!field.has(name)) field.set(name, value.trim());
  }
  return { field, errors, callLog };
}

/** `resolved to 2 elements (getByText('Showing 3 rows'), getByText('Error grid'))` from a strict-mode violation. */
function strictSeen(text: string): string | undefined {
  const m = /strict mode violation: .*? resolved to (\d+) elements/.exec(text);
  if (!m) return undefined;
  const aka = [...text.matchAll(/^\s+\d+\) .* aka (.+)$/gm)].map((a) => (a[1] as string).trim());
  const shown = aka.slice(0, 3).join(', ');
  return `resolved to ${m[1]} elements${shown ? ` (${shown}${aka.length > 3 ? ', …' : ''})` : ''}`;
}

/** The journey's own timeout (Playwright's test timeout) ran out while this call waited. */
function testTimeoutMs(text: string): number | undefined {
  const m = /Test timeout of (\d+)ms exceeded/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** What the call log says was there last: a received value, an element's state, or nothing found. */
function lastState(callLog: readonly string[]): string | undefined {
  for (const raw of [...callLog].reverse()) {
    const l = raw.trim().replace(/^-\s*/, '').replace(/^\d+ × /, '');
    let m: RegExpExecArray | null;
    if ((m = /^unexpected value "(.*)"$/.exec(l))) return `"${clip(m[1] as string, 80)}"`;
    if ((m = /^(element is (?:not \w+|outside of the viewport)|element was detached from the DOM.*)$/.exec(l))) return m[1] as string;
    if (/intercepts pointer events$/.test(l)) return clip(l, 120);
    if ((m = /^locator resolved to (.*)$/.exec(l))) return `resolved to ${clip(m[1] as string, 80)}`;
    if (/^waiting for (?:locator|getBy\w+|frameLocator|internal:\w+)\(/.test(l)) return 'element(s) not found';
  }
  return undefined;
}

/** The locator a call log waits for: `waiting for locator('#x')`, `waiting for getByRole(…) to be visible`. */
function waitedLocator(callLog: readonly string[]): { locator: string; state?: string } | undefined {
  for (const raw of callLog) {
    const m = /^\s*-\s*waiting for ((?:locator|getBy\w+|frameLocator|internal:\w+)\(.*?)(?: to be (\w+))?$/.exec(raw);
    if (m) return { locator: m[1] as string, ...(m[2] ? { state: m[2] } : {}) };
  }
  return undefined;
}

function parseExpect(lines: string[], at: number): Parsed {
  const custom = lines
    .slice(0, at)
    .map((l) => l.trim())
    .find(Boolean);
  const m = EXPECT_LINE.exec(lines[at] as string) as RegExpExecArray;
  const not = Boolean(m[1]);
  const matcher = m[2] as string;
  const whole = lines.join('\n');
  const { field, errors, callLog } = fields(lines.slice(at + 1));
  const locator = field.get('Locator');
  const expectedValue = field.get('Expected') ?? field.get('Expected pattern') ?? field.get('Expected substring') ?? field.get('Expected string');
  const received = field.get('Received') ?? field.get('Received string');
  const noun = MATCHER_NOUNS[matcher];
  let readable: string | undefined;
  if (noun) {
    const how = field.has('Expected substring') ? 'containing ' : field.has('Expected pattern') ? 'matching ' : '';
    readable = `${not ? 'not ' : ''}${noun} ${how}${expectedValue ?? ''}`.trim();
  } else if (/^(locator|page)$/.test(/^expect\((\w+)\)/.exec(lines[at] as string)?.[1] ?? '')) {
    readable = expectedValue ?? `${not ? 'not ' : ''}${words(matcher.replace(/^toBe|^to/, ''))}`; // state matchers say `Expected: visible`
  } else {
    readable = `${not ? 'not ' : ''}${words(matcher)} ${expectedValue ?? ''}`.trim(); // expect(value).toBe(4) → `to be 4`
  }
  let seen: string | undefined = strictSeen(whole);
  if (!seen) {
    const error = errors.find((e) => !/^Test timeout/.test(e));
    if (error) seen = error;
  }
  if (!seen && received !== undefined) seen = clip(received, 100);
  seen ??= lastState(callLog) ?? 'failed';
  if (custom && !locator && expectedValue !== undefined && !noun) seen = `${seen}, expected ${expectedValue}`; // expect(rows, 'rows').toBe(4)
  // `Timeout: 15000ms` (locator expects), `Timeout 1000ms exceeded while waiting on the predicate` (expect.poll)
  const timeout = field.get('Timeout') ?? callLog.find((l) => /Timeout \d+ms exceeded/.test(l));
  const waitedMs = timeout && !seen.startsWith('resolved to ') ? Number(/(\d+)ms/.exec(timeout)?.[1]) : undefined;
  return { expected: custom ?? readable, ...(locator ? { locator } : {}), seen, ...(waitedMs ? { waitedMs } : {}) };
}

/** A file under `root` relative to it (journeys/login.journey.ts); one elsewhere (a --journeys-dir journey) as it is. */
function shownPath(file: string, root: string | undefined): string {
  const rel = root ? relative(root, file) : file;
  return rel.startsWith('..') ? file : rel;
}

/** Chromium's codes an operator may not read at a glance, said in words after the code (the fault matrix, docs/faults.md). */
const NET_SAID: Record<string, string> = {
  'net::ERR_NAME_NOT_RESOLVED': 'the host name did not resolve',
  'net::ERR_NAME_RESOLUTION_FAILED': 'the host name did not resolve',
  'net::ERR_CERT_COMMON_NAME_INVALID': 'the TLS certificate is not for this host name',
  'net::ERR_CERT_AUTHORITY_INVALID': 'the TLS certificate is not signed by an authority the browser trusts',
  'net::ERR_CERT_DATE_INVALID': 'the TLS certificate has expired or is not valid yet',
};

function parseApiCall(object: string, method: string, rest: string, lines: string[], at: FailureInput['at'], root: string | undefined): Parsed {
  const whole = lines.join('\n');
  const logStart = lines.findIndex((l) => /^Call log:\s*$/.test(l.trim()));
  const callLog = logStart < 0 ? [] : lines.slice(logStart + 1).filter((l) => l.trim());
  const logs = [...whole.matchAll(/^waiting for (.+)$/gm)].map((x) => x[1] as string); // waitFor*'s "=== logs ===" section
  const timeout = /^Timeout (\d+)ms exceeded/.exec(rest);
  const waitedMs = timeout ? Number(timeout[1]) : undefined;
  const where = at ? `${method} at ${shownPath(at.file, root)}:${at.line}` : `${object}.${method}`;
  const failed = (seenOnTimeout: string) =>
    strictSeen(whole) ?? (waitedMs !== undefined || testTimeoutMs(rest) ? seenOnTimeout : rest.replace(CLASS_PREFIX, '').replace(/\.$/, ''));

  // navigation: page.goto / reload / goBack
  const nav = /navigating to "(.+?)", waiting until "(\w+)"/.exec(whole);
  if (nav || /^(goto|reload|goBack|goForward)$/.test(method)) {
    const until = nav?.[2] ?? 'load';
    const state = until === 'load' ? 'loaded' : until === 'domcontentloaded' ? 'DOM content loaded' : until === 'commit' ? 'answered' : 'network idle';
    const net = /^(net::\w+)/.exec(rest)?.[1];
    const said = net && NET_SAID[net] ? `${net} (${NET_SAID[net]})` : net;
    return { expected: `page ${state}`, locator: nav?.[1] ?? where, seen: said ?? failed(`not ${state}`), ...(waitedMs ? { waitedMs } : {}) };
  }
  // API requests: apiRequestContext.get/post/fetch
  if (object === 'apiRequestContext') {
    const req = /→ (\w+ \S+)/.exec(whole)?.[1];
    return { expected: 'a response', locator: req ?? where, seen: failed('no response'), ...(waitedMs ? { waitedMs } : {}) };
  }
  // waits on events: waitForResponse, waitForRequest, waitForEvent, waitForURL, waitForFunction, waitForLoadState
  if (/^waitFor(?!Selector$)/.test(method) && !/^locator$/.test(object)) {
    const event = /while waiting for event "(\w+)"/.exec(rest)?.[1];
    const what = WAITS[method] ?? (event ? `event "${event}"` : words(method.replace(/^waitFor/, '')));
    const named = logs.find((l) => !/^navigation until /.test(l) && !/^event "/.test(l));
    const target = named ? (/^(?:response|request|navigation to) (".+?")/.exec(named)?.[1] ?? named) : where;
    return { expected: what, locator: target, seen: failed('none'), ...(waitedMs ? { waitedMs } : {}) };
  }
  // locator actions (click, fill, check, selectOption, innerText …) and waitForSelector / locator.waitFor
  const waited = waitedLocator(callLog);
  const expected = waited?.state && /waitFor/.test(method) ? waited.state : method;
  return {
    expected,
    ...(waited ? { locator: waited.locator } : {}),
    seen: strictSeen(whole) ?? (waitedMs !== undefined || testTimeoutMs(rest) ? (lastState(callLog) ?? 'no answer') : rest.replace(CLASS_PREFIX, '').replace(/\.$/, '')),
    ...(waitedMs ? { waitedMs } : {}),
  };
}

/** What went wrong, from a Playwright error (or a journey's own): one line and its parts. */
export function describeFailure(input: FailureInput): Failure {
  const text = rawError(input.error, input.secrets);
  const lines = text.split('\n');
  if (lines[0]) lines[0] = lines[0].replace(CLASS_PREFIX, '');
  const where = input.step ? `${input.journey} › ${input.step}` : input.journey;
  const expectAt = lines.findIndex((l) => EXPECT_LINE.test(l));
  const api = API_CALL.exec(lines[0] ?? '');
  if (expectAt < 0 && !api) {
    // the journey's own error (or Playwright's test timeout): its first line, as it is
    const first = lines.map((l) => l.trim()).find(Boolean) ?? 'failed';
    const journeyTimeout = testTimeoutMs(first);
    const setup = / while (setting up|tearing down) "(\w+)"/.exec(first);
    const seen = journeyTimeout ? `the journey's ${seconds(journeyTimeout)} timeout ran out${setup ? ` while ${setup[1]} "${setup[2]}"` : ''}` : first;
    return { seen, line: `${where}: ${seen}` };
  }
  const parsed = expectAt >= 0 ? parseExpect(lines, expectAt) : parseApiCall(api?.[1] as string, api?.[2] as string, api?.[3] as string, lines, input.at, input.root);
  const journeyTimeout = testTimeoutMs(text);
  const after = journeyTimeout ? `, the journey's ${seconds(journeyTimeout)} timeout ran out` : parsed.waitedMs ? `, waited ${seconds(parsed.waitedMs)}` : '';
  const seen = `${parsed.seen}${after}`;
  const head = parsed.expected ? `${parsed.expected}${parsed.locator ? ` (${parsed.locator})` : ''}: ` : '';
  return {
    ...(parsed.expected ? { expected: parsed.expected } : {}),
    ...(parsed.locator ? { locator: parsed.locator } : {}),
    seen,
    ...(parsed.waitedMs ? { waitedMs: parsed.waitedMs } : journeyTimeout ? { waitedMs: journeyTimeout } : {}),
    line: `${where}: ${head}${seen}`.replace(/\s*\n\s*/g, ' '),
  };
}

/** The innermost failed step (a Playwright call or expect) under `step`, with its location. */
export interface StepLike {
  category: string;
  error?: unknown;
  location?: { file: string; line: number };
  steps: readonly StepLike[];
}

export function failingCall(step: StepLike): { file: string; line: number } | undefined {
  for (const inner of [...step.steps].reverse()) {
    if (!inner.error) continue;
    return failingCall(inner) ?? (inner.location ? { file: inner.location.file, line: inner.location.line } : undefined);
  }
  return undefined;
}

/** The journey as failure lines name it: `search`, or `search user 2` in a --users run. */
export const journeyWho = (journey: string, user?: number): string => (user === undefined ? journey : `${journey} user ${user}`);

/** A journey's error as one failure line: as the reporter wrote it (`<who> › …`, `<who>: …`), else prefixed with `<who>: `. */
export function failureLine(who: string, error: string): string {
  return error.startsWith(`${who} › `) || error.startsWith(`${who}: `) ? error : `${who}: ${error}`;
}

/** A failed top-level step as a Playwright reporter sees it (TestStep). */
export interface FailedStepLike extends StepLike {
  title: string;
  error?: { message?: string; stack?: string; value?: string };
}

/**
 * The failure of a journey as both reporters (results and progress) print it, so the table,
 * --json, the report and the log say the same: from its failed step (`step`), else from the test's
 * error (`error`: a fixture, the journey's timeout outside every step). When the journey's timeout
 * cut the step short, Playwright's step error may only say `net::ERR_ABORTED`: the line then also
 * says the timeout ran out, and the raw text holds both errors. `who` is the journey, with
 * `user k` in a --users run.
 */
export function reportedFailure(
  who: string,
  failed: { step?: FailedStepLike; error?: { message?: string; stack?: string; value?: string } },
  opts: { secrets?: readonly string[]; root?: string } = {},
): { failure: Failure; raw: string } | undefined {
  const error = failed.step?.error ?? failed.error;
  if (!error) return undefined;
  const at = failed.step ? failingCall(failed.step) : undefined;
  const failure = describeFailure({
    journey: who,
    ...(failed.step ? { step: failed.step.title } : {}),
    error,
    ...(at ? { at } : {}),
    ...(opts.secrets ? { secrets: opts.secrets } : {}),
    ...(opts.root ? { root: opts.root } : {}),
  });
  let raw = rawError(error, opts.secrets);
  const other = failed.step?.error && failed.error ? rawError(failed.error, opts.secrets) : undefined;
  if (other && !raw.includes(other)) {
    raw = `${raw}\n\n${other}`;
    const timeout = testTimeoutMs(other);
    if (timeout && !testTimeoutMs(stripAnsi(error.message ?? ''))) {
      const note = `the journey's ${seconds(timeout)} timeout ran out`;
      failure.seen = `${failure.seen}; ${note}`;
      failure.line = `${failure.line}; ${note}`;
      failure.waitedMs ??= timeout;
    }
  }
  return { failure, raw };
}
