/** The lines after a run's summary table: where each journey's metrics went, and what a gateway we started holds. */
import { METRICS } from '../metrics/catalog.ts';
import { parseExposition, samplesOf } from '../metrics/parse.ts';
import type { JourneyDelivery } from '../push/deliver.ts';
import { redactUrl } from '../push/pushgateway.ts';

/** Where the metrics went, and for a gateway we started, proof that it holds them. */
export function deliveryReport(deliveries: JourneyDelivery[], gateway: string, held: Map<string, number> | Error | undefined, looping: boolean): string {
  const where = redactUrl(gateway);
  const lines = deliveries.map((d) =>
    d.ok
      ? `pushed ${d.journey} to ${d.url}`
      : `NOT DELIVERED ${d.journey} to ${where}: ${d.message}${d.spooled ? '; spooled for `perfpulse-journeys push --replay`' : ''}${d.lost ? `; LOST, not spooled: ${d.lost}` : ''}`,
  );
  if (held) lines.push(`the local Pushgateway (${looping ? 'stopped when the loop ends' : 'stopped now'}) held: ${heldText(held)}`);
  return lines.join('\n');
}

/** Counts the step-duration series the gateway exposes for this env, per journey. */
export async function heldSeries(gateway: string, env: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${gateway}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  const counts = new Map<string, number>();
  for (const s of samplesOf(parseExposition(text), METRICS.stepDuration.name)) {
    if (s.labels.env !== env) continue;
    const journey = s.labels.journey ?? '?';
    counts.set(journey, (counts.get(journey) ?? 0) + 1);
  }
  return counts;
}

function heldText(held: Map<string, number> | Error): string {
  if (held instanceof Error) return `could not read back: ${held.message}`;
  if (!held.size) return `no ${METRICS.stepDuration.name} series`;
  return [...held].map(([j, n]) => `${n} ${METRICS.stepDuration.name} series for journey ${j}`).join(', ');
}
