/**
 * The failure taxonomy: every failed step (and every failed journey) gets exactly one
 * `error_class` from a small fixed set, so a dashboard can count failures by kind without a
 * free-text label. It is worked out from what the run recorded, never from a guess: Playwright's
 * error (the failure's parts, ./failure.ts, and its raw text), the journey's status, and what the
 * page's requests did while the step ran (StepResult.network, recorded by the network collector).
 * The message itself stays in the log, the report and JUnit; only the class becomes a label.
 *
 * The rules, in order (the first that applies decides):
 *   interrupted  the run was stopped by SIGINT/SIGTERM or its watchdog (--max-run-seconds) while the journey ran
 *   browser_crashed  the browser died under the journey: the browser-crash collector saw its connection
 *                lost before the journey's context closed (JourneyMeasurements.browserCrashed);
 *                or Playwright's error says the page, context or browser closed AND carries the browser
 *                process's own logs ("Browser logs:", added only when the browser process's connection
 *                ended with it), or says the page or target crashed
 *   harness      our own failure: a TypeError/ReferenceError/SyntaxError/RangeError, the run handoff
 *                missing, a step declared twice, the page or browser closed under the journey
 *   navigation   the connection failed: refused, reset, closed, DNS, TLS/certificate, an empty answer
 *                (net::ERR_… in Playwright's error, or a page request that failed so while the step ran)
 *   http_5xx     a page request answered 5xx while the step ran, or the journey's own error says
 *                `answered 5xx` or `failed: 5xx` (the journeys' wording for what their API client got)
 *   auth         a document or a POST answered 401/403 while the step ran (an anonymous page's GET
 *                /ac/whoami answering 401 is not a refusal), or the journey's error says
 *                `answered 401|403` or `refused (401|403)`
 *   http_4xx     a document or a POST/PUT/DELETE answered another 4xx, or the journey's error says
 *                `answered 4xx`
 *   download     the saved file is not what the server announced (size, digest) or the browser
 *                cancelled it
 *   timeout      the journey's own timeout ran out; a wait for the server timed out (a page load,
 *                a response, a request, a URL, an event); the journey's own deadline (`… within N s`);
 *                or a wait for an element timed out while a page request it needs was still
 *                unanswered, open for at least HUNG_REQUEST_MS (the element never came because its
 *                data never came)
 *   selector     an element was not found, not visible, not in the expected state, or the locator
 *                matched several
 *   assertion    what the page showed was wrong: a value expectation (text, count, URL…) or the
 *                journey's own check
 *   harness      anything else outside every step (a fixture's error)
 *
 * Like the rest of the results model this imports nothing but the model.
 */
import type { Failure } from './failure.ts';
import type { JourneyResult, JourneyStatus, StepNetwork, StepResult } from './results.ts';

export const ERROR_CLASSES = ['timeout', 'selector', 'http_4xx', 'http_5xx', 'auth', 'navigation', 'download', 'assertion', 'interrupted', 'browser_crashed', 'harness'] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** What each class means, for --help, the README and the report. */
export const ERROR_CLASS_MEANING: Record<ErrorClass, string> = {
  timeout: 'waited too long: a page load, a response, the journey\'s timeout, or an element whose request hung',
  selector: 'an element was missing, not visible, not in the expected state, or matched several',
  http_4xx: 'a page or a submit answered 4xx (not 401/403)',
  http_5xx: 'a request answered 5xx',
  auth: 'the login was refused, or a page or submit answered 401/403',
  navigation: 'the connection failed: refused, reset, DNS, TLS',
  download: 'the downloaded file is not what the server announced (size, digest) or was cancelled',
  assertion: 'the page showed something else than the journey expected',
  interrupted: 'the run was stopped by SIGINT/SIGTERM or by its watchdog (--max-run-seconds)',
  browser_crashed: 'Chromium died under the journey (killed, out of memory, crashed); the next journey gets a new browser',
  harness: 'a failure of perfpulse-journeys itself or of its set-up',
};

/** A request open this long, unanswered, when a wait for an element gave up, is what the element waited for. */
export const HUNG_REQUEST_MS = 5000;

/** What a failure is classified from: the recorded failure, Playwright's raw text, the journey's status, the page's requests. */
export interface FailureEvidence {
  /** The failure's parts; absent for a failure outside every step. */
  failure?: Omit<Failure, 'line'>;
  /** The one-line failure (the step's or the journey's). */
  line?: string;
  /** Playwright's whole error (the journey's rawError). */
  raw?: string;
  network?: StepNetwork;
  status: JourneyStatus;
  /** The failure happened inside a step. */
  inStep: boolean;
  /** The browser died under the journey (recorded by the browser-crash collector). */
  browserCrashed?: boolean;
}

/** The browser process gone (its logs attached to the closed-target error) or a page/target crash. */
const BROWSER_DIED = /Target page, context or browser has been closed[\s\S]*\nBrowser logs:|\b(?:Target|Page) crashed\b/;
const OUR_BUGS = /^(?:TypeError|ReferenceError|SyntaxError|RangeError)\b|no run handoff|appears twice in journey|is not a slug|has more than \d+ steps|Target page, context or browser has been closed|browserType\.launch/m;
/** Connection-level failures: Chromium's net::ERR_… codes and Node's. Not ERR_ABORTED (given up), ERR_FAILED or ERR_BLOCKED_BY_CLIENT (a route we blocked). */
const NET_FAILURE =
  /net::ERR_(?:CONNECTION_(?:REFUSED|RESET|CLOSED|FAILED)|NAME_NOT_RESOLVED|NAME_RESOLUTION_FAILED|ADDRESS_UNREACHABLE|ADDRESS_INVALID|INTERNET_DISCONNECTED|CERT_\w+|SSL_\w+|BAD_SSL_CLIENT_AUTH_CERT|EMPTY_RESPONSE|INVALID_RESPONSE|HTTP2_PROTOCOL_ERROR|TUNNEL_CONNECTION_FAILED|PROXY_CONNECTION_FAILED|UNSAFE_PORT|NETWORK_CHANGED|SOCKET_NOT_CONNECTED)|\b(?:ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE|CERT_HAS_EXPIRED|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|ERR_TLS_CERT_ALTNAME_INVALID)\b/;
/** What a journey's own error says the server answered: `answered 500`, `refused (401)`. */
const OWN_STATUS = /\banswered (\d{3})\b|\brefused \((\d{3})\)|\bfailed: (\d{3})\b/;
const DOWNLOAD = /^download of .+?(?: is \d+ bytes, Content-Length said \d+| does not match its Digest| failed: (?!\d{3}\b).+)$/;
const OWN_DEADLINE = /\bwithin \d+(?:\.\d+)? ?(?:s|ms|seconds)\b/;
/** Waits for the server (./failure.ts's `expected` of navigations, responses, requests, URLs, events). */
const SERVER_WAIT = /^(?:page (?:loaded|DOM content loaded|answered|network idle)|a response|a request|navigation|event ".+"|load state)$/;
/** What an element's failure looks like: missing, hidden, in another state, several. */
const ELEMENT_STATE =
  /^(?:element\(s\) not found|hidden|visible|disabled|enabled|editable|not editable|checked|unchecked|attached|detached|resolved to \d+ elements|element is |element was detached|no answer|.*intercepts pointer events)/;
const LOCATOR = /^(?:locator|getBy\w+|frameLocator|internal:\w+)\(/;
const JOURNEY_TIMEOUT = /Test timeout of \d+ms exceeded|the journey's [\d.]+ s timeout ran out/;

function statusClass(status: number): ErrorClass | undefined {
  if (status >= 500) return 'http_5xx';
  if (status === 401 || status === 403) return 'auth';
  if (status >= 400) return 'http_4xx';
  return undefined;
}

/** The class the page's answers give: a 5xx anywhere; 401/403 and other 4xx only for a document or a submit. */
function networkClass(network: StepNetwork | undefined): ErrorClass | undefined {
  const errors = network?.errors ?? [];
  if (errors.some((e) => (e.status ?? 0) >= 500)) return 'http_5xx';
  const decisive = errors.filter((e) => e.type === 'document' || e.method !== 'GET');
  if (decisive.some((e) => e.status === 401 || e.status === 403)) return 'auth';
  if (decisive.some((e) => (e.status ?? 0) >= 400)) return 'http_4xx';
  return undefined;
}

/**
 * The class of an HTTP answer that was not what a probe expected: 5xx, 401/403, another 4xx; a 2xx
 * or 3xx in the wrong shape is an assertion. The API probes use it (src/probes/http/run.ts).
 */
export function statusErrorClass(status: number | undefined): ErrorClass {
  return (status !== undefined ? statusClass(status) : undefined) ?? 'assertion';
}

/** The class of something a probe's request threw: no answer in time, a connection failure, or our own error. */
export function thrownErrorClass(err: unknown): ErrorClass {
  const e = err as Error & { code?: unknown; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timeout';
  const text = `${e?.cause?.code ?? ''} ${typeof e?.code === 'string' ? e.code : ''} ${e?.cause?.message ?? ''}`;
  if (/\b(?:ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT)\b/.test(text)) return 'timeout';
  if (NET_FAILURE.test(text) || /\b(?:UND_ERR_SOCKET|ERR_SSL_\w+|EPROTO)\b|certificate/i.test(text)) return 'navigation';
  return 'harness';
}

/** The one class of a failure (the rules in the header). */
export function classifyFailure(e: FailureEvidence): ErrorClass {
  if (e.status === 'interrupted') return 'interrupted';
  const seen = e.failure?.seen ?? e.line ?? '';
  const raw = e.raw ?? '';
  const text = `${raw}\n${seen}`;
  if (e.browserCrashed || BROWSER_DIED.test(raw)) return 'browser_crashed';
  if (OUR_BUGS.test(raw) || OUR_BUGS.test(seen)) return 'harness';
  if (NET_FAILURE.test(text) || e.network?.failed?.some((f) => NET_FAILURE.test(f.error ?? ''))) return 'navigation';
  const own = e.failure ? e.failure.expected === undefined && e.failure.locator === undefined : true;
  const ownStatus = own ? OWN_STATUS.exec(seen) : null;
  const answered = ownStatus ? statusClass(Number(ownStatus[1] ?? ownStatus[2] ?? ownStatus[3])) : undefined;
  const http = networkClass(e.network);
  for (const c of ['http_5xx', 'auth', 'http_4xx'] as const) if (http === c || answered === c) return c;
  if (own && DOWNLOAD.test(seen)) return 'download';
  const waited = e.failure?.waitedMs !== undefined;
  if (e.status === 'timedOut' || JOURNEY_TIMEOUT.test(text)) return 'timeout';
  if (e.failure?.expected && SERVER_WAIT.test(e.failure.expected) && (waited || /not (?:loaded|DOM content loaded|answered)|no response|none/.test(seen))) return 'timeout';
  if (own && OWN_DEADLINE.test(seen)) return 'timeout';
  if (waited && e.network?.hung?.length) return 'timeout';
  if (/^TimeoutError\b/.test(raw) && !e.failure?.locator) return 'timeout';
  if (e.failure?.locator && LOCATOR.test(e.failure.locator) && ELEMENT_STATE.test(seen)) return 'selector';
  if (!e.inStep) return 'harness';
  return 'assertion';
}

/** The failed step the journey's failure belongs to: its last failed step. */
export function failedStep(j: JourneyResult): StepResult | undefined {
  return j.steps.findLast((s) => !s.ok);
}

/**
 * The class of a failed journey (undefined when it passed or was skipped: a skip, for missing
 * credentials, is not a failure of the portal). From its failed step when it has one, else from
 * its own error (a fixture, the journey's timeout outside every step).
 */
export function journeyErrorClass(j: JourneyResult): ErrorClass | undefined {
  if (j.status === 'passed' || j.status === 'skipped') return undefined;
  const step = failedStep(j);
  return classifyFailure({
    ...(step?.failure ? { failure: step.failure } : {}),
    ...((step?.error ?? j.error) ? { line: step?.error ?? j.error } : {}),
    ...(j.rawError ? { raw: j.rawError } : {}),
    ...(step?.network ? { network: step.network } : {}),
    status: j.status,
    inStep: step !== undefined,
    ...(j.measured?.browserCrashed ? { browserCrashed: true } : {}),
  });
}

/** The class of one step of a journey: undefined for a step that passed; the journey's for its failed step. */
export function stepErrorClass(j: JourneyResult, step: StepResult): ErrorClass | undefined {
  if (step.ok) return undefined;
  if (step === failedStep(j)) return journeyErrorClass(j) ?? classifyFailure({ ...(step.failure ? { failure: step.failure } : {}), status: j.status, inStep: true });
  // an earlier failed step (a journey that caught its failure and went on): from its own record only
  return classifyFailure({ ...(step.failure ? { failure: step.failure } : {}), ...(step.error ? { line: step.error } : {}), ...(step.network ? { network: step.network } : {}), status: 'failed', inStep: true });
}
