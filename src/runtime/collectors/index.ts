/**
 * The collectors every journey runs, in order, and the one function the journey fixture calls.
 * Their measurements travel to the results reporter as one JSON test attachment.
 */
import type { JourneyMeasurements } from '../../results/results.ts';
import { BrowserCrashCollector } from './browser-crash.ts';
import { BuildInfoCollector } from './build-info.ts';
import { CalibrationCollector } from './calibration.ts';
import { ContentionCollector } from './contention.ts';
import { FailureScreenshotCollector } from './failure-screenshot.ts';
import { NetworkCollector } from './network.ts';
import { PageTimingCollector } from './page-timings.ts';
import { MEASUREMENTS_ATTACHMENT, type Collector, type CollectorContext } from './types.ts';

export function defaultCollectors(): Collector[] {
  // page timings before calibration, so that the calibration page carries the same injected script as a real page;
  // the network log records only what the journey's steps request (never the calibration); a failed
  // journey's masked screenshot first, while the page still shows where it failed
  return [new FailureScreenshotCollector(), new ContentionCollector(), new PageTimingCollector(), new CalibrationCollector(), new BuildInfoCollector(), new NetworkCollector(), new BrowserCrashCollector()];
}

/** Sets the collectors up, runs the journey (`use`), then finishes them and attaches what they measured. */
export async function withCollectors(ctx: CollectorContext, use: () => Promise<void>, collectors = defaultCollectors()): Promise<void> {
  for (const c of collectors) await c.setup?.(ctx);
  try {
    await use();
  } finally {
    const measured: JourneyMeasurements = {};
    for (const c of collectors) {
      try {
        Object.assign(measured, await c.finish(ctx));
      } catch {
        // a collector that cannot read leaves its values out; the journey's own result stands
      }
    }
    await ctx.testInfo.attach(MEASUREMENTS_ATTACHMENT, { body: JSON.stringify(measured), contentType: 'application/json' });
  }
}
