/**
 * The usual Web Vitals thresholds (web.dev; the same numbers web-vitals uses for `rating`):
 * good up to the first, poor above the second, "needs improvement" between.
 */
import type { PageTiming } from '../results/results.ts';

export type Rating = 'good' | 'needs-improvement' | 'poor';

export interface VitalDef {
  key: keyof PageTiming;
  name: string;
  unit: 's' | '';
  /** [good ≤, poor >] in the field's own unit (ms, or unit-less for CLS). */
  thresholds: [number, number];
}

export const VITALS: VitalDef[] = [
  { key: 'ttfbMs', name: 'TTFB', unit: 's', thresholds: [800, 1800] },
  { key: 'fcpMs', name: 'FCP', unit: 's', thresholds: [1800, 3000] },
  { key: 'lcpMs', name: 'LCP', unit: 's', thresholds: [2500, 4000] },
  { key: 'inpMs', name: 'INP', unit: 's', thresholds: [200, 500] },
  { key: 'cls', name: 'CLS', unit: '', thresholds: [0.1, 0.25] },
];

export function rate(value: number, [good, poor]: [number, number]): Rating {
  return value > poor ? 'poor' : value > good ? 'needs-improvement' : 'good';
}
