/**
 * Playwright reporter that shows progress on stderr as it happens: each journey as it starts,
 * each step as it ends with its time, and the journey's outcome. stdout stays free for data
 * (`--dry-run` prints the exposition text there). With `--users N` > 1 it shows how many journey
 * runs are done instead (./progress-bar.ts): a bar on a terminal, plain lines otherwise.
 */
import type { FullConfig, Reporter, Suite, TestCase, TestResult, TestStep } from '@playwright/test/reporter';
import { journeyWho, redactMessage, reportedFailure } from '../../results/failure.ts';
import { DEFAULT_BROWSER_OPTIONS, evidenceRerun, isEvidenceAttempt } from '../browser/emulation.ts';
import { RunReporter } from '../runner/handoff.ts';
import { PROJECT_ROOT } from '../runner/journeys.ts';
import { MultiUserProgress } from './progress-bar.ts';
import { firstLine, runSecrets } from './results-reporter.ts';

const out = (line: string) => process.stderr.write(`${line}\n`);

export default class ProgressReporter extends RunReporter implements Reporter {
  private readonly users = this.handoff.users ?? 1;
  /** Set in multi-user runs only; single-user output is unchanged. */
  private readonly multi = this.users > 1 ? new MultiUserProgress(this.handoff.progressTty === true, (t) => process.stderr.write(t)) : undefined;
  /** A test's last failed top-level step: its line is the one the summary prints. */
  private readonly failedSteps = new Map<TestResult, TestStep>();
  private readonly browserOptions = this.handoff.browserOptions ?? DEFAULT_BROWSER_OPTIONS;
  /** --trace on-failure: the attempt is the traced re-run of a failed journey (evidence, not measured). */
  private evidence(result: TestResult): boolean {
    return isEvidenceAttempt(this.browserOptions, result.retry);
  }

  private who(test: TestCase): string {
    return journeyWho(test.title, this.multi ? test.repeatEachIndex + 1 : undefined);
  }

  onBegin(_config: FullConfig, suite: Suite): void {
    this.multi?.begin(suite.allTests().length, this.users);
  }

  onTestBegin(test: TestCase, result: TestResult): void {
    if (this.multi) return this.multi.started();
    out(this.evidence(result) ? `▶ ${test.title} again, traced, for the evidence only (not measured)` : `▶ ${test.title}`);
  }

  onStepEnd(test: TestCase, result: TestResult, step: TestStep): void {
    if (step.category !== 'test.step' || step.parent || this.evidence(result)) return;
    if (step.error) this.failedSteps.set(result, step);
    if (this.multi) return;
    const mark = step.error ? '✗' : '✓';
    out(`  ${mark} ${test.title} › ${step.title}  ${(step.duration / 1000).toFixed(3)} s`);
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const step = this.failedSteps.get(result);
    this.failedSteps.delete(result);
    const why =
      result.status === 'skipped'
        ? test.annotations.find((a) => a.type === 'skip')?.description
        : reportedFailure(this.who(test), { ...(step ? { step } : {}), ...(result.error ? { error: result.error } : {}) }, { secrets: runSecrets(), root: PROJECT_ROOT })
            ?.failure.line;
    const mark = result.status === 'passed' ? '✓' : '✗';
    if (this.evidence(result)) {
      const what = `  ${test.title}${this.multi ? ` user ${test.repeatEachIndex + 1}` : ''} traced re-run ${result.status}: its trace is the failure's evidence`;
      if (this.multi) return this.multi.retrying(what);
      out(what);
      return;
    }
    const failedForGood = result.status !== 'passed' && result.status !== 'skipped';
    // A failed attempt that Playwright will retry is not a finished journey run yet (the evidence re-run does not count).
    const willRetry = failedForGood && result.retry < test.retries - (evidenceRerun(this.browserOptions) ? 1 : 0);
    const rerun = failedForGood && !willRetry && evidenceRerun(this.browserOptions) ? ' (running it once more, traced, for the evidence)' : '';
    if (this.multi) {
      if (willRetry) return this.multi.retrying(`↻ ${test.title} user ${test.repeatEachIndex + 1} ${result.status}, retrying`);
      const what = `${mark} ${test.title} user ${test.repeatEachIndex + 1} ${result.status} ${(result.duration / 1000).toFixed(1)} s${why ? `: ${why}` : ''}${rerun}`;
      return this.multi.ended(result.status === 'passed', what);
    }
    const retrying = willRetry ? ` (attempt ${result.retry + 1} of ${this.browserOptions.retries + 1}, retrying)` : '';
    const flaky = result.status === 'passed' && result.retry > 0 ? ` on attempt ${result.retry + 1}: flaky` : '';
    // the failure line stays the same whatever the trace mode; the re-run is said on a line of its own
    out(`${mark} ${test.title} ${result.status}${flaky}${retrying}${why ? `: ${why}` : ''}`);
    if (rerun) out(`  ${test.title}: running it once more, traced, for its evidence only (not measured)`);
  }

  onStdErr(chunk: string | Buffer): void {
    if (this.multi) return this.multi.passThrough(chunk.toString());
    process.stderr.write(chunk);
  }

  onStdOut(chunk: string | Buffer): void {
    if (this.multi) return this.multi.passThrough(chunk.toString());
    process.stderr.write(chunk);
  }

  onError(error: { message?: string }): void {
    const line = `✗ ${firstLine(redactMessage(error.message ?? '', runSecrets())) ?? 'runner error'}`;
    if (this.multi) return this.multi.line(line);
    out(line);
  }

  onEnd(): void {
    this.multi?.end();
  }

  printsToStdio(): boolean {
    return true;
  }
}
