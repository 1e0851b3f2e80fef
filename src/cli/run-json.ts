/**
 * `run --json`: one JSON document per iteration on stdout (JSON Lines when looping) instead of the
 * summary table, for machines. Only what the summary and the delivery lines already say: no
 * secrets (the gateway's user-info is removed), no ANSI escapes, seconds rather than ms.
 */
import type { ProfileProbesResult } from './probe-runs.ts';
import type { JourneyDelivery } from '../push/deliver.ts';
import { redactUrl } from '../push/pushgateway.ts';
import { stripAnsi } from '../results/redact.ts';
import { stepBudget, type BudgetCheck } from '../results/budgets.ts';
import { journeyErrorClass } from '../results/error-class.ts';
import type { RunResults } from '../results/results.ts';
import { stepVerdicts } from '../results/verdicts.ts';

/** What one iteration produced, filled in as it goes (an aborted iteration leaves parts out). */
export interface IterationRecord {
  iteration: number;
  startedAtMs: number;
  results?: RunResults;
  deliveries?: JourneyDelivery[];
  /** For the gateway the run started itself: step-duration series it held, per journey. */
  held?: Map<string, number>;
  probes?: ProfileProbesResult;
  /** --budgets: this run's verdicts. */
  budgets?: readonly BudgetCheck[];
}

export interface JsonContext {
  env: string;
  /** The journeys this process was to run (after --journeys and --shard). */
  journeys: readonly string[];
  /** -1 = until stopped. */
  count: number;
  shard?: string;
  gateway?: string;
  localGateway: boolean;
}

const text = (s: string | undefined) => (s === undefined ? undefined : stripAnsi(s));
const seconds = (ms: number | undefined) => (ms === undefined ? null : Math.round(ms) / 1000);

export function iterationJson(ctx: JsonContext, rec: IterationRecord, exitCode: number): string {
  const results = rec.results;
  // --budgets: a step's or journey's verdict and limits, seconds
  const budgetOf = (journey: string, step: string) => {
    const c = rec.budgets ? stepBudget(rec.budgets, journey, step) : undefined;
    return c ? { verdict: c.verdict, seconds: c.value, warnSeconds: c.warn ?? null, failSeconds: c.fail ?? null } : undefined;
  };
  const journeys = ctx.journeys.map((name) => {
    const j = results?.journeys.find((x) => x.journey === name);
    if (!j) return { journey: name, status: 'not run', seconds: null, steps: [] };
    const errorClass = journeyErrorClass(j);
    return {
      journey: j.journey,
      status: j.status,
      seconds: seconds(j.durationMs),
      ...(j.error ? { error: text(j.error) } : {}),
      ...(errorClass ? { errorClass } : {}),
      ...(budgetOf(j.journey, '_journey') ? { budget: budgetOf(j.journey, '_journey') } : {}),
      // every declared step: passed, failed (with its error class) or not_reached (ok and seconds null)
      steps: stepVerdicts(j).map(({ step, outcome, result: s, errorClass: stepClass }) => ({
        step,
        outcome,
        ok: s ? s.ok : null,
        seconds: s ? seconds(s.durationMs) : null,
        ...(s?.error ? { error: text(s.error) } : {}),
        ...(stepClass ? { errorClass: stepClass } : {}),
        ...(budgetOf(j.journey, step) ? { budget: budgetOf(j.journey, step) } : {}),
        // the failure line's parts (src/results/failure.ts), waited time in seconds
        ...(s?.failure
          ? { failure: { expected: s.failure.expected ?? null, locator: s.failure.locator ?? null, seen: s.failure.seen, waitedSeconds: seconds(s.failure.waitedMs) } }
          : {}),
      })),
    };
  });
  const gateway = ctx.gateway;
  const delivery =
    gateway && rec.deliveries
      ? {
          pushgateway: redactUrl(gateway),
          local: ctx.localGateway,
          pushes: rec.deliveries.map((d) => ({
            journey: d.journey,
            delivered: d.ok,
            url: d.url,
            spooled: d.spooled,
            ...(d.ok ? {} : { message: text(d.message) }),
          })),
          ...(rec.held ? { held: Object.fromEntries(rec.held) } : {}),
        }
      : null;
  const probes = rec.probes
    ? {
        failures: rec.probes.failures,
        pushes: rec.probes.deliveries.map((d) => ({ where: d.where, delivered: d.ok, ...(d.ok ? {} : { message: text(d.message) }) })),
      }
    : null;
  const doc = {
    iteration: rec.iteration,
    iterations: ctx.count === -1 ? null : ctx.count,
    env: results?.env ?? ctx.env,
    shard: ctx.shard ?? null,
    startedAt: new Date(rec.startedAtMs).toISOString(),
    finishedAt: new Date().toISOString(),
    journeys,
    delivery,
    probes,
    ...(rec.budgets
      ? { pageBudgets: rec.budgets.filter((c) => c.page !== undefined).map((c) => ({ journey: c.journey, page: c.page, vital: c.vital, verdict: c.verdict, value: c.value, warn: c.warn ?? null, fail: c.fail ?? null })) }
      : {}),
    exitCode,
  };
  return `${JSON.stringify(doc)}\n`;
}
