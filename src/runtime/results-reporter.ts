/**
 * Playwright reporter that collects each journey's steps and outcome into RunResults and writes
 * them as JSON (atomically, after every journey and at the end) for the CLI, which turns them
 * into metrics. Only top-level `test.step`s count as steps; Playwright's own hooks, fixtures and
 * actions do not.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FullResult, Reporter, TestCase, TestResult, TestStep } from '@playwright/test/reporter';
import type { MeasureKey } from '../metrics/catalog.ts';
import { authStatePath, discardAuthState } from './auth-state.ts';
import { conditionLabels } from './emulation.ts';
import { RunReporter, type RunReporterOptions } from './handoff.ts';
import type { JourneyMeasurements, JourneyResult, JourneyStatus, RunResults, StepResult } from '../results/results.ts';
import { MEASUREMENTS_ATTACHMENT } from './collectors/types.ts';

/** ANSI escape sequences (colours, cursor moves) that Playwright's messages carry. */
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]/g;

export const stripAnsi = (text: string): string => text.replace(ANSI, '');

/** First line of an error message, without colours: for people, never for labels. */
export function firstLine(message: string | undefined): string | undefined {
  return message === undefined ? undefined : stripAnsi(message).split('\n').find((l) => l.trim())?.trim();
}

export default class ResultsReporter extends RunReporter implements Reporter {
  private readonly steps = new Map<TestResult, StepResult[]>();
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

  onStepEnd(_test: TestCase, result: TestResult, step: TestStep): void {
    if (step.category !== 'test.step' || step.parent) return;
    const list = this.steps.get(result) ?? [];
    list.push({
      name: step.title,
      durationMs: step.duration,
      startedAtMs: step.startTime.getTime(),
      ok: !step.error,
      ...(step.error ? { error: firstLine(step.error.message) } : {}),
    });
    this.steps.set(result, list);
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const steps = this.steps.get(result) ?? [];
    this.steps.delete(result);
    const journey = test.annotations.find((a) => a.type === 'perfpulse.journey')?.description ?? test.title;
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
    const error = result.status === 'skipped' ? skipReason : firstLine(result.error?.message);
    if (error) entry.error = error;
    const measures: Partial<Record<MeasureKey, number>> = {};
    for (const a of result.annotations ?? test.annotations) {
      if (a.type !== 'perfpulse.measure' || !a.description) continue;
      const [key, value] = JSON.parse(a.description) as [MeasureKey, number];
      measures[key] = value;
    }
    if (Object.keys(measures).length) entry.measures = measures;
    const artifacts = result.attachments.flatMap((a) => (a.path && (a.name === 'trace' || a.name === 'screenshot') ? [a.path] : []));
    if (artifacts.length) entry.artifacts = artifacts;
    const measured = measurementsOf(result);
    if (measured) entry.measured = measured;
    const shot = result.attachments.find((a) => a.name === 'screenshot' && a.path)?.path;
    if (shot) entry.screenshot = shot;
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

/** The collectors' attachment (src/runtime/collectors), with the set-up time made relative to the test's start. */
function measurementsOf(result: TestResult): JourneyMeasurements | undefined {
  const body = result.attachments.find((a) => a.name === MEASUREMENTS_ATTACHMENT)?.body;
  if (!body) return undefined;
  const measured = JSON.parse(body.toString('utf8')) as JourneyMeasurements;
  if (measured.setupDoneAtMs !== undefined) measured.browserSetupMs = measured.setupDoneAtMs - result.startTime.getTime();
  return measured;
}
