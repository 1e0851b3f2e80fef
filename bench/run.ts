/**
 * `npm run bench`: how truly the harness measures and what it costs, beside its peers, on this
 * machine. Sections (bench/sections/): startup (the fixed cost of a run, part by part), steptime
 * (default mode against bare Playwright), fidelity (a first-byte delay D), scale (1–8 users), push
 * (10,000 series; 100 spooled runs replayed), peers (Artillery + its Playwright engine,
 * @elastic/synthetics, bare Playwright). Writes bench/results.md and bench/results.json.
 *
 *   npm run bench [-- --quick] [--force] [--only a,b] [--baseline <checkout>] [--no-install-peers] [--out <dir>]
 *
 * Bounded: under 15 minutes on 2 cores (--quick: under 2; BENCH_MAX_SECONDS lowers it), each section
 * stops starting runs at its share of the budget. Refuses to start (exit 2) when the 1-minute load
 * per CPU is above 1 (BENCH_MAX_LOAD_PER_CPU) unless --force: numbers taken on a busy machine are not
 * worth writing down. Loopback only. Not part of `npm test`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { browserVersion } from '../src/runtime/browser/browser.ts';
import { CHROMIUM, ROOT, fmt, type BenchContext, type SectionResult } from './common.ts';
import { fidelity } from './sections/fidelity.ts';
import { installPeers, peers } from './sections/peers.ts';
import { push } from './sections/push.ts';
import { scale } from './sections/scale.ts';
import { startup } from './sections/startup.ts';
import { steptime } from './sections/steptime.ts';

/** Each section's share of the time budget (they run in this order). */
const SECTIONS = {
  startup: 0.08,
  steptime: 0.17,
  fidelity: 0.42,
  scale: 0.13,
  push: 0.03,
  peers: 0.17,
} as const;
type Section = keyof typeof SECTIONS;

function fail(line: string): never {
  process.stderr.write(`bench: ${line}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        only: { type: 'string' },
        baseline: { type: 'string' },
        'no-install-peers': { type: 'boolean', default: false },
        out: { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (err) {
    fail(`${(err as Error).message} (use --quick, --force, --only <sections>, --baseline <checkout>, --no-install-peers, --out <dir>)`);
  }
  const only = args.only ? args.only.split(',').map((s) => s.trim()) : (Object.keys(SECTIONS) as Section[]);
  const unknown = only.filter((s) => !(s in SECTIONS));
  if (unknown.length) fail(`unknown section ${unknown.join(', ')}: use ${Object.keys(SECTIONS).join(', ')}`);
  const maxLoad = Number(process.env.BENCH_MAX_LOAD_PER_CPU ?? 1);
  const loadAtStart = (loadavg()[0] ?? 0) / availableParallelism();
  if (loadAtStart > maxLoad && !args.force) {
    fail(`the 1-minute load per CPU is ${loadAtStart.toFixed(2)}, above ${maxLoad}: numbers taken now would measure the other work; wait, or pass --force`);
  }
  const budgetS = Math.min(Number(process.env.BENCH_MAX_SECONDS ?? Infinity), args.quick ? 110 : 840);
  // the peers' one-off install (npm ci, minutes) is not part of the measuring time
  const install = only.includes('peers') && !args.quick && !args['no-install-peers'];
  const installed = install ? installPeers((l) => process.stderr.write(`${l}\n`)) : undefined;
  const started = Date.now();
  const loads: number[] = [];
  const sampler = setInterval(() => loads.push((loadavg()[0] ?? 0) / availableParallelism()), 5000);
  sampler.unref();
  const log = (line: string) => process.stderr.write(`${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s  ${line}\n`);
  const results: Array<SectionResult & { section: Section; seconds: number }> = [];
  let spentShare = 0;
  for (const section of Object.keys(SECTIONS) as Section[]) {
    if (!only.includes(section)) continue;
    const share = SECTIONS[section] / only.reduce((a, s) => a + SECTIONS[s as Section], 0);
    spentShare += share;
    const ctx: BenchContext = { quick: args.quick, deadlineAt: started + budgetS * 1000 * spentShare, log, ...(args.baseline ? { baseline: args.baseline } : {}) };
    const t = Date.now();
    log(`section ${section}`);
    const r =
      section === 'startup' ? await startup(ctx)
      : section === 'steptime' ? await steptime(ctx)
      : section === 'fidelity' ? await fidelity(ctx)
      : section === 'scale' ? await scale(ctx)
      : section === 'push' ? await push(ctx)
      : await peers(ctx, { install: installed === true });
    results.push({ ...r, section, seconds: (Date.now() - t) / 1000 });
  }
  clearInterval(sampler);
  const loadNow = (loadavg()[0] ?? 0) / availableParallelism();
  loads.push(loadNow);
  const pkgVersion = (p: string) => (JSON.parse(readFileSync(join(ROOT, 'node_modules', p, 'package.json'), 'utf8')) as { version: string }).version;
  const machine = {
    date: new Date().toISOString(),
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    node: process.versions.node,
    playwright: pkgVersion('@playwright/test'),
    chromium: browserVersion(CHROMIUM) ?? 'unknown',
    loadPerCpu: { atStart: loadAtStart, median: [...loads].sort((a, b) => a - b)[Math.floor(loads.length / 2)] ?? loadNow, max: Math.max(...loads) },
    quick: args.quick,
    forced: args.force && loadAtStart > maxLoad,
    seconds: (Date.now() - started) / 1000,
  };
  const md = `# Benchmark: perfpulse-journeys beside its peers

Generated by \`npm run bench${args.quick ? ' -- --quick' : ''}\` (bench/run.ts) on ${machine.date}; do not edit by hand.${args.quick ? '\n**A --quick run: one sample each, for checking the bench, not for quoting.**' : ''}

Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB; Node ${machine.node}, Playwright ${machine.playwright}, Chromium ${machine.chromium}.
Load (1 min) per CPU: ${fmt(machine.loadPerCpu.atStart, 2)} at start, median ${fmt(machine.loadPerCpu.median, 2)}, max ${fmt(machine.loadPerCpu.max, 2)} during the run${machine.forced ? ' (**started with --force above the limit: the numbers measure a busy machine**)' : ''}. Took ${fmt(machine.seconds)} s.
Raw numbers: bench/results.json.

${results.map((r) => `## ${r.title}\n\n${r.markdown}`).join('\n')}`;
  const outDir = args.out ?? join(ROOT, 'bench');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'results.md'), md);
  writeFileSync(join(outDir, 'results.json'), `${JSON.stringify({ machine, sections: Object.fromEntries(results.map((r) => [r.section, { title: r.title, seconds: r.seconds, ...(r.data as object) }])) }, null, 2)}\n`);
  process.stdout.write(md);
}

await main();
