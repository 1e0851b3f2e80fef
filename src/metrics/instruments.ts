/**
 * prom-client instruments made from catalog definitions, so every place that exports a metric
 * takes its name, help and label names from the catalog and nowhere else.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The part of a catalog definition an instrument needs (MetricDef and the probe catalog's both fit). */
export interface InstrumentDef {
  readonly name: string;
  readonly help: string;
  readonly labels: readonly string[];
}

function config(registry: Registry, def: InstrumentDef) {
  return { name: def.name, help: def.help, labelNames: [...def.labels], registers: [registry] };
}

export function gaugeOf(registry: Registry, def: InstrumentDef): Gauge {
  return new Gauge(config(registry, def));
}

export function counterOf(registry: Registry, def: InstrumentDef): Counter {
  return new Counter(config(registry, def));
}

export function histogramOf(registry: Registry, def: InstrumentDef, buckets: readonly number[]): Histogram {
  return new Histogram({ ...config(registry, def), buckets: [...buckets] });
}
