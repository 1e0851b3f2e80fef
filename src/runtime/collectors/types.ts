/**
 * Collectors measure what the step timer cannot: the browser's own clock (Web Vitals, Navigation
 * Timing), the harness's own overhead, and how busy the machine was. Each is one small module
 * behind this interface (cf. elastic/synthetics plugins); the journey fixture runs them in order.
 */
import type { Page, TestInfo } from '@playwright/test';
import type { JourneyMeasurements } from '../../results/results.ts';

/** Where a journey's measurements travel from the worker to the results reporter: a test attachment. */
export const MEASUREMENTS_ATTACHMENT = 'perfpulse-measurements';

export interface CollectorContext {
  page: Page;
  testInfo: TestInfo;
  /** The journey step running right now, or undefined between steps and during set-up. */
  currentStep(): string | undefined;
}

export interface Collector {
  readonly name: string;
  /** Before the first step: inject scripts, take baselines, calibrate. */
  setup?(ctx: CollectorContext): Promise<void>;
  /** After the last step (passed or failed), before the context closes: what was measured. */
  finish(ctx: CollectorContext): Promise<JourneyMeasurements>;
}
