/** The tables a probe run prints at the end: one row per probe call (http), per kind (k8s). */
import type { HttpProbeResults, K8sProbeResults } from '../results/probes.ts';
import { formatTable } from './summary.ts';

export function httpTable(r: HttpProbeResults): string {
  return formatTable([
    ['service', 'probe', 'result', 'seconds'],
    ...r.outcomes.map((o) => [o.service ?? o.role ?? '', o.probe, o.ok === undefined ? 'skipped' : o.ok ? 'ok' : `failed (${o.errorClass ?? 'assertion'})`, o.ms !== undefined ? (o.ms / 1000).toFixed(3) : '-']),
  ]);
}

export function k8sTable(r: K8sProbeResults): string {
  const rows: string[][] = [['kind', 'ok', 'failed', 'median_s', 'max_s']];
  for (const k of r.kinds) {
    const ok = k.results.ok ?? 0;
    const failed = Object.entries(k.results)
      .filter(([result]) => result !== 'ok')
      .map(([result, n]) => `${result}:${n}`)
      .join(',');
    const sorted = [...k.seconds].sort((a, b) => a - b);
    const median = sorted.length ? (sorted[Math.floor((sorted.length - 1) / 2)] as number).toFixed(3) : '-';
    const max = sorted.length ? (sorted[sorted.length - 1] as number).toFixed(3) : '-';
    rows.push([k.kind, String(ok), failed || '0', median, max]);
  }
  if (r.terminating) {
    const t = r.terminating;
    rows.push(['jobs_terminating', t.ok ? String(t.count) : '-', t.ok ? '0' : t.detail.split(':')[0] ?? '', t.avgAgeSeconds !== undefined ? `avg_age ${t.avgAgeSeconds.toFixed(0)}` : '-', '-']);
  }
  return formatTable(rows);
}
