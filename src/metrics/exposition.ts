/**
 * Turns run results into Prometheus metrics. Pure: results in, prom-client Registry (classic text
 * format) out; sending it is the pusher's job.
 *
 * One-shot runs export gauges (see docs/decisions.md): a histogram pushed once per run would carry
 * one observation and mislead. A value that was not measured is left out, never sent as 0.
 */
import { Gauge, Registry } from 'prom-client';
import { JOURNEY_MEASURES, METRICS, type MetricDef } from './catalog.ts';
import type { JourneyResult } from '../runtime/results.ts';

function gauge(registry: Registry, def: MetricDef): Gauge {
  return new Gauge({ name: def.name, help: def.help, labelNames: [...def.labels], registers: [registry] });
}

/** A registry holding the metrics of the given journeys, all under the same env label. */
export function registryFor(env: string, journeys: readonly JourneyResult[]): Registry {
  const registry = new Registry();
  const stepDuration = gauge(registry, METRICS.stepDuration);
  const stepFailed = gauge(registry, METRICS.stepFailed);
  const journeyDuration = gauge(registry, METRICS.journeyDuration);
  const journeySuccess = gauge(registry, METRICS.journeySuccess);
  const runTimestamp = gauge(registry, METRICS.journeyRunTimestamp);
  const measured = JOURNEY_MEASURES.filter((k) => journeys.some((j) => j.measures?.[k] !== undefined));
  const measureGauges = new Map(measured.map((k) => [k, gauge(registry, METRICS[k])]));

  for (const j of journeys) {
    const labels = { env, journey: j.journey };
    for (const step of j.steps) {
      const stepLabels = { ...labels, step: step.name };
      stepDuration.set(stepLabels, step.durationMs / 1000);
      stepFailed.set(stepLabels, step.ok ? 0 : 1);
    }
    if (j.durationMs !== undefined) journeyDuration.set(labels, j.durationMs / 1000);
    journeySuccess.set(labels, j.status === 'passed' ? 1 : 0);
    runTimestamp.set(labels, j.startedAtMs / 1000);
    for (const [k, g] of measureGauges) {
      const v = j.measures?.[k];
      if (v !== undefined && Number.isFinite(v)) g.set(labels, v);
    }
  }
  return registry;
}

/** Prometheus text exposition of the given journeys. */
export async function expositionFor(env: string, journeys: readonly JourneyResult[]): Promise<string> {
  return registryFor(env, journeys).metrics();
}
