/** Which Playwright and which Chromium measured (for perfpulse_usersim_build_info). */
import { createRequire } from 'node:module';
import type { JourneyMeasurements } from '../../results/results.ts';
import type { Collector, CollectorContext } from './types.ts';

const require = createRequire(import.meta.url);

export class BuildInfoCollector implements Collector {
  readonly name = 'build-info';
  async finish(ctx: CollectorContext): Promise<JourneyMeasurements> {
    const out: JourneyMeasurements = { playwright: (require('playwright-core/package.json') as { version: string }).version };
    const chromium = ctx.page.context().browser()?.version();
    if (chromium) out.chromium = chromium;
    return out;
  }
}
