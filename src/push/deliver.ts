/**
 * Delivers a run's metrics: one PUT per journey to the group
 * {job="perfpulse_usersim", env, journey}, so that a renamed or removed step vanishes from the
 * gateway with the next run instead of lingering.
 */
import { USERSIM_JOB } from '../metrics/catalog.ts';
import { expositionFor } from '../metrics/exposition.ts';
import type { RunResults } from '../runtime/results.ts';
import { pushGroup, type PushOutcome } from './pushgateway.ts';

export interface JourneyDelivery extends PushOutcome {
  journey: string;
}

export async function deliverRun(results: RunResults, gateway: string, deadlineMs?: number): Promise<JourneyDelivery[]> {
  const out: JourneyDelivery[] = [];
  for (const j of results.journeys) {
    const body = await expositionFor(results.env, [j]);
    const outcome = await pushGroup({
      gateway,
      job: USERSIM_JOB,
      grouping: { env: results.env, journey: j.journey },
      body,
      method: 'PUT',
      deadlineMs,
    });
    out.push({ journey: j.journey, ...outcome });
  }
  return out;
}
