/**
 * Replay: sends spooled pushes oldest first, each only when its run is newer than what the gateway
 * already holds for that group, deletes each after a 2xx, and drops what is past the spool's limits
 * (saying so). Used at the start of `run` and by `perfpulse-journeys push --replay`.
 *
 * "What the gateway holds" is read from its /api/v1/metrics: the group's value of the entry's
 * freshness metric (e.g. perfpulse_usersim_journey_run_timestamp_seconds), else the group's
 * push_time_seconds. A run already held (equal timestamp: pushed, but the answer was lost) is not
 * sent twice; an older run never overwrites a newer one.
 */
import { exchange, type GatewayAccess } from './http.ts';
import { DEFAULT_RETRY, pushWithRetry, type RetryPolicy } from './retry.ts';
import { envOf, groupKey, groupName, type Spool } from './spool.ts';

interface ApiFamily {
  metrics?: Array<{ value?: string }>;
}
interface ApiGroup {
  labels: Record<string, string>;
  [metric: string]: unknown;
}

/** At most this much of the gateway's /api/v1/metrics answer is read (a gateway holding more cannot be replayed to). */
const MAX_GROUPS_ANSWER = 256 * 1024 * 1024;

/** The gateway's groups by groupKey (labels other than job are its grouping). */
export async function gatewayGroups(gateway: string, access: GatewayAccess | undefined, deadlineMs: number): Promise<Map<string, ApiGroup>> {
  const base = new URL(gateway);
  const url = new URL(`${base.origin}${base.pathname.replace(/\/+$/, '')}/api/v1/metrics`);
  // the whole answer: it lists every group the gateway holds, easily beyond the 64 KiB kept of an error answer
  const res = await exchange(url, { method: 'GET', deadlineMs, access, headers: { accept: 'application/json' }, maxBody: MAX_GROUPS_ANSWER });
  if (res.status !== 200) throw new Error(`${res.status} from /api/v1/metrics`);
  const parsed = JSON.parse(res.text) as { data?: ApiGroup[] };
  const groups = new Map<string, ApiGroup>();
  for (const g of parsed.data ?? []) {
    const { job, ...grouping } = g.labels;
    groups.set(groupKey(job ?? '', grouping), g);
  }
  return groups;
}

/** The newest value of `metric` in the group, in seconds, or undefined. */
function valueIn(group: ApiGroup, metric: string): number | undefined {
  const fam = group[metric] as ApiFamily | undefined;
  const values = (fam?.metrics ?? []).map((m) => Number(m.value)).filter((v) => Number.isFinite(v));
  return values.length ? Math.max(...values) : undefined;
}

/** The run time (seconds) the gateway holds for a group, or undefined when it holds nothing. */
export function heldRunSeconds(group: ApiGroup | undefined, freshnessMetric: string | undefined): number | undefined {
  if (!group) return undefined;
  return (freshnessMetric ? valueIn(group, freshnessMetric) : undefined) ?? valueIn(group, 'push_time_seconds');
}

export interface ReplayOptions {
  access?: GatewayAccess;
  policy?: RetryPolicy;
  /** Epoch ms by which replay must stop; what is left stays spooled. */
  deadlineAt: number;
  signal?: AbortSignal;
  log: (line: string) => void;
}

export interface ReplayReport {
  delivered: number;
  /** Already held by the gateway (same run or a newer one): deleted without sending. */
  superseded: number;
  dropped: number;
  /** Still spooled afterwards. */
  kept: number;
  /** Pushes tried that got no 2xx. */
  failed: number;
}

export async function replaySpool(spool: Spool, gateway: string, opts: ReplayOptions): Promise<ReplayReport> {
  const report: ReplayReport = { delivered: 0, superseded: 0, dropped: spool.prune().length, kept: 0, failed: 0 };
  const entries = spool.list();
  if (!entries.length) return report;
  opts.log(`spool: replaying ${entries.length} spooled push${entries.length === 1 ? '' : 'es'} from ${spool.dir}, oldest first`);
  let groups: Map<string, ApiGroup>;
  try {
    groups = await gatewayGroups(gateway, opts.access, Math.max(250, Math.min(opts.policy?.attemptDeadlineMs ?? DEFAULT_RETRY.attemptDeadlineMs, opts.deadlineAt - Date.now())));
  } catch (err) {
    report.kept = entries.length;
    opts.log(`spool: ${entries.length} kept: cannot read what the gateway holds (${(err as Error).message})`);
    return report;
  }
  /** What we pushed during this replay, so the next entry of the same group compares against it. */
  const pushedNow = new Map<string, number>();
  for (let i = 0; i < entries.length; i++) {
    const { file, entry } = entries[i] as (typeof entries)[number];
    const key = groupKey(entry.job, entry.grouping);
    const runS = entry.runTimestampMs / 1000;
    const held = pushedNow.get(key) ?? heldRunSeconds(groups.get(key), entry.freshnessMetric);
    const when = new Date(entry.runTimestampMs).toISOString();
    if (held !== undefined && held >= runS) {
      spool.remove(file);
      report.superseded++;
      opts.log(`spool: ${groupName(entry)} of run ${when} not sent: the gateway already holds ${held === runS ? 'that run' : `a newer one (${new Date(held * 1000).toISOString()})`}`);
      continue;
    }
    if (opts.signal?.aborted || Date.now() >= opts.deadlineAt) {
      report.kept += entries.length - i;
      opts.log(`spool: ${entries.length - i} kept for later: ${opts.signal?.aborted ? 'interrupted' : 'replay time is up'}`);
      break;
    }
    const out = await pushWithRetry(
      { gateway, job: entry.job, grouping: entry.grouping, body: entry.body, method: entry.method, access: opts.access },
      { policy: opts.policy, deadlineAt: opts.deadlineAt, signal: opts.signal },
    );
    if (out.ok) {
      spool.remove(file);
      pushedNow.set(key, runS);
      report.delivered++;
      opts.log(`spool: delivered ${groupName(entry)} of run ${when}`);
      continue;
    }
    if (out.attempts > 0) {
      report.failed++;
      spool.count('failures', [envOf(entry)]);
    }
    if (out.status === undefined) {
      report.kept += entries.length - i;
      opts.log(`spool: ${entries.length - i} kept for later: the gateway did not answer (${out.message})`);
      break;
    }
    report.kept++;
    opts.log(`spool: ${groupName(entry)} of run ${when} kept: ${out.message}`);
  }
  return report;
}
