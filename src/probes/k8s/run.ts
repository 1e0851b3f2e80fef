/**
 * The Kubernetes probes, as the seed's `k8s-kubectl-latency` and `k8s-jobs-terminating`:
 *
 * - kubectl latency: list each kind in the namespace (bounded concurrency) and time it. A single
 *   shot exports gauges; `--count N` (N > 1, or -1 for "until stopped") keeps a histogram across
 *   the loop and pushes it after every round, as the seed did.
 * - terminating jobs: how many Jobs have a deletionTimestamp but still exist, and for how long
 *   on average.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import { Registry } from 'prom-client';
import { counterOf, gaugeOf, histogramOf } from '../../metrics/instruments.ts';
import {
  JOBS_TERMINATING_JOB,
  KUBECTL_LATENCY_BUCKETS,
  KUBECTL_LATENCY_JOB,
  PROBE_METRICS,
  type K8sResult,
} from '../../metrics/catalog-probes.ts';
import type { Deliver, ProbeDelivery } from '../deliver.ts';
import { K8sClient } from './client.ts';
import { kindLabel } from './kinds.ts';
import type { K8sTarget } from './config.ts';
import { kubectlList } from './kubectl.ts';
import type { CallOutcome } from './outcome.ts';

export interface K8sProbeOptions {
  target: K8sTarget;
  latency: boolean;
  terminating: boolean;
  kinds: string[];
  /** Rounds: 1 = single shot (gauges); N > 1 or -1 (until aborted) = loop (histogram). */
  count: number;
  sleepMs: number;
  timeoutMs: number;
  concurrency: number;
  via: 'client' | 'kubectl';
  kubectl?: string;
  deliver: Deliver;
  log: (line: string) => void;
  signal?: AbortSignal;
}

export interface KindSummary {
  kind: string;
  results: Partial<Record<K8sResult, number>>;
  /** Seconds of the successful calls. */
  seconds: number[];
}

export interface K8sProbeReport {
  kinds: KindSummary[];
  terminating?: { ok: boolean; count?: number; avgAgeSeconds?: number; detail: string };
  deliveries: ProbeDelivery[];
  /** Number of calls that did not end `ok`. */
  failures: number;
  rounds: number;
}

const s3 = (ms: number) => (ms / 1000).toFixed(3);

export async function runK8sProbes(o: K8sProbeOptions): Promise<K8sProbeReport> {
  const report: K8sProbeReport = { kinds: [], deliveries: [], failures: 0, rounds: 0 };
  const client = new K8sClient(o.target);
  const where = `${o.target.cluster}/${o.target.namespace}`;
  o.log(`k8s: ${o.target.server} (${o.target.source}), cluster ${o.target.cluster}, namespace ${o.target.namespace}, via ${o.via}`);
  if (o.via === 'client') {
    const warm = await client.warmUp(o.timeoutMs);
    if (warm.result !== 'ok') o.log(`k8s: warm-up GET /api/v1 on ${where}: ${warm.result} (${warm.detail})`);
  }
  const grouping = { cluster: o.target.cluster, namespace: o.target.namespace };

  if (o.latency) {
    const loop = o.count !== 1;
    const registry = new Registry();
    const histogram = loop ? histogramOf(registry, PROBE_METRICS.kubectlLatency, KUBECTL_LATENCY_BUCKETS) : undefined;
    const last = loop ? undefined : gaugeOf(registry, PROBE_METRICS.kubectlLastLatency);
    const connect = o.via === 'client' ? gaugeOf(registry, PROBE_METRICS.apiConnect) : undefined;
    const requests = counterOf(registry, PROBE_METRICS.kubectlRequests);
    const summaries = new Map(o.kinds.map((k) => [k, { kind: kindLabel(k), results: {}, seconds: [] } as KindSummary]));
    report.kinds = [...summaries.values()];
    const limit = pLimit(Math.max(1, o.concurrency));

    for (let round = 0; o.count < 0 || round < o.count; round++) {
      if (o.signal?.aborted) break;
      const outcomes = await Promise.all(
        o.kinds.map((kind) =>
          limit(async (): Promise<[string, CallOutcome]> => [
            kind,
            o.via === 'kubectl' ? await kubectlList(o.kubectl ?? 'kubectl', o.target, kind, o.timeoutMs) : await client.list(kind, o.timeoutMs),
          ]),
        ),
      );
      report.rounds++;
      for (const [kind, out] of outcomes) {
        const labels = { ...grouping, kind: kindLabel(kind) };
        const summary = summaries.get(kind) as KindSummary;
        summary.results[out.result] = (summary.results[out.result] ?? 0) + 1;
        requests.inc({ ...labels, result: out.result });
        if (out.result === 'ok') {
          summary.seconds.push(out.ms / 1000);
          histogram?.observe(labels, out.ms / 1000);
          last?.set(labels, out.ms / 1000);
          if (out.connectMs !== undefined) connect?.set(labels, out.connectMs / 1000);
          o.log(`k8s: ${labels.kind} on ${where}: ok ${s3(out.ms)} s${out.connectMs !== undefined ? ` (new connection ${s3(out.connectMs)} s)` : ''}, ${out.detail}`);
        } else {
          report.failures++;
          o.log(`k8s: ${labels.kind} on ${where}: ${out.result} after ${s3(out.ms)} s: ${out.detail}`);
        }
      }
      report.deliveries.push(await o.deliver(KUBECTL_LATENCY_JOB, grouping, await registry.metrics()));
      const more = o.count < 0 || round + 1 < o.count;
      if (more && o.sleepMs > 0) await sleep(o.sleepMs, undefined, { signal: o.signal }).catch(() => undefined);
    }
  }

  if (o.terminating && !o.signal?.aborted) {
    const registry = new Registry();
    const gauge = (k: keyof typeof PROBE_METRICS) => gaugeOf(registry, PROBE_METRICS[k]);
    const success = gauge('jobsTerminatingSuccess');
    const count = gauge('jobsTerminating');
    const avgAge = gauge('jobsTerminatingAvgAge');
    const out = await client.allJobs(o.timeoutMs);
    if (out.items) {
      const now = Date.now();
      const ages = out.items
        .map((j) => j.metadata?.deletionTimestamp)
        .filter((t): t is Date => t !== undefined && t !== null)
        .map((t) => Math.max(0, (now - new Date(t).getTime()) / 1000));
      success.set(grouping, 1);
      count.set(grouping, ages.length);
      const avg = ages.length ? ages.reduce((a, b) => a + b, 0) / ages.length : undefined;
      if (avg !== undefined) avgAge.set(grouping, avg);
      report.terminating = { ok: true, count: ages.length, avgAgeSeconds: avg, detail: `${out.items.length} jobs listed` };
      o.log(`k8s: jobs terminating on ${where}: ${ages.length}${avg !== undefined ? `, average ${avg.toFixed(0)} s` : ''} (of ${out.items.length} jobs)`);
    } else {
      report.failures++;
      success.set(grouping, 0);
      report.terminating = { ok: false, detail: `${out.result}: ${out.detail}` };
      o.log(`k8s: jobs terminating on ${where}: ${out.result}: ${out.detail}`);
    }
    report.deliveries.push(await o.deliver(JOBS_TERMINATING_JOB, grouping, await registry.metrics()));
  }
  return report;
}

/** The summary table printed at the end. */
export function k8sSummary(report: K8sProbeReport): string {
  const rows: string[][] = [['kind', 'ok', 'failed', 'median_s', 'max_s']];
  for (const k of report.kinds) {
    const ok = k.results.ok ?? 0;
    const failed = Object.entries(k.results)
      .filter(([r]) => r !== 'ok')
      .map(([r, n]) => `${r}:${n}`)
      .join(',');
    const sorted = [...k.seconds].sort((a, b) => a - b);
    const median = sorted.length ? (sorted[Math.floor((sorted.length - 1) / 2)] as number).toFixed(3) : '-';
    const max = sorted.length ? (sorted[sorted.length - 1] as number).toFixed(3) : '-';
    rows.push([k.kind, String(ok), failed || '0', median, max]);
  }
  if (report.terminating) {
    const t = report.terminating;
    rows.push(['jobs_terminating', t.ok ? String(t.count) : '-', t.ok ? '0' : t.detail.split(':')[0] ?? '', t.avgAgeSeconds !== undefined ? `avg_age ${t.avgAgeSeconds.toFixed(0)}` : '-', '-']);
  }
  const widths = rows[0]?.map((_c, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}
