/**
 * Every body a run sends, as PushItems (job, grouping, method, body): the run's gauges per journey,
 * the last-success timestamp per passed journey, and the delivery health per env. Names, types and
 * help come from the catalog (./catalog.ts); delivering them is src/push's job.
 */
import { Registry } from 'prom-client';
import type { MeasuredRun } from '../results/run.ts';
import { counterOf, gaugeOf } from './instruments.ts';
import { METRICS, PUSH_JOB, USERSIM_JOB, USERSIM_LAST_SUCCESS_JOB } from './catalog.ts';
import { runExposition } from './exposition.ts';

/** One push: a body and the Pushgateway group it replaces. src/push delivers it, or spools it as it is. */
export interface PushItem {
  job: string;
  grouping: Record<string, string>;
  method: 'PUT' | 'POST';
  /** Exposition text, exactly as it would have been sent. */
  body: string;
  /** Epoch ms at which the measured run started: what "newer" means. */
  runTimestampMs: number;
  /**
   * A metric in the body whose value is the run's time in seconds; the gateway's value of it tells
   * whether the gateway already holds this run or a newer one. Without it, the group's
   * push_time_seconds is compared.
   */
  freshnessMetric?: string;
}

/** What one journey pushes: its run group first, then its last-success group when it passed. */
export interface JourneyBodies {
  journey: string;
  items: PushItem[];
}

/**
 * Per journey: PUT {job="perfpulse_usersim", env, journey} with the run's gauges (a renamed or
 * removed step vanishes), and, only when it passed, PUT {job="perfpulse_usersim_last_success",
 * env, journey} with the last-success timestamp (a failed run never erases it). With --users N a
 * journey's group holds every user's run, combined (src/results/multi-user.ts).
 */
export async function journeyBodies(run: MeasuredRun): Promise<JourneyBodies[]> {
  const out: JourneyBodies[] = [];
  for (const g of run.journeys) {
    const j = g.combined;
    const grouping = { env: run.env, journey: j.journey };
    const conditions = run.conditions; // network/device: their own groups (decision 19)
    const items: PushItem[] = [
      {
        job: USERSIM_JOB,
        grouping: { ...grouping, ...conditions },
        method: 'PUT',
        body: await runExposition(run, [g]),
        runTimestampMs: j.startedAtMs,
        freshnessMetric: METRICS.journeyRunTimestamp.name,
      },
    ];
    if (j.status === 'passed') {
      const registry = new Registry();
      registry.setDefaultLabels(conditions);
      gaugeOf(registry, METRICS.journeyLastSuccess).set(grouping, j.startedAtMs / 1000);
      items.push({
        job: USERSIM_LAST_SUCCESS_JOB,
        grouping: { ...grouping, ...conditions },
        method: 'PUT',
        body: await registry.metrics(),
        runTimestampMs: j.startedAtMs,
        freshnessMetric: METRICS.journeyLastSuccess.name,
      });
    }
    out.push({ journey: j.journey, items });
  }
  return out;
}

/** How delivery stands for one env: pushes waiting in the spool, and the persisted counters. */
export interface DeliveryHealth {
  spoolEntries: number;
  failures: number;
  dropped: number;
  /** Pushes neither delivered nor spooled (the spool could not be written). */
  lost: number;
}

/** PUT {job="perfpulse_push", env}: the spool's size and the persisted failure/drop/lost counters. */
export async function healthBody(env: string, health: DeliveryHealth, now = Date.now()): Promise<PushItem> {
  const registry = new Registry();
  gaugeOf(registry, METRICS.pushSpoolEntries).set({ env }, health.spoolEntries);
  counterOf(registry, METRICS.pushFailures).inc({ env }, health.failures);
  counterOf(registry, METRICS.pushSpoolDropped).inc({ env }, health.dropped);
  counterOf(registry, METRICS.pushLost).inc({ env }, health.lost);
  return { job: PUSH_JOB, grouping: { env }, method: 'PUT', body: await registry.metrics(), runTimestampMs: now };
}
