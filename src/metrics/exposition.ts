/**
 * Turns run results into Prometheus metrics. Pure: results in, prom-client Registry (classic text
 * format) out; the bodies made of it are ./bodies.ts's, sending them is the pusher's job.
 *
 * One-shot runs export gauges (see docs/decisions.md): a histogram pushed once per run would carry
 * one observation and mislead. A value that was not measured is left out, never sent as 0.
 */
import { Registry, type Gauge } from 'prom-client';
import { gaugeOf } from './instruments.ts';
import { JOURNEY_MEASURES, METRICS } from './catalog.ts';
import { journeyDurations, journeyRuns, spreadOf, stepDurations, stepNames, type JourneyRuns } from '../results/multi-user.ts';
import { journeyErrorClass } from '../results/error-class.ts';
import type { JourneyResult, PageTiming } from '../results/results.ts';
import type { MeasuredRun, RunBudgets } from '../results/run.ts';
import { combinedStepVerdicts } from '../results/verdicts.ts';
import { PACKAGE } from '../package.ts';

/** Per-page browser timings: catalog key → the PageTiming field it exports and its scale to base units. */
const PAGE_GAUGES: Array<[keyof typeof METRICS, keyof PageTiming, number]> = [
  ['pageTtfb', 'ttfbMs', 1 / 1000],
  ['pageFcp', 'fcpMs', 1 / 1000],
  ['pageLcp', 'lcpMs', 1 / 1000],
  ['pageInp', 'inpMs', 1 / 1000],
  ['pageCls', 'cls', 1],
  ['pageDomContentLoaded', 'domContentLoadedMs', 1 / 1000],
  ['pageLoad', 'loadMs', 1 / 1000],
];

/** Browser clocks give sub-microsecond noise (0.41600000000000004): keep microseconds. */
const micro = (v: number) => Math.round(v * 1e6) / 1e6;

/**
 * A registry holding the metrics of the given journeys, all under the same env label, and under
 * the run's condition labels (network, device) when it had any. With `--users N` a journey holds
 * one run per user (marked `user`); its gauges are then made from all of them.
 */
export function registryFor(env: string, journeys: readonly JourneyRuns[], conditions: Record<string, string> = {}, budgets?: RunBudgets): Registry {
  const registry = new Registry();
  if (Object.keys(conditions).length) registry.setDefaultLabels(conditions);
  const stepDuration = gaugeOf(registry, METRICS.stepDuration);
  const stepFailed = gaugeOf(registry, METRICS.stepFailed);
  const journeyDuration = gaugeOf(registry, METRICS.journeyDuration);
  const journeySuccess = gaugeOf(registry, METRICS.journeySuccess);
  const runTimestamp = gaugeOf(registry, METRICS.journeyRunTimestamp);
  const attempts = gaugeOf(registry, METRICS.journeyAttempts);
  const measured = JOURNEY_MEASURES.filter((k) => journeys.some((g) => g.runs.some((j) => j.measures?.[k] !== undefined)));
  const measureGauges = new Map(measured.map((k) => [k, gaugeOf(registry, METRICS[k])]));
  const pageGauges = PAGE_GAUGES.map(([key, field, scale]) => [gaugeOf(registry, METRICS[key]), field, scale] as const);
  const browserSetup = gaugeOf(registry, METRICS.browserSetup);
  const harnessOverhead = gaugeOf(registry, METRICS.harnessOverhead);
  const hostLoad = gaugeOf(registry, METRICS.hostLoadPerCpu);
  const throttled = gaugeOf(registry, METRICS.cpuThrottled);
  const buildInfo = gaugeOf(registry, METRICS.buildInfo);

  // --users N: each journey's users are one combined result for the gauges above, plus the
  // multi-user gauges below (docs/decisions.md 17). A single-user run's journey is its one run.
  const multi = journeys.filter((g) => g.multiUser);
  if (multi.length) usersGauges(registry, env, multi);
  verdictGauges(registry, env, journeys);
  if (budgets) budgetGauges(registry, env, journeys, budgets);

  for (const { combined: j } of journeys) {
    const labels = { env, journey: j.journey };
    for (const step of j.steps) {
      const stepLabels = { ...labels, step: step.name };
      stepDuration.set(stepLabels, step.durationMs / 1000);
      stepFailed.set(stepLabels, step.ok ? 0 : 1);
    }
    if (j.durationMs !== undefined) journeyDuration.set(labels, j.durationMs / 1000);
    journeySuccess.set(labels, j.status === 'passed' ? 1 : 0);
    runTimestamp.set(labels, j.startedAtMs / 1000);
    if (j.attempts !== undefined) attempts.set(labels, j.attempts);
    for (const [k, g] of measureGauges) {
      const v = j.measures?.[k];
      if (v !== undefined && Number.isFinite(v)) g.set(labels, v);
    }

    // What the collectors measured; a value not measured is left out, never 0.
    const m = j.measured;
    if (!m) continue;
    for (const p of m.pages ?? []) {
      for (const [g, field, scale] of pageGauges) {
        const v = p[field];
        if (typeof v === 'number') g.set({ ...labels, step: p.step, page: p.page }, micro(v * scale));
      }
    }
    if (m.browserSetupMs !== undefined && m.browserSetupMs >= 0) browserSetup.set(labels, m.browserSetupMs / 1000);
    if (m.calibrationMs?.length) harnessOverhead.set(labels, Math.max(...m.calibrationMs) / 1000);
    if (m.loadPerCpu !== undefined) hostLoad.set(labels, m.loadPerCpu);
    if (m.cpuThrottledSeconds !== undefined) throttled.set(labels, m.cpuThrottledSeconds);
    if (m.playwright && m.chromium) buildInfo.set({ version: PACKAGE.version, playwright: m.playwright, chromium: m.chromium }, 1);
  }
  return registry;
}

/**
 * The verdicts (src/results/verdicts.ts): every declared step under its outcome, and the journey's
 * failed runs by error class (registered only when one failed, so a run where all passed pushes
 * no empty family). Registered last: the bodies before them are unchanged.
 */
function verdictGauges(registry: Registry, env: string, journeys: readonly JourneyRuns[]): void {
  const outcome = gaugeOf(registry, METRICS.stepOutcome);
  for (const { journey, runs } of journeys) {
    for (const v of combinedStepVerdicts(runs)) outcome.set({ env, journey, step: v.step, outcome: v.outcome }, 1);
  }
  const classes = journeys.map(({ journey, runs }) => ({ journey, classes: runs.flatMap((j) => journeyErrorClass(j) ?? []) }));
  if (!classes.some((c) => c.classes.length)) return;
  const failures = gaugeOf(registry, METRICS.journeyFailures);
  for (const { journey, classes: list } of classes) {
    for (const c of new Set(list)) failures.set({ env, journey, error_class: c }, list.filter((x) => x === c).length);
  }
}

/**
 * --budgets: for the journeys of this body that have budgets, every limit as a gauge (so Grafana can
 * draw it beside the value) and every verdict of this run. Nothing is registered for a journey
 * without budgets, so a run without them pushes the bodies it always did.
 */
function budgetGauges(registry: Registry, env: string, journeys: readonly JourneyRuns[], { table, checks }: RunBudgets): void {
  const mine = journeys.filter((g) => table.journeys[g.journey]);
  if (!mine.length) return;
  const limits = (l: { warn?: number; fail?: number }) => (['warn', 'fail'] as const).flatMap((k) => (l[k] === undefined ? [] : [[k, l[k] as number] as const]));
  // each family is registered when it first gets a value: no empty family for a kind of budget not given
  const lazy = (def: (typeof METRICS)[keyof typeof METRICS]) => {
    let g: Gauge | undefined;
    return { set: (labels: Record<string, string>, v: number) => (g ??= gaugeOf(registry, def)).set(labels, v) };
  };
  const stepLimit = lazy(METRICS.stepBudget);
  const stepVerdict = lazy(METRICS.stepBudgetVerdict);
  const journeyLimit = lazy(METRICS.journeyBudget);
  const journeyVerdict = lazy(METRICS.journeyBudgetVerdict);
  const pageLimit = lazy(METRICS.pageBudget);
  const pageRatio = lazy(METRICS.pageBudgetRatio);
  const pageVerdict = lazy(METRICS.pageBudgetVerdict);
  for (const { journey } of mine) {
    const b = table.journeys[journey] as RunBudgets['table']['journeys'][string];
    for (const [step, l] of Object.entries(b.steps)) for (const [limit, v] of limits(l)) stepLimit.set({ env, journey, step, limit }, v);
    if (b.journey) for (const [limit, v] of limits(b.journey)) journeyLimit.set({ env, journey, limit }, v);
    for (const [page, vitals] of Object.entries(b.pages)) {
      for (const [vital, l] of Object.entries(vitals)) if (l) for (const [limit, v] of limits(l)) (vital === 'cls' ? pageRatio : pageLimit).set({ env, journey, page, vital, limit }, v);
    }
    for (const c of checks.filter((x) => x.journey === journey)) {
      if (c.page !== undefined) pageVerdict.set({ env, journey, page: c.page, vital: c.vital as string, verdict: c.verdict }, 1);
      else if (c.step === '_journey') journeyVerdict.set({ env, journey, verdict: c.verdict }, 1);
      else stepVerdict.set({ env, journey, step: c.step as string, verdict: c.verdict }, 1);
    }
  }
}

const STATISTICS = ['min', 'median', 'p95', 'max'] as const;

/** Users that passed and failed each journey, and the spread of step and journey times over them. */
function usersGauges(registry: Registry, env: string, groups: readonly JourneyRuns[]): void {
  const users = gaugeOf(registry, METRICS.journeyUsers);
  const stepSpread = gaugeOf(registry, METRICS.stepUsersDuration);
  const journeySpread = gaugeOf(registry, METRICS.journeyUsersDuration);
  for (const { journey, runs } of groups) {
    const labels = { env, journey };
    const passed = runs.filter((j) => j.status === 'passed').length;
    users.set({ ...labels, result: 'passed' }, passed);
    users.set({ ...labels, result: 'failed' }, runs.length - passed);
    for (const step of stepNames(runs)) {
      const spread = spreadOf(stepDurations(runs, step));
      if (spread) for (const stat of STATISTICS) stepSpread.set({ ...labels, step, statistic: stat }, spread[stat] / 1000);
    }
    const spread = spreadOf(journeyDurations(runs));
    if (spread) for (const stat of STATISTICS) journeySpread.set({ ...labels, statistic: stat }, spread[stat] / 1000);
  }
}

/**
 * The journeys' exposition text: what `--dry-run` prints for the whole run, and each journey's
 * run-group body when given that one journey (./bodies.ts), so the two cannot differ.
 */
export async function runExposition(run: MeasuredRun, journeys: readonly JourneyRuns[] = run.journeys): Promise<string> {
  return registryFor(run.env, journeys, run.conditions, run.budgets).metrics();
}

/** Exposition text of journey runs as they are (grouped and combined here), under one env. */
export async function expositionFor(env: string, journeys: readonly JourneyResult[], conditions?: Record<string, string>): Promise<string> {
  return registryFor(env, journeyRuns(journeys), conditions).metrics();
}
