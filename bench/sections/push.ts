/**
 * Push: 10,000 series in one PUT to a real local Pushgateway (goal ≤ 0.5 s), and 100 spooled runs
 * replayed to it (goal ≤ 5 s), through the tool's own delivery and replay code (src/push).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deliverItems } from '../../src/push/deliver.ts';
import { startLocalPushgateway } from '../../src/push/local-gateway.ts';
import { replaySpool } from '../../src/push/replay.ts';
import { Spool } from '../../src/push/spool.ts';
import type { PushItem } from '../../src/metrics/bodies.ts';
import { fmt, median, type BenchContext, type SectionResult } from '../common.ts';

const SERIES = 10_000;
const SPOOLED = 100;

function body(series: number, runSeconds: number): string {
  const lines = ['# HELP perfpulse_usersim_bench_value_seconds The bench\'s synthetic series.', '# TYPE perfpulse_usersim_bench_value_seconds gauge'];
  for (let i = 0; i < series; i++) lines.push(`perfpulse_usersim_bench_value_seconds{series="s${i}"} ${(i % 97) / 100}`);
  lines.push('# HELP perfpulse_usersim_bench_run_timestamp_seconds When the run started.', '# TYPE perfpulse_usersim_bench_run_timestamp_seconds gauge', `perfpulse_usersim_bench_run_timestamp_seconds ${runSeconds}`);
  return `${lines.join('\n')}\n`;
}

export async function push(ctx: BenchContext): Promise<SectionResult> {
  const reps = ctx.quick ? 1 : 5;
  const pushS: number[] = [];
  const replayS: number[] = [];
  const replayed: number[] = [];
  for (let r = 0; r < reps; r++) {
    // a fresh gateway per rep: the Pushgateway checks every push against everything it holds, so a
    // gateway still holding the earlier reps' groups made each rep slower than the last (1.25 s to 9 s)
    const gw = await startLocalPushgateway();
    try {
      const now = Date.now();
      const item: PushItem = { job: 'perfpulse_usersim_bench', grouping: { env: 'bench', rep: String(r) }, method: 'PUT', body: body(SERIES, now / 1000), runTimestampMs: now };
      const t = performance.now();
      const [d] = await deliverItems(gw.url, [item]);
      pushS.push((performance.now() - t) / 1000);
      if (!d?.ok) ctx.log(`push: 10,000 series not delivered: ${JSON.stringify(d)}`);

      const spool = new Spool(mkdtempSync(join(tmpdir(), 'perfpulse-bench-spool-')));
      for (let i = 0; i < SPOOLED; i++) {
        const at = now - (SPOOLED - i) * 60_000;
        spool.write({ job: 'perfpulse_usersim', grouping: { env: 'bench', journey: 'login', run: `${r}-${i}` }, method: 'PUT', body: body(40, at / 1000), runTimestampMs: at, freshnessMetric: 'perfpulse_usersim_bench_run_timestamp_seconds' }, 'bench: spooled on purpose', now);
      }
      const t2 = performance.now();
      const lines: string[] = [];
      const rep = await replaySpool(spool, gw.url, { deadlineAt: Date.now() + 60_000, log: (l) => lines.push(l) });
      if (rep.delivered < SPOOLED) ctx.log(`push: replay delivered ${rep.delivered}/${SPOOLED}: ${JSON.stringify(rep)}; ${lines.slice(0, 3).join('; ')}`);
      replayS.push((performance.now() - t2) / 1000);
      replayed.push(rep.delivered);
      ctx.log(`push rep ${r + 1}: 10,000 series ${fmt(pushS.at(-1) as number, 3)} s; ${rep.delivered}/${SPOOLED} spooled replayed in ${fmt(replayS.at(-1) as number, 2)} s`);
    } finally {
      await gw.stop();
    }
  }
  return {
    title: 'Push: 10,000 series, and 100 spooled runs replayed',
    markdown: `A real local Pushgateway (\`prometheus-pushgateway\`, no persistence, a fresh one per rep holding only that rep's 10,000 series when its replay starts: a gateway checks every push against all it holds), the tool's delivery code; ${reps} rep${reps === 1 ? '' : 's'}, median.

| what | goal | median (s) | all (s) |
|---|---|---|---|
| one PUT of ${SERIES.toLocaleString('en')} series | ≤ 0.5 | ${fmt(median(pushS), 3)} | ${pushS.map((x) => fmt(x, 3)).join(', ')} |
| replay of ${SPOOLED} spooled runs (delivered: ${replayed.join(', ')}) | ≤ 5 | ${fmt(median(replayS), 2)} | ${replayS.map((x) => fmt(x, 2)).join(', ')} |
`,
    data: { series: SERIES, spooled: SPOOLED, pushS, replayS, replayed },
  };
}
