/**
 * Evidence folders of the failed journeys (src/report/evidence.ts), under `<--output>/evidence/`:
 * their paths are known before anything is written, so the report links them; they are written once
 * the journeys' bodies went where they went (pushed, spooled, or printed by --dry-run).
 */
import { join, resolve } from 'node:path';
import type { JourneyBodies } from '../metrics/bodies.ts';
import type { JourneyDelivery } from '../push/deliver.ts';
import { groupUrl } from '../push/pushgateway.ts';
import { evidenceDir, needsEvidence, writeEvidence, type EvidenceBody } from '../report/evidence.ts';
import type { JourneyResult, RunResults } from '../results/results.ts';

/** Where the evidence folders go: `<--output>/evidence`. */
export const evidenceRoot = (output: string | undefined) => join(resolve(output ?? 'test-results'), 'evidence');

/** Each failed journey run's folder, keyed by the run (for the report's links). */
export function evidencePaths(root: string, results: RunResults): Map<JourneyResult, string> {
  return new Map(results.journeys.filter(needsEvidence).map((j) => [j, evidenceDir(root, j)]));
}

const path = (job: string, grouping: Record<string, string>) => new URL(groupUrl('http://gateway', job, grouping)).pathname;

/** The bodies of a journey and their fate: from the deliveries, or, with --dry-run, as printed. */
function bodiesOf(journey: string, deliveries: readonly JourneyDelivery[] | undefined, printed: readonly JourneyBodies[] | undefined): EvidenceBody[] {
  const delivery = deliveries?.find((d) => d.journey === journey);
  if (delivery) {
    return delivery.groups.map((g) => ({
      group: path(g.item.job, g.item.grouping),
      method: g.item.method,
      body: g.item.body,
      fate: g.ok ? 'delivered' : g.spooledTo ? `spooled (${g.spooledTo}): ${g.message}` : `not delivered: ${g.message}`,
    }));
  }
  return (printed?.find((b) => b.journey === journey)?.items ?? []).map((i) => ({ group: path(i.job, i.grouping), method: i.method, body: i.body, fate: 'printed by --dry-run, not pushed' }));
}

/** Writes every failed journey run's folder; returns their paths, in run order. */
export function writeEvidenceFolders(
  paths: ReadonlyMap<JourneyResult, string>,
  env: string,
  out: { deliveries?: readonly JourneyDelivery[]; printed?: readonly JourneyBodies[] },
): string[] {
  return [...paths].map(([j, dir]) => writeEvidence(dir, env, j, bodiesOf(j.journey, out.deliveries, out.printed)));
}
