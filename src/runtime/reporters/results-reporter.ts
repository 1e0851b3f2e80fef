/**
 * Playwright reporter that collects each journey's steps and outcome into RunResults and writes
 * them as JSON (atomically, after every journey and at the end) for the CLI, which turns them
 * into metrics. Only top-level `test.step`s count as steps; Playwright's own hooks, fixtures and
 * actions do not.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FullResult, Reporter, TestCase, TestResult, TestStep } from '@playwright/test/reporter';
import type { MeasureKey } from '../../metrics/catalog.ts';
import { journeyWho, redactMessage, reportedFailure, stripAnsi, type Failure } from '../../results/failure.ts';
import { authStatePath, discardAuthState } from '../browser/auth-state.ts';
import { DEFAULT_BROWSER_OPTIONS, conditionLabels, isEvidenceAttempt } from '../browser/emulation.ts';
import { RunReporter, type RunReporterOptions } from '../runner/handoff.ts';
import { HUNG_REQUEST_MS } from '../../results/error-class.ts';
import type { JourneyMeasurements, JourneyResult, JourneyStatus, RequestEvidence, RunResults, StepNetwork, StepResult } from '../../results/results.ts';
import { MASKED_SCREENSHOT_ATTACHMENT } from '../collectors/failure-screenshot.ts';
import { NETWORK_ATTACHMENT, type LoggedRequest } from '../collectors/network.ts';
import { MEASUREMENTS_ATTACHMENT } from '../collectors/types.ts';
import { PROJECT_ROOT } from '../runner/journeys.ts';

/** What a failure line must never show: the password this run was given (tokens and header values are redacted by rule). */
export const runSecrets = (): string[] => [process.env.PERFPULSE_PASSWORD ?? ''].filter(Boolean);

/** First line of an error message, without colours: for people, never for labels. */
export function firstLine(message: string | undefined): string | undefined {
  return message === undefined ? undefined : stripAnsi(message).split('\n').find((l) => l.trim())?.trim();
}

export default class ResultsReporter extends RunReporter implements Reporter {
  private readonly steps = new Map<TestResult, StepResult[]>();
  /** A test's last failed top-level step: its failure line is made when the test's own error is known too. */
  private readonly failedSteps = new Map<TestResult, TestStep>();
  private readonly run: RunResults = {
    env: this.handoff.profile.name,
    startedAtMs: Date.now(),
    finishedAtMs: Date.now(),
    status: 'passed',
    journeys: [],
    ...((this.handoff.users ?? 1) > 1 ? { users: this.handoff.users } : {}),
  };

  constructor(options: RunReporterOptions) {
    super(options);
    const conditions = conditionLabels(this.handoff.browserOptions);
    if (Object.keys(conditions).length) this.run.conditions = conditions;
  }

  onBegin(): void {
    this.run.startedAtMs = Date.now();
    this.write();
  }

  onStepEnd(test: TestCase, result: TestResult, step: TestStep): void {
    if (step.category !== 'test.step' || step.parent) return;
    const list = this.steps.get(result) ?? [];
    const failed = reportedFailure(this.who(test), { step }, { secrets: runSecrets(), root: PROJECT_ROOT });
    if (failed) this.failedSteps.set(result, step);
    list.push({
      name: step.title,
      durationMs: step.duration,
      startedAtMs: step.startTime.getTime(),
      ok: !step.error,
      ...(failed ? stepFailure(failed.failure) : {}),
    });
    this.steps.set(result, list);
  }

  /** The journey's name in failure lines (with `user k` when several users run). */
  private who(test: TestCase): string {
    const journey = test.annotations.find((a) => a.type === 'perfpulse.journey')?.description ?? test.title;
    return journeyWho(journey, (this.handoff.users ?? 1) > 1 ? test.repeatEachIndex + 1 : undefined);
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const steps = this.steps.get(result) ?? [];
    this.steps.delete(result);
    const journey = test.annotations.find((a) => a.type === 'perfpulse.journey')?.description ?? test.title;
    // --trace on-failure: the traced re-run of a failed journey is evidence, never a measurement:
    // the measured attempt's entry stays, with this attempt's trace and outcome added
    if (isEvidenceAttempt(this.handoff.browserOptions ?? DEFAULT_BROWSER_OPTIONS, result.retry)) {
      this.failedSteps.delete(result);
      redactErrorContext(result);
      const user = (this.handoff.users ?? 1) > 1 ? test.repeatEachIndex + 1 : undefined;
      const measured = this.run.journeys.find((j) => j.journey === journey && j.user === user);
      if (!measured) return;
      const trace = result.attachments.find((a) => a.name === 'trace' && a.path)?.path;
      if (trace) measured.artifacts = [...(measured.artifacts ?? []), trace];
      measured.tracedRerun = result.status as JourneyStatus;
      this.write();
      return;
    }
    const skipReason = test.annotations.find((a) => a.type === 'skip')?.description;
    const last = steps.at(-1);
    const first = steps[0];
    const entry: JourneyResult = {
      journey,
      status: result.status as JourneyStatus,
      startedAtMs: result.startTime.getTime(),
      steps,
    };
    // --users N: every user's run is kept, marked 1..N (src/results/multi-user.ts).
    if ((this.handoff.users ?? 1) > 1) entry.user = test.repeatEachIndex + 1;
    if (first && last) entry.durationMs = last.startedAtMs + last.durationMs - first.startedAtMs;
    // the failed step's line, with the test's own error (the journey's timeout); else a line of the test's error alone
    const failedStep = this.failedSteps.get(result);
    this.failedSteps.delete(result);
    const failed =
      result.status === 'skipped' || result.status === 'passed'
        ? undefined
        : reportedFailure(this.who(test), { ...(failedStep ? { step: failedStep } : {}), ...(result.error ? { error: result.error } : {}) }, { secrets: runSecrets(), root: PROJECT_ROOT });
    const lastFailed = failedStep ? steps.findLast((s) => !s.ok) : undefined;
    if (failed && lastFailed) Object.assign(lastFailed, stepFailure(failed.failure));
    // what the page's requests did while each failed step ran: the evidence its error class is made of
    const requests = requestLog(result);
    for (const s of steps) {
      const network = s.ok ? undefined : stepNetwork(requests, s);
      if (network) s.network = network;
    }
    const error = result.status === 'skipped' ? (skipReason ? `${this.who(test)}: ${skipReason}` : undefined) : failed?.failure.line;
    if (error) entry.error = error;
    if (failed) entry.rawError = failed.raw;
    const measures: Partial<Record<MeasureKey, number>> = {};
    for (const a of result.annotations ?? test.annotations) {
      if (a.type !== 'perfpulse.measure' || !a.description) continue;
      const [key, value] = JSON.parse(a.description) as [MeasureKey, number];
      measures[key] = value;
    }
    if (Object.keys(measures).length) entry.measures = measures;
    redactErrorContext(result);
    const artifacts = result.attachments.flatMap((a) => (a.path && (a.name === 'trace' || a.name === 'screenshot') ? [a.path] : []));
    if (artifacts.length) entry.artifacts = artifacts;
    const measured = measurementsOf(result);
    if (measured) entry.measured = measured;
    const shot = result.attachments.find((a) => a.name === 'screenshot' && a.path)?.path;
    if (shot) entry.screenshot = shot;
    const masked = result.attachments.find((a) => a.name === MASKED_SCREENSHOT_ATTACHMENT && a.path)?.path;
    if (masked) entry.maskedScreenshot = masked;
    // with --retries this runs once per attempt: the last attempt's entry replaces the earlier ones
    entry.attempts = result.retry + 1;
    this.run.journeys = this.run.journeys.filter((j) => j.journey !== journey || j.user !== entry.user).concat(entry);
    this.write();
  }

  onEnd(result: FullResult): void {
    discardAuthState(undefined, authStatePath(this.handoff));
    this.run.status = result.status;
    this.run.finishedAtMs = Date.now();
    this.write();
  }

  printsToStdio(): boolean {
    return false;
  }

  private write(): void {
    const file = this.handoff.resultsFile;
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.run, null, 2));
    renameSync(tmp, file);
  }
}

/** A failed step's `error` (the line) and `failure` (its parts). */
function stepFailure({ line, ...parts }: Failure): Pick<StepResult, 'error' | 'failure'> {
  return { error: line, failure: parts };
}

/** The network collector's request log (src/runtime/collectors/network.ts); empty when it did not run. */
function requestLog(result: TestResult): LoggedRequest[] {
  const body = result.attachments.find((a) => a.name === NETWORK_ATTACHMENT)?.body;
  return body ? (JSON.parse(body.toString('utf8')) as LoggedRequest[]) : [];
}

/** At most this many requests of each kind are kept per failed step. */
const MAX_EVIDENCE = 5;

/**
 * A failed step's evidence from the request log: what answered >= 400 or failed (not aborted)
 * while it ran, and what was still unanswered when it gave up after being open HUNG_REQUEST_MS.
 */
export function stepNetwork(log: readonly LoggedRequest[], step: Pick<StepResult, 'startedAtMs' | 'durationMs'>): StepNetwork | undefined {
  const start = step.startedAtMs;
  const end = start + step.durationMs;
  const during = (t: number | undefined) => t !== undefined && t >= start && t <= end;
  const base = (r: LoggedRequest): RequestEvidence => ({ method: r.method, page: r.page, type: r.type });
  const errors = log.filter((r) => r.status !== undefined && r.status >= 400 && during(r.endMs)).map((r) => ({ ...base(r), status: r.status as number }));
  const failed = log.filter((r) => r.error && r.error !== 'net::ERR_ABORTED' && during(r.endMs)).map((r) => ({ ...base(r), error: r.error as string }));
  const hung = log
    .filter((r) => r.startMs <= end && (r.endMs === undefined || r.endMs > end) && end - r.startMs >= HUNG_REQUEST_MS)
    .map((r) => ({ ...base(r), openMs: end - r.startMs }));
  const out: StepNetwork = {};
  if (errors.length) out.errors = errors.slice(0, MAX_EVIDENCE);
  if (failed.length) out.failed = failed.slice(0, MAX_EVIDENCE);
  if (hung.length) out.hung = hung.slice(0, MAX_EVIDENCE);
  return Object.keys(out).length ? out : undefined;
}

/** The collectors' attachment (src/runtime/collectors), with the set-up time made relative to the test's start. */
function measurementsOf(result: TestResult): JourneyMeasurements | undefined {
  const body = result.attachments.find((a) => a.name === MEASUREMENTS_ATTACHMENT)?.body;
  if (!body) return undefined;
  const measured = JSON.parse(body.toString('utf8')) as JourneyMeasurements;
  if (measured.setupDoneAtMs !== undefined) measured.browserSetupMs = measured.setupDoneAtMs - result.startTime.getTime();
  return measured;
}

/**
 * Playwright writes a failed test's whole errors and an ARIA snapshot of its page (which shows
 * what fields hold) to `error-context.md` in its output folder: the same redaction as the failure
 * lines, so no password, credential header or token is left in it.
 */
function redactErrorContext(result: TestResult): void {
  for (const a of result.attachments) {
    if (a.name !== 'error-context' || !a.path || !existsSync(a.path)) continue;
    const text = readFileSync(a.path, 'utf8');
    const clean = redactMessage(text, runSecrets());
    if (clean !== text) writeFileSync(a.path, clean);
  }
}
