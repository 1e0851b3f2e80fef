/** The tables a probe run prints at the end: one row per probe call (http), per kind (k8s), per VOSpace operation, per job phase. */
import { HEADLESS_PHASES, type HeadlessJobResult, type HttpProbeResults, type K8sProbeResults, type VospaceProbeResults } from '../results/probes.ts';
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

const sec = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(3));

export function vospaceTable(r: VospaceProbeResults): string {
  const rows: string[][] = [['service', 'kind', 'result', 'negotiate_s', 'transfer_s', 'whole_s', 'MiB/s']];
  for (const svc of r.services) {
    if (svc.ok === undefined) rows.push([svc.service, '-', 'skipped', '-', '-', '-', '-']);
    else if (!svc.operations.length) rows.push([svc.service, '-', `failed (${svc.failure?.class})`, '-', '-', '-', '-']);
    for (const op of svc.operations) {
      const rate = op.ok && op.bytes && op.phasesMs.transfer ? (op.bytes / 1048576 / (op.phasesMs.transfer / 1000)).toFixed(1) : '-';
      rows.push([svc.service, op.kind, op.ok ? 'ok' : `failed (${op.failure?.class})`, sec(op.phasesMs.negotiate), sec(op.phasesMs.transfer), sec(op.phasesMs.whole), rate]);
    }
  }
  return formatTable(rows);
}

export function headlessTable(r: HeadlessJobResult): string {
  const result = r.ok === undefined ? 'skipped' : r.ok ? 'completed' : `failed (${r.failure?.class})`;
  return formatTable([['headless job', ...HEADLESS_PHASES.map((p) => `${p}_s`)], [result, ...HEADLESS_PHASES.map((p) => sec(r.phasesMs[p]))]]);
}
