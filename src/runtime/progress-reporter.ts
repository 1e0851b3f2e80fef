/**
 * Playwright reporter that shows progress on stderr as it happens: each journey as it starts,
 * each step as it ends with its time, and the journey's outcome. stdout stays free for data
 * (`--dry-run` prints the exposition text there).
 */
import type { Reporter, TestCase, TestResult, TestStep } from '@playwright/test/reporter';
import { firstLine } from './results-reporter.ts';

const out = (line: string) => process.stderr.write(`${line}\n`);

export default class ProgressReporter implements Reporter {
  onTestBegin(test: TestCase): void {
    out(`▶ ${test.title}`);
  }

  onStepEnd(test: TestCase, _result: TestResult, step: TestStep): void {
    if (step.category !== 'test.step' || step.parent) return;
    const mark = step.error ? '✗' : '✓';
    out(`  ${mark} ${test.title} › ${step.title}  ${(step.duration / 1000).toFixed(3)} s`);
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const why = result.status === 'skipped' ? test.annotations.find((a) => a.type === 'skip')?.description : firstLine(result.error?.message);
    const retrying = result.status !== 'passed' && result.status !== 'skipped' && result.retry < test.retries ? ` (attempt ${result.retry + 1} of ${test.retries + 1}, retrying)` : '';
    const flaky = result.status === 'passed' && result.retry > 0 ? ` on attempt ${result.retry + 1}: flaky` : '';
    out(`${result.status === 'passed' ? '✓' : '✗'} ${test.title} ${result.status}${flaky}${retrying}${why ? `: ${why}` : ''}`);
  }

  onStdErr(chunk: string | Buffer): void {
    process.stderr.write(chunk);
  }

  onStdOut(chunk: string | Buffer): void {
    process.stderr.write(chunk);
  }

  onError(error: { message?: string }): void {
    out(`✗ ${firstLine(error.message) ?? 'runner error'}`);
  }

  printsToStdio(): boolean {
    return true;
  }
}
