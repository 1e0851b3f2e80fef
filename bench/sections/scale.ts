/**
 * Scale: N concurrent users (--users N, one Playwright worker each) running login and search once,
 * on this machine: journeys per minute, failures, CPU, the peak memory of the process tree and what
 * each user beyond the first adds, and where the throughput stops growing (saturation).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReplica } from '../../src/replica/server.ts';
import { DEMO_USER } from '../../src/replica/users.ts';
import { fmt, replicaProfile, runOurs, timeLeft, type BenchContext, type SectionResult } from '../common.ts';

interface Row {
  users: number;
  journeyRuns: number;
  failed: number;
  wallS: number;
  cpuS: number;
  peakTreeMiB: number;
  maxProcessMiB: number;
  perMinute: number;
}

export async function scale(ctx: BenchContext): Promise<SectionResult> {
  const levels = ctx.quick ? [1, 2] : [1, 2, 4, 8];
  const rows: Row[] = [];
  let cut = false;
  const replica = await startReplica({});
  try {
    const profile = replicaProfile(replica.origin);
    for (const users of levels) {
      if (users !== levels[0] && !timeLeft(ctx)) {
        cut = true;
        break;
      }
      const report = mkdtempSync(join(tmpdir(), 'perfpulse-bench-scale-'));
      const r = await runOurs(profile, ['--journeys', 'login,search', '--users', String(users), '--users-max-override', '--report', report], { credentials: DEMO_USER });
      let journeys: Array<{ status: string }> = [];
      try {
        journeys = (JSON.parse(readFileSync(join(report, 'report.json'), 'utf8')) as { journeys: Array<{ status: string }> }).journeys;
      } catch {
        ctx.log(`scale users=${users}: no report (exit ${r.code}): ${r.stderr.trim().split('\n').at(-1)}`);
      }
      const failed = journeys.filter((j) => j.status !== 'passed').length + Math.max(0, users * 2 - journeys.length);
      const row = { users, journeyRuns: journeys.length, failed, wallS: r.wallS, cpuS: r.cpuS, peakTreeMiB: r.peakTreeMiB, maxProcessMiB: r.maxProcessMiB, perMinute: ((journeys.length - journeys.filter((j) => j.status !== 'passed').length) / r.wallS) * 60 };
      rows.push(row);
      ctx.log(`scale users=${users}: ${row.journeyRuns} runs, ${failed} failed, ${fmt(row.wallS, 1)} s, ${fmt(row.perMinute, 1)}/min, peak ${fmt(row.peakTreeMiB)} MiB`);
    }
  } finally {
    await replica.stop();
  }
  const first = rows[0];
  // saturation: the first level whose passed journeys per minute grew by less than 10 % over the level before
  const saturated = rows.find((r, i) => i > 0 && r.perMinute < (rows[i - 1] as Row).perMinute * 1.1);
  const table = rows.map((r) => `| ${r.users} | ${r.journeyRuns} | ${r.failed} | ${fmt(r.wallS, 1)} | ${fmt(r.perMinute, 1)} | ${fmt(r.cpuS, 1)} | ${fmt(r.peakTreeMiB)} | ${first && r.users > 1 ? fmt((r.peakTreeMiB - first.peakTreeMiB) / (r.users - 1)) : '–'} |`);
  return {
    title: 'Scale: concurrent users on login + search',
    markdown: `One run per level (\`--users N --journeys login,search --dry-run\`), each user runs both journeys once.
Journeys per minute counts passed journey runs over the run's whole wall (start-up included). Memory is the
process tree's summed RSS (shared pages counted more than once), "per extra user" its growth over 1 user.
${saturated ? `Throughput stops growing (< 10 % more per level) at ${saturated.users} users.` : rows.length > 1 ? 'Throughput still grew at the last level measured.' : ''}${cut ? ' Cut short by the time limit.' : ''}

| users | journey runs | failed | wall (s) | journeys/min | CPU (s) | peak tree (MiB) | MiB per extra user |
|---|---|---|---|---|---|---|---|
${table.join('\n')}
`,
    data: { levels, cut, rows, saturatedAtUsers: saturated?.users ?? null },
  };
}
