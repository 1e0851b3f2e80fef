/**
 * Delivery that loses nothing: each push is tried with bounded retries (retry.ts) inside one
 * budget for the whole delivery, and whatever still fails is written to the spool (spool.ts) for a
 * later replay. Generic over job, grouping and body, so probes can deliver through it too.
 *
 * Once the gateway gives no answer at all (refused, unreachable, deadline), the remaining pushes
 * are spooled without being tried: they would only burn the budget a SIGTERM grace period allows.
 */
import type { JourneyBodies, PushItem } from '../metrics/bodies.ts';
import type { GatewayAccess } from './http.ts';
import { groupUrl, type PushOutcome } from './pushgateway.ts';
import { DEFAULT_RETRY, pushWithRetry, type RetryPolicy } from './retry.ts';
import { envOf, groupName, type Spool } from './spool.ts';

/** Whole-delivery budget: 3 attempts of one push fit in it, and it fits a 30 s SIGTERM grace. */
export const DEFAULT_DELIVERY_BUDGET_MS = 20_000;

export interface DeliverOptions {
  access?: GatewayAccess;
  policy?: RetryPolicy;
  /** Epoch ms by which delivery must be over; default now + DEFAULT_DELIVERY_BUDGET_MS. */
  deadlineAt?: number;
  /** Where undelivered pushes go; without one they are only reported. */
  spool?: Spool;
  /** One line per retry and per spooled push, for people (stderr). */
  log?: (line: string) => void;
}

export interface ItemDelivery extends PushOutcome {
  item: PushItem;
  attempts: number;
  /** The spool file holding it, when it was not delivered. */
  spooledTo?: string;
  /** Why it could not be spooled either, when it was not delivered: it is lost (and counted). */
  lost?: string;
}

export async function deliverItems(gateway: string, items: PushItem[], opts: DeliverOptions = {}): Promise<ItemDelivery[]> {
  const deadlineAt = opts.deadlineAt ?? Date.now() + DEFAULT_DELIVERY_BUDGET_MS;
  const log = opts.log ?? (() => undefined);
  const out: ItemDelivery[] = [];
  let unreachable: string | undefined;
  for (const item of items) {
    let result: ItemDelivery;
    if (unreachable !== undefined) {
      result = { item, ok: false, attempts: 0, message: `not tried: ${unreachable}` };
    } else {
      const outcome = await pushWithRetry(
        { gateway, job: item.job, grouping: item.grouping, body: item.body, method: item.method, access: opts.access },
        {
          policy: opts.policy ?? DEFAULT_RETRY,
          deadlineAt,
          onRetry: (failed, n, waitMs) => log(`push ${groupName(item)}: attempt ${n} failed (${failed.message}); retrying in ${waitMs} ms`),
        },
      );
      result = { item, ...outcome };
      if (!outcome.ok && outcome.status === undefined) unreachable = `the gateway did not answer (${outcome.message})`;
      if (!outcome.ok && outcome.attempts === 0) unreachable = 'the delivery budget was spent';
    }
    if (!result.ok && opts.spool) {
      try {
        result.spooledTo = opts.spool.write(item, result.message);
        opts.spool.count('failures', [envOf(item)]);
        log(`push ${groupName(item)}: not delivered (${result.message}); spooled to ${result.spooledTo}`);
      } catch (err) {
        // nothing thrown: the loss is said, and counted (perfpulse_push_lost_total, in this process if state.json cannot be written either)
        opts.spool.count('lost', [envOf(item)]);
        result.lost = (err as Error).message;
        log(`push ${groupName(item)}: not delivered (${result.message}) and NOT spooled: ${result.lost}; LOST, counted in perfpulse_push_lost_total`);
      }
    }
    out.push(result);
  }
  return out;
}

export interface JourneyDelivery extends PushOutcome {
  journey: string;
  /** URL of the journey's run group as pushed (grouping key, emulation labels included), without credentials. */
  url: string;
  /** Every push of this journey: its run group and, when it passed, its last-success group. */
  groups: ItemDelivery[];
  /** True when something of this journey went to the spool. */
  spooled: boolean;
  /** Why the spool could not take a push of this journey that was not delivered: that push is lost. */
  lost?: string;
}

/** Delivers a run's journeys (src/metrics/bodies.ts journeyBodies): per journey its run group, then its other groups. */
export async function deliverRun(journeys: readonly JourneyBodies[], gateway: string, opts: DeliverOptions = {}): Promise<JourneyDelivery[]> {
  const done = await deliverItems(gateway, journeys.flatMap((j) => j.items), opts);
  let next = 0;
  return journeys.map(({ journey, items }) => {
    const groups = done.slice(next, (next += items.length));
    const failed = groups.find((d) => !d.ok);
    const first = groups[0] as ItemDelivery; // the journey's run group: journeyBodies puts it first
    return {
      journey,
      url: groupUrl(gateway, first.item.job, first.item.grouping),
      groups,
      ok: !failed,
      ...((failed ?? first).status !== undefined ? { status: (failed ?? first).status } : {}),
      message: failed?.message ?? first.message,
      spooled: groups.some((d) => d.spooledTo !== undefined),
      ...(groups.some((d) => d.lost) ? { lost: groups.find((d) => d.lost)?.lost as string } : {}),
    };
  });
}

/**
 * Pushes the delivery-health bodies (src/metrics/bodies.ts healthBody: spool size, failure and drop
 * counters per env). One short attempt each, never spooled: the next delivery carries fresher
 * numbers anyway. Returns the envs whose health did not get through.
 */
export async function deliverHealth(gateway: string, items: readonly PushItem[], opts: DeliverOptions = {}): Promise<string[]> {
  const failed: string[] = [];
  for (const item of items) {
    const out = await pushWithRetry(
      { gateway, job: item.job, grouping: item.grouping, body: item.body, method: item.method, access: opts.access },
      { policy: { ...DEFAULT_RETRY, attempts: 1, attemptDeadlineMs: 3000 }, deadlineAt: opts.deadlineAt },
    );
    if (!out.ok) {
      failed.push(envOf(item));
      opts.log?.(`push ${groupName(item)}: delivery health not pushed (${out.message})`);
    }
  }
  return failed;
}
