/**
 * Whether the browser died under the journey: Chromium killed, out of memory or crashed while the
 * steps ran. Playwright's error then only says "Target page, context or browser has been closed",
 * the same words as a page our own code closed; so the fact is recorded here, from the browser's
 * connection, after the last step and before the context closes (src/results/error-class.ts makes it
 * the class `browser_crashed`; a renderer crash is told from Playwright's "Page crashed" text).
 */
import type { JourneyMeasurements } from '../../results/results.ts';
import type { Collector, CollectorContext } from './types.ts';

export class BrowserCrashCollector implements Collector {
  readonly name = 'browser-crash';
  async finish({ page }: CollectorContext): Promise<JourneyMeasurements> {
    // nothing of ours closes the browser before the journey's context is closed, after this
    const browser = page.context().browser();
    const gone = browser !== null && !browser.isConnected();
    return gone ? { browserCrashed: true } : {};
  }
}
