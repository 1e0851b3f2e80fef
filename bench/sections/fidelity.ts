/**
 * Fidelity: a first-byte delay D on GET /access/login (the replica's delay fault), the real CLI
 * (--dry-run, login); for open_login_page: step wall − D, |TTFB − D| (the browser's own), and step
 * wall minus the harness overhead the tool exported, against D.
 */
import { METRICS } from '../../src/metrics/catalog.ts';
import { parseExposition, samplesOf } from '../../src/metrics/parse.ts';
import { faultTable } from '../../src/replica/faults.ts';
import { startReplica } from '../../src/replica/server.ts';
import { DEMO_USER } from '../../src/replica/users.ts';
import { fmt, median, quantile, replicaProfile, runOurs, timeLeft, type BenchContext, type SectionResult } from '../common.ts';

interface Sample {
  D: number;
  wallMinusD: number;
  ttfbErr: number;
  pageWork: number;
  overhead: number;
  wallMinusOverheadMinusD: number;
}

export async function fidelity(ctx: BenchContext): Promise<SectionResult> {
  const delays = ctx.quick ? [0, 500] : [0, 100, 500, 2000];
  const runs = ctx.quick ? 1 : 20;
  const samples: Sample[] = [];
  let cut = false;
  for (let i = 0; i < runs && !cut; i++) {
    for (const D of delays) {
      if (i > 0 && !timeLeft(ctx)) {
        cut = true;
        break;
      }
      const replica = await startReplica({ faults: faultTable([`GET /access/login=delay:${D}`]) });
      try {
        const r = await runOurs(replicaProfile(replica.origin), ['--journeys', 'login'], { credentials: DEMO_USER });
        if (r.code !== 0) {
          ctx.log(`fidelity D=${D}: run exited ${r.code}: ${r.stderr.trim().split('\n').at(-1)}`);
          continue;
        }
        const fams = parseExposition(r.exposition);
        const at = (name: string) => samplesOf(fams, name).find((s) => (s.labels.step ?? 'open_login_page') === 'open_login_page' && (s.labels.page ?? 'access_login') === 'access_login')?.value ?? NaN;
        const wall = at(METRICS.stepDuration.name) * 1000;
        const ttfb = at(METRICS.pageTtfb.name) * 1000;
        const overhead = at(METRICS.harnessOverhead.name) * 1000;
        const s = { D, wallMinusD: wall - D, ttfbErr: Math.abs(ttfb - D), pageWork: at(METRICS.pageLoad.name) * 1000 - ttfb, overhead, wallMinusOverheadMinusD: wall - overhead - D };
        samples.push(s);
        ctx.log(`fidelity D=${D}: wall−D ${fmt(s.wallMinusD)} |ttfb−D| ${fmt(s.ttfbErr)} overhead ${fmt(overhead)} ms`);
      } finally {
        await replica.stop();
      }
    }
  }
  const rows = delays.map((D) => {
    const xs = samples.filter((s) => s.D === D);
    const mp = (f: (s: Sample) => number) => `${fmt(median(xs.map(f)))} / ${fmt(quantile(xs.map(f), 0.95))}`;
    return { D, runs: xs.length, wallMinusD: [median(xs.map((s) => s.wallMinusD)), quantile(xs.map((s) => s.wallMinusD), 0.95)], ttfbErrMedian: median(xs.map((s) => s.ttfbErr)), row: `| ${D} | ${xs.length} | ${mp((s) => s.wallMinusD)} | ${fmt(median(xs.map((s) => s.ttfbErr)))} | ${mp((s) => s.pageWork)} | ${mp((s) => s.overhead)} | ${mp((s) => s.wallMinusOverheadMinusD)} |` };
  });
  return {
    title: 'Fidelity: a first-byte delay D on one navigation',
    markdown: `The real CLI (\`--dry-run\`, login journey, Chromium) against the replica with \`GET /access/login=delay:D\`;
the step \`open_login_page\` and its page, milliseconds, **median / p95**, ${runs} run${runs === 1 ? '' : 's'} per D requested${cut ? ' (cut short by the time limit)' : ''}.
"overhead" is \`perfpulse_usersim_harness_overhead_seconds\` as exported by the same run.

| D (ms) | runs | step wall − D | \\|TTFB − D\\| median | load − TTFB (page's own work) | exported overhead | wall − overhead − D |
|---|---|---|---|---|---|---|
${rows.map((r) => r.row).join('\n')}
`,
    data: { delays, runsRequested: runs, cut, samples, rows: rows.map(({ row: _r, ...rest }) => rest) },
  };
}
