/**
 * Verdicts made from a journey's results: every declared step with its outcome (passed, failed, or
 * not_reached after a failure) and the failed step's error class (./error-class.ts). The metrics,
 * the summary table, --json, the report and JUnit all read them from here, so they say the same.
 */
import { stepErrorClass, type ErrorClass } from './error-class.ts';
import type { JourneyResult, StepResult } from './results.ts';

export const STEP_OUTCOMES = ['passed', 'failed', 'not_reached'] as const;
export type StepOutcome = (typeof STEP_OUTCOMES)[number];

export interface StepVerdict {
  step: string;
  outcome: StepOutcome;
  /** The step as it ran; absent when it was not reached. */
  result?: StepResult;
  /** A failed step's class. */
  errorClass?: ErrorClass;
}

/**
 * Every step of the journey in the order it declares them (JourneyResult.declaredSteps), each with
 * its outcome; a step that ran without being declared (an older declaration) follows in the order
 * it ran. Without a declaration, the steps that ran.
 */
export function stepVerdicts(j: JourneyResult): StepVerdict[] {
  const ran = new Map(j.steps.map((s) => [s.name, s]));
  const names = [...(j.declaredSteps ?? []), ...j.steps.map((s) => s.name).filter((n) => !(j.declaredSteps ?? []).includes(n))];
  return names.map((step) => {
    const result = ran.get(step);
    if (!result) return { step, outcome: 'not_reached' };
    if (result.ok) return { step, outcome: 'passed', result };
    const errorClass = stepErrorClass(j, result);
    return { step, outcome: 'failed', result, ...(errorClass ? { errorClass } : {}) };
  });
}

/**
 * Over several users' runs of one journey (--users N): a step is failed when any user failed it,
 * passed when every user that reached it passed it, not_reached when no user reached it; its
 * classes are those of the users that failed it, in the order of ERROR_CLASSES' first appearance.
 */
export function combinedStepVerdicts(runs: readonly JourneyResult[]): Array<{ step: string; outcome: StepOutcome; errorClasses: ErrorClass[] }> {
  const per = runs.map(stepVerdicts);
  const names: string[] = [];
  for (const list of per) for (const v of list) if (!names.includes(v.step)) names.push(v.step);
  return names.map((step) => {
    const mine = per.flatMap((list) => list.filter((v) => v.step === step));
    const failed = mine.filter((v) => v.outcome === 'failed');
    const outcome: StepOutcome = failed.length ? 'failed' : mine.some((v) => v.outcome === 'passed') ? 'passed' : 'not_reached';
    const errorClasses = [...new Set(failed.flatMap((v) => (v.errorClass ? [v.errorClass] : [])))];
    return { step, outcome, errorClasses };
  });
}
