/**
 * `jobs-terminating`, as the seed's `k8s-jobs-terminating`: the Jobs of the namespace whose
 * deletionTimestamp is set but which still exist, and how long on average they have been
 * terminating (always through client-node, every page of the list); once per run.
 */
import type { TerminatingJobs } from '../../results/probes.ts';
import type { K8sClient } from './client.ts';
import type { K8sProbe } from './probe.ts';

async function terminating(client: K8sClient, timeoutMs: number): Promise<TerminatingJobs> {
  const out = await client.allJobs(timeoutMs);
  if (!out.items) return { ok: false, detail: `${out.result}: ${out.detail}` };
  const now = Date.now();
  const ages = out.items
    .map((j) => j.metadata?.deletionTimestamp)
    .filter((t): t is Date => t !== undefined && t !== null)
    .map((t) => Math.max(0, (now - new Date(t).getTime()) / 1000));
  const avg = ages.length ? ages.reduce((a, b) => a + b, 0) / ages.length : undefined;
  return { ok: true, count: ages.length, avgAgeSeconds: avg, detail: `${out.items.length} jobs listed`, listed: out.items.length };
}

export const jobsTerminating: K8sProbe = {
  name: 'jobs-terminating',
  async run({ client, options, log, signal, where, report, found }) {
    if (signal?.aborted) return;
    const t = await terminating(client, options.timeoutMs);
    report.terminating = t;
    if (t.ok) log(`k8s: jobs terminating on ${where}: ${t.count}${t.avgAgeSeconds !== undefined ? `, average ${t.avgAgeSeconds.toFixed(0)} s` : ''} (of ${t.listed} jobs)`);
    else {
      report.failures++;
      log(`k8s: jobs terminating on ${where}: ${t.detail}`);
    }
    await found(t);
  },
};
