/** Writes each failed top-level step (and each test's own error) of ./cases.pw.ts to $FAILURE_CASES_OUT as JSON. */
import { writeFileSync } from 'node:fs';
import type { Reporter, TestCase, TestResult, TestStep } from '@playwright/test/reporter';
import type { StepLike } from '../../../src/results/failure.ts';

export interface CollectedCase {
  /** The test's title: the case's name, standing in for a journey. */
  journey: string;
  status: string;
  /** The failed top-level step, as the results reporter sees it. */
  step?: { title: string; error: { message?: string; stack?: string; value?: string }; tree: StepLike };
  /** The test's error (result.error). */
  testError?: { message?: string; stack?: string; value?: string };
}

const tree = (s: TestStep): StepLike => ({
  category: s.category,
  ...(s.error ? { error: true } : {}),
  ...(s.location ? { location: { file: s.location.file, line: s.location.line } } : {}),
  steps: s.steps.map(tree),
});

const plain = (e: { message?: string; stack?: string; value?: string }) => ({
  ...(e.message !== undefined ? { message: e.message } : {}),
  ...(e.stack !== undefined ? { stack: e.stack } : {}),
  ...(e.value !== undefined ? { value: e.value } : {}),
});

export default class CasesReporter implements Reporter {
  private readonly failed = new Map<TestResult, CollectedCase['step']>();
  private readonly out: Record<string, CollectedCase> = {};

  onStepEnd(_test: TestCase, result: TestResult, step: TestStep): void {
    if (step.category === 'test.step' && !step.parent && step.error) this.failed.set(result, { title: step.title, error: plain(step.error), tree: tree(step) });
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const step = this.failed.get(result);
    this.out[test.title] = { journey: test.title, status: result.status, ...(step ? { step } : {}), ...(result.error ? { testError: plain(result.error) } : {}) };
  }

  onEnd(): void {
    writeFileSync(process.env.FAILURE_CASES_OUT as string, JSON.stringify(this.out, null, 2));
  }

  printsToStdio(): boolean {
    return false;
  }
}
