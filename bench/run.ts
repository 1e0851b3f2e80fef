/**
 * `npm run bench`: how much the harness adds to a step, measured the way the tool measures.
 *
 * For each first-byte delay D, runs the real CLI (`--dry-run`, login journey, Debian's Chromium)
 * against the bundled replica with `GET /access/login=delay:D`, and records for the step
 * open_login_page: wall − D, the browser's TTFB − D and load − TTFB, and the harness overhead the
 * tool reported; plus the peak resident memory of the whole process tree (CLI, Playwright runner,
 * worker, Chromium; RSS summed, so shared pages count more than once: an upper estimate).
 *
 * Bounded: BENCH_RUNS runs per D (default 5, at most 20) and BENCH_MAX_SECONDS overall (default
 * 600); loopback only. Writes bench/results.md. Not part of `npm test`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { METRICS } from '../src/metrics/catalog.ts';
import { parseExposition, samplesOf } from '../src/metrics/parse.ts';
import { faultTable } from '../src/replica/faults.ts';
import { startReplica } from '../src/replica/server.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { PROJECT_ROOT } from '../src/runtime/runner/journeys.ts';
import { treeRssKiB } from './lib/proc.ts';

const DELAYS = [0, 200, 1000];
const RUNS = Math.min(20, Math.max(1, Number(process.env.BENCH_RUNS ?? 5)));
const MAX_SECONDS = Math.min(1800, Math.max(30, Number(process.env.BENCH_MAX_SECONDS ?? 600)));
const BIN = join(PROJECT_ROOT, 'bin', 'perfpulse-journeys.js');

interface Sample {
  D: number;
  wallMinusD: number;
  ttfbMinusD: number;
  pageWork: number;
  overhead: number;
  peakRssMiB: number;
  loadPerCpu: number;
}

async function oneRun(D: number): Promise<Sample> {
  const replica = await startReplica({ faults: faultTable([`GET /access/login=delay:${D}`]) });
  const dir = mkdtempSync(join(tmpdir(), 'perfpulse-bench-'));
  const profile = join(dir, 'bench.yaml');
  writeFileSync(profile, `name: bench\ndescription: bench replica\nurls:\n${['www', 'canfar', 'ws_cadc', 'ws', 'ws_uv'].map((r) => `  ${r}: ${replica.origin}`).join('\n')}\n`);
  try {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PERFPULSE_')));
    const child = spawn(process.execPath, [BIN, '--env', profile, '--dry-run', '--journeys', 'login', '--output', join(dir, 'out')], {
      cwd: dir,
      env: { ...env, PERFPULSE_USERNAME: DEMO_USER.username, PERFPULSE_PASSWORD: DEMO_USER.password },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, treeRssKiB(child.pid as number))), 100);
    const killer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearInterval(sampler);
    clearTimeout(killer);
    if (code !== 0) throw new Error(`run with D=${D} exited ${code}: ${stderr.slice(-400)}`);
    const fams = parseExposition(stdout);
    const at = (name: string) =>
      samplesOf(fams, name).find((s) => (s.labels.step ?? 'open_login_page') === 'open_login_page' && (s.labels.page ?? 'access_login') === 'access_login')?.value ?? NaN;
    const wall = at(METRICS.stepDuration.name) * 1000;
    const ttfb = at(METRICS.pageTtfb.name) * 1000;
    const load = at(METRICS.pageLoad.name) * 1000;
    return {
      D,
      wallMinusD: wall - D,
      ttfbMinusD: ttfb - D,
      pageWork: load - ttfb,
      overhead: at(METRICS.harnessOverhead.name) * 1000,
      peakRssMiB: peak / 1024,
      loadPerCpu: at(METRICS.hostLoadPerCpu.name),
    };
  } finally {
    await replica.stop();
  }
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN;
};
const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '–');

async function main(): Promise<void> {
  const started = Date.now();
  const loadAtStart = loadavg()[0] ?? 0;
  const samples: Sample[] = [];
  let stoppedEarly = false;
  outer: for (let i = 0; i < RUNS; i++) {
    for (const D of DELAYS) {
      if (Date.now() - started > MAX_SECONDS * 1000) {
        stoppedEarly = true;
        break outer;
      }
      const s = await oneRun(D);
      samples.push(s);
      process.stderr.write(`D=${D} wall-D=${fmt(s.wallMinusD)} ttfb-D=${fmt(s.ttfbMinusD)} load-ttfb=${fmt(s.pageWork)} overhead=${fmt(s.overhead)} rss=${fmt(s.peakRssMiB)} MiB\n`);
    }
  }
  const rows = DELAYS.map((D) => {
    const xs = samples.filter((s) => s.D === D);
    const col = (f: (s: Sample) => number) => `${fmt(quantile(xs.map(f), 0.5))} / ${fmt(quantile(xs.map(f), 0.95))}`;
    const within = xs.filter((s) => s.wallMinusD <= s.overhead + s.pageWork).length;
    return `| ${D} | ${xs.length} | ${col((s) => s.wallMinusD)} | ${col((s) => s.ttfbMinusD)} | ${col((s) => s.pageWork)} | ${col((s) => s.overhead)} | ${within}/${xs.length} | ${col((s) => s.peakRssMiB)} |`;
  });
  const allLoad = samples.map((s) => s.loadPerCpu);
  const md = `# Benchmark: harness overhead and memory

Generated by \`npm run bench\` (bench/run.ts) on ${new Date().toISOString()}; do not edit by hand.

Machine: ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown model'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory.
Load average (1 min) at start ${loadAtStart.toFixed(2)}; load per CPU during the runs median ${quantile(allLoad, 0.5).toFixed(2)}, max ${Math.max(...allLoad).toFixed(2)}.
${RUNS} runs per D requested${stoppedEarly ? ` (stopped early at the ${MAX_SECONDS} s limit)` : ''}; took ${((Date.now() - started) / 1000).toFixed(0)} s.

Each run is the real CLI (\`--dry-run\`, login journey, Chromium) against the bundled replica with a first-byte
delay D on \`GET /access/login\`; numbers are for the step \`open_login_page\` and its page, milliseconds,
**median / p95**. "overhead" is \`perfpulse_usersim_harness_overhead_seconds\` as the tool reported it in the
same run; "accounted" counts runs where wall − D ≤ overhead + (load − TTFB). Peak RSS is the whole process
tree (CLI, Playwright runner and worker, Chromium), summed, so shared pages count more than once.

| D (ms) | runs | wall − D | TTFB − D | load − TTFB (page's own work) | reported overhead | accounted | peak RSS (MiB) |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}
`;
  writeFileSync(join(PROJECT_ROOT, 'bench', 'results.md'), md);
  process.stdout.write(md);
}

await main();
