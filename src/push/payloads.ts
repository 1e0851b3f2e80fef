/**
 * What a run pushes, as PushItems (job, grouping, method, body): the run's gauges per journey, the
 * last-success timestamp per passed journey, and the delivery health per env. Names, types and help
 * come from the catalog (src/metrics/catalog.ts).
 */
import { Registry } from 'prom-client';
import { counterOf, gaugeOf } from '../metrics/instruments.ts';
import { METRICS, PUSH_JOB, USERSIM_JOB, USERSIM_LAST_SUCCESS_JOB } from '../metrics/catalog.ts';
import { expositionFor } from '../metrics/exposition.ts';
import { combineUsers, groupByJourney } from '../results/multi-user.ts';
import type { JourneyResult, RunResults } from '../results/results.ts';
import type { PushItem, Spool } from './spool.ts';

/**
 * Per journey: PUT {job="perfpulse_usersim", env, journey} with the run's gauges (a renamed or
 * removed step vanishes), and, only when it passed, PUT {job="perfpulse_usersim_last_success",
 * env, journey} with the last-success timestamp (a failed run never erases it).
 */
export async function usersimItems(results: RunResults): Promise<Array<PushItem & { journey: string }>> {
  const items: Array<PushItem & { journey: string }> = [];
  // --users N: one group per journey holds every user's run (combined, src/results/multi-user.ts).
  for (const runs of groupByJourney(results.journeys.map(measuredPart)).values()) {
    const j = combineUsers(runs);
    const grouping = { env: results.env, journey: j.journey };
    const conditions = results.conditions ?? {}; // network/device: their own groups (decision 19)
    items.push({
      journey: j.journey,
      job: USERSIM_JOB,
      grouping: { ...grouping, ...conditions },
      method: 'PUT',
      body: await expositionFor(results.env, runs, conditions),
      runTimestampMs: j.startedAtMs,
      freshnessMetric: METRICS.journeyRunTimestamp.name,
    });
    if (j.status === 'passed') {
      const registry = new Registry();
      registry.setDefaultLabels(conditions);
      gaugeOf(registry, METRICS.journeyLastSuccess).set(grouping, j.startedAtMs / 1000);
      items.push({
        journey: j.journey,
        job: USERSIM_LAST_SUCCESS_JOB,
        grouping: { ...grouping, ...conditions },
        method: 'PUT',
        body: await registry.metrics(),
        runTimestampMs: j.startedAtMs,
        freshnessMetric: METRICS.journeyLastSuccess.name,
      });
    }
  }
  return items;
}

/**
 * A journey stopped by SIGINT/SIGTERM: the step the signal cut short and the journey's span were
 * not measured (their times end at the signal, not at what the user waited for), so they are left
 * out; the steps that finished before the signal stay. Any other journey is returned as it is.
 */
export function measuredPart(j: JourneyResult): JourneyResult {
  if (j.status !== 'interrupted') return j;
  const { durationMs: _notMeasured, ...rest } = j;
  return { ...rest, steps: j.steps.filter((s) => s.ok) };
}

/** PUT {job="perfpulse_push", env}: the spool's size and the persisted failure/drop counters. */
export async function healthItem(env: string, spool: Spool, now = Date.now()): Promise<PushItem> {
  const registry = new Registry();
  const counters = spool.counters();
  gaugeOf(registry, METRICS.pushSpoolEntries).set({ env }, spool.sizeByEnv().get(env) ?? 0);
  counterOf(registry, METRICS.pushFailures).inc({ env }, counters.failures[env] ?? 0);
  counterOf(registry, METRICS.pushSpoolDropped).inc({ env }, counters.dropped[env] ?? 0);
  return { job: PUSH_JOB, grouping: { env }, method: 'PUT', body: await registry.metrics(), runTimestampMs: now };
}
