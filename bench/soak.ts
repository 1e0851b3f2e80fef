/**
 * `npm run soak`: does the harness hold up over many journeys back to back? (issue 17)
 *
 * ONE real CLI process runs the loop mode (`run --env local --count N --sleep 0.5 --json`, the
 * bundled replica in that process) and pushes to a real prometheus-pushgateway on 127.0.0.1 (free
 * port, persistence off) through a counting proxy (./lib/push-proxy.ts). Between iterations the
 * soak switches faults by a seeded schedule: a replica fault through the replica's own
 * `PUT /__replica/faults`, or a gateway outage in the proxy, so some journeys fail or go undelivered
 * on purpose. It samples the CLI's RSS and open fds at every iteration's end, the whole process
 * tree's RSS every second, and remembers every process that ever ran below the CLI.
 *
 * Targets: RSS drift ≤ 10 % after warm-up (median of the 2nd decile of iterations vs the last
 * decile), open fds flat, no Chromium or zombie left (during the run and at the end), every run's
 * metrics delivered (accepted pushes per journey, spool empty), every fault had the planned effect.
 * Writes <out-dir>/soak.md and soak.json (default bench/). Bounded in count and time; loopback only.
 * Not part of `npm test` (test/soak.test.ts runs a tiny one).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { METRICS } from '../src/metrics/catalog.ts';
import { parseExposition, samplesOf } from '../src/metrics/parse.ts';
import { pushgatewayBinary, startLocalPushgateway } from '../src/push/local-gateway.ts';
import { prng } from '../src/replica/data.ts';
import { parseFaultSpec } from '../src/replica/faults.ts';
import { PROJECT_ROOT, availableJourneys } from '../src/runtime/runner/journeys.ts';
import { descendants, openFds, procStat, processTable, rssKiB, type ProcStat } from './lib/proc.ts';
import { groupLabels, startPushProxy } from './lib/push-proxy.ts';

const BIN = join(PROJECT_ROOT, 'bin', 'perfpulse-journeys.js');
const DRIFT_LIMIT = 0.1;
/** Fewer completed iterations than this: drift and fd growth are not judged (deciles too thin). */
const MIN_ITERATIONS_TO_JUDGE = 20;
const USAGE = 'usage: npm run soak -- [--journeys N] [--quick] [--max-minutes M] [--run-journeys login,search] [--seed S] [--fault-rate F] [--out-dir DIR]';

class BadInput extends Error {}

export interface SoakOptions {
  /** Journey runs wanted in all (an iteration runs every journey of runJourneys once). */
  journeys: number;
  maxMinutes: number;
  runJourneys: string[];
  seed: number;
  /** Share of iterations (after the first) that get a fault. */
  faultRate: number;
  outDir: string;
  sleepSeconds: number;
}

function parseOptions(argv: string[]): SoakOptions {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        journeys: { type: 'string' },
        quick: { type: 'boolean', default: false },
        'max-minutes': { type: 'string', default: '150' },
        'run-journeys': { type: 'string', default: 'login,search' },
        seed: { type: 'string', default: '17' },
        'fault-rate': { type: 'string', default: '0.2' },
        'out-dir': { type: 'string', default: join(PROJECT_ROOT, 'bench') },
        sleep: { type: 'string', default: '0.5' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    throw new BadInput(`${(err as Error).message.split('\n')[0]} (${USAGE})`);
  }
  const num = (name: string, v: string, min: number, max: number, integer = false): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      throw new BadInput(`--${name} ${JSON.stringify(v)}: expected ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`);
    }
    return n;
  };
  if (values.quick && values.journeys !== undefined) throw new BadInput('--quick and --journeys together: --quick means --journeys 50');
  const journeys = values.quick ? 50 : num('journeys', values.journeys ?? '1000', 1, 100_000, true);
  const known = availableJourneys();
  const runJourneys = values['run-journeys'].split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = runJourneys.filter((j) => !known.includes(j));
  if (!runJourneys.length || unknown.length) throw new BadInput(`--run-journeys: unknown journey ${unknown.join(', ') || '(none given)'} (known: ${known.join(', ')})`);
  return {
    journeys,
    maxMinutes: num('max-minutes', values['max-minutes'], 1, 24 * 60),
    runJourneys: [...new Set(runJourneys)],
    seed: num('seed', values.seed, 0, 2 ** 32 - 1, true),
    faultRate: num('fault-rate', values['fault-rate'], 0, 1),
    outDir: resolve(values['out-dir']),
    sleepSeconds: num('sleep', values.sleep, 0, 60),
  };
}

/** A fault the schedule can put on one iteration, and what it should do to it. */
interface FaultKind {
  id: string;
  /** The journey it aims at (it is only scheduled when that journey runs). */
  aims?: string;
  /** A replica fault, as `--replica-fault` writes it. */
  replica?: string;
  /** Every push of the iteration is answered 503 by the proxy. */
  gatewayOutage?: boolean;
  /** The journey this fault makes fail (exit 1). */
  fails?: string;
}

export const FAULTS: readonly FaultKind[] = [
  { id: 'token_login_500', aims: 'login', replica: 'POST /ac/login=status:500', fails: 'login' },
  { id: 'login_post_delay_1500ms', aims: 'login', replica: 'POST /access/login=delay:1500' },
  { id: 'search_find_500', aims: 'search', replica: 'POST /search/find=status:500', fails: 'search' },
  { id: 'search_find_delay_1000ms', aims: 'search', replica: 'POST /search/find=delay:1000' },
  { id: 'gateway_outage', gatewayOutage: true },
];

interface Planned {
  iteration: number;
  fault?: FaultKind;
  /** journey → passed/failed */
  expect: Record<string, 'passed' | 'failed'>;
  exitCode: number;
}

/**
 * The schedule: iteration 1 is clean (the replica's address is only known once it runs); after it
 * a share `faultRate` of iterations get one fault that applies to the journeys run. A gateway
 * outage is never on the last iteration nor right after another, so the next iteration replays its spool.
 */
export function schedule(iterations: number, runJourneys: readonly string[], seed: number, faultRate: number): Planned[] {
  const rand = prng(seed);
  const usable = FAULTS.filter((f) => !f.aims || runJourneys.includes(f.aims));
  const plan: Planned[] = [];
  for (let i = 1; i <= iterations; i++) {
    let fault: FaultKind | undefined;
    if (i > 1 && rand() < faultRate) {
      fault = usable[Math.floor(rand() * usable.length)];
      if (fault?.gatewayOutage && (i === iterations || plan[i - 2]?.fault?.gatewayOutage)) fault = undefined;
    }
    const expect = Object.fromEntries(runJourneys.map((j) => [j, fault?.fails === j ? 'failed' : 'passed'] as const));
    const exitCode = fault?.gatewayOutage ? 3 : fault?.fails ? 1 : 0;
    plan.push({ iteration: i, ...(fault ? { fault } : {}), expect, exitCode });
  }
  return plan;
}

interface Boundary {
  iteration: number;
  atMs: number;
  cliRssKiB: number;
  cliFds: number;
  /** Living processes below the CLI when the iteration had ended (the runner, workers, Chromium should be gone). */
  children: number;
  /** Processes seen below the CLI in an earlier iteration that are still alive (a Chromium or worker left over). */
  lingering: string[];
  zombies: number;
  gatewayRssKiB: number;
  loadPerCpu: number;
}

interface JsonDoc {
  iteration: number;
  exitCode: number;
  journeys: Array<{ journey: string; status: string; errorClass?: string }>;
  delivery: { pushes: Array<{ journey: string; delivered: boolean; spooled: boolean }> } | null;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
/** The 2nd decile (after warm-up) and the last decile of a series. */
const deciles = <T>(xs: T[]) => ({ warm: xs.slice(Math.floor(xs.length * 0.1), Math.max(Math.floor(xs.length * 0.2), Math.floor(xs.length * 0.1) + 1)), last: xs.slice(Math.floor(xs.length * 0.9)) });
const mib = (kib: number) => (Number.isFinite(kib) ? (kib / 1024).toFixed(1) : '–');
const pct = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %` : '–');

function firstLine(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000 });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').map((l) => l.trim()).find(Boolean) ?? 'unknown';
}

function versions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const pw = (require('@playwright/test/package.json') as { version: string }).version;
  let gw = 'unknown';
  try {
    gw = firstLine(pushgatewayBinary(), ['--version']);
  } catch {
    // reported as unknown
  }
  return {
    node: process.version,
    playwright: pw,
    chromium: existsSync('/usr/bin/chromium') ? firstLine('/usr/bin/chromium', ['--version']) : 'not found',
    pushgateway: gw,
    commit: headCommit(),
  };
}

const headCommit = () => firstLine('git', ['-C', PROJECT_ROOT, 'rev-parse', '--short', 'HEAD']);

/** Pushes still waiting in the spool: its entry files (src/push/spool.ts; state.json holds only counters). */
function spoolEntries(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json') && !f.endsWith('state.json') && !f.split('/').some((part) => part.startsWith('.'))).length;
}

export async function soak(opts: SoakOptions, log: (line: string) => void): Promise<number> {
  const started = Date.now();
  // the runner loads journeys and src/ anew each iteration: a commit during the soak is said, not hidden
  const startCommit = headCommit();
  const iterations = Math.ceil(opts.journeys / opts.runJourneys.length);
  const plan = schedule(iterations, opts.runJourneys, opts.seed, opts.faultRate);
  const maxMs = opts.maxMinutes * 60_000;
  const machine = {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown model',
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    freeMemoryGiBAtStart: Number((freemem() / 2 ** 30).toFixed(1)),
    loadAtStart: loadavg().map((l) => Number(l.toFixed(2))),
  };
  const work = mkdtempSync(join(tmpdir(), 'perfpulse-soak-'));
  const spoolDir = join(work, 'spool');
  const gw = await startLocalPushgateway();
  process.once('exit', () => gw.process.kill()); // should the soak itself fail, no gateway is left behind
  const proxy = await startPushProxy(gw.url);
  log(`soak: ${iterations} iterations of ${opts.runJourneys.join(',')} (${iterations * opts.runJourneys.length} journeys), at most ${opts.maxMinutes} min; gateway ${gw.url} behind ${proxy.url}`);

  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PERFPULSE_')));
  const args = ['--env', 'local', '--journeys', opts.runJourneys.join(','), '--count', String(iterations), '--sleep', String(opts.sleepSeconds), '--json'];
  const where = ['--pushgateway', proxy.url, '--spool-dir', spoolDir, '--output', join(work, 'out')];
  const cli = spawn(process.execPath, [BIN, ...args, ...where], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const cliPid = cli.pid as number;
  process.once('exit', () => cli.kill('SIGTERM'));

  const docs = new Map<number, JsonDoc>();
  let stdoutBuf = '';
  cli.stdout.on('data', (d: Buffer) => {
    stdoutBuf += d.toString();
    let nl;
    while ((nl = stdoutBuf.indexOf('\n')) >= 0) {
      const line = stdoutBuf.slice(0, nl);
      stdoutBuf = stdoutBuf.slice(nl + 1);
      try {
        const doc = JSON.parse(line) as JsonDoc;
        docs.set(doc.iteration, doc);
      } catch {
        // not a JSON document: --json keeps stdout to those, so this would show as a missing iteration
      }
    }
  });

  // What ran below the CLI: pid:start → (name, the iteration it was first seen in).
  const seen = new Map<string, { pid: number; start: string; comm: string; iteration: number }>();
  const peakTreeKiB = new Map<number, number>();
  let current = 0;
  let maxZombiesDuringRun = 0;
  const sample = (): ProcStat[] => {
    const table = processTable();
    const below = descendants(cliPid, table);
    for (const s of below) {
      const key = `${s.pid}:${s.start}`;
      if (!seen.has(key)) seen.set(key, { pid: s.pid, start: s.start, comm: s.comm, iteration: current });
    }
    maxZombiesDuringRun = Math.max(maxZombiesDuringRun, below.filter((s) => s.state === 'Z').length);
    const tree = [cliPid, ...below.map((s) => s.pid)].reduce((sum, pid) => sum + rssKiB(pid), 0);
    if (current) peakTreeKiB.set(current, Math.max(peakTreeKiB.get(current) ?? 0, tree));
    return below;
  };
  const alive = (p: { pid: number; start: string }) => {
    const s = procStat(p.pid);
    return s !== undefined && s.start === p.start && s.state !== 'Z';
  };
  const sampler = setInterval(sample, 1000);

  const boundaries: Boundary[] = [];
  const boundary = (n: number) => {
    const below = sample();
    boundaries.push({
      iteration: n,
      atMs: Date.now() - started,
      cliRssKiB: rssKiB(cliPid),
      cliFds: openFds(cliPid) ?? NaN,
      children: below.filter((s) => s.state !== 'Z').length,
      lingering: [...seen.values()].filter((p) => p.iteration < n && alive(p)).map((p) => `${p.comm}[${p.pid}]`),
      zombies: below.filter((s) => s.state === 'Z').length,
      gatewayRssKiB: rssKiB(gw.process.pid as number),
      loadPerCpu: (loadavg()[0] ?? 0) / availableParallelism(),
    });
  };

  let replicaOrigin = '';
  let stopped: string | undefined;
  let chain = Promise.resolve();
  const faultErrors: string[] = [];
  /** Sets what the plan says for iteration n (before it starts: during the pause, and the runner takes seconds to reach the replica). */
  const arm = async (n: number) => {
    const p = plan[n - 1];
    proxy.failing = p?.fault?.gatewayOutage === true;
    const table = p?.fault?.replica ? Object.fromEntries([parseFaultSpec(p.fault.replica)]) : {};
    const res = await fetch(`${replicaOrigin}/__replica/faults`, { method: 'PUT', body: JSON.stringify(table) }).catch((err: Error) => err);
    if (res instanceof Error || res.status !== 204) faultErrors.push(`iteration ${n}: could not set the replica's faults (${res instanceof Error ? res.message : res.status})`);
  };
  const stderrTail: string[] = [];
  let stderrBuf = '';
  cli.stderr.on('data', (d: Buffer) => {
    stderrBuf += d.toString();
    let nl;
    while ((nl = stderrBuf.indexOf('\n')) >= 0) {
      const line = stderrBuf.slice(0, nl);
      stderrBuf = stderrBuf.slice(nl + 1);
      stderrTail.push(line);
      if (stderrTail.length > 200) stderrTail.shift();
      replicaOrigin ||= /^replica: serving the CADC portal on (\S+)/.exec(line)?.[1] ?? '';
      const it = /^iteration (\d+)\/\d+$/.exec(line);
      if (it) current = Number(it[1]);
      const ended = /^iteration (\d+) ended with exit code (\d+)/.exec(line);
      if (ended) {
        const n = Number(ended[1]);
        boundary(n);
        if (n % 10 === 0 || n === 1) log(`soak: iteration ${n}/${iterations} ended (exit ${ended[2]}), ${((Date.now() - started) / 60_000).toFixed(1)} min, CLI RSS ${mib(rssKiB(cliPid))} MiB`);
        // the time bound: stop during the pause when one more iteration would not fit (not right after an outage, whose spool the next one replays)
        const elapsed = Date.now() - started;
        if (!stopped && elapsed + elapsed / n > maxMs && !plan[n - 1]?.fault?.gatewayOutage) {
          stopped = `the time bound (--max-minutes ${opts.maxMinutes}) was reached after iteration ${n}`;
          cli.kill('SIGTERM');
        } else if (!stopped) chain = chain.then(() => arm(n + 1));
      }
      if (/^loop ended: exit code/.test(line) && current && !boundaries.some((b) => b.iteration === current)) boundary(current);
    }
  });
  // Ctrl-C or a SIGTERM of the soak: the loop is stopped the same way, and what ran is still written up
  const onSignal = (sig: NodeJS.Signals) => {
    stopped ??= `the soak got ${sig} after iteration ${boundaries.at(-1)?.iteration ?? 0}`;
    cli.kill('SIGTERM');
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  const hardStop = setTimeout(() => {
    stopped = `the CLI outlived the time bound by 10 minutes: stopped by SIGTERM (then SIGKILL)`;
    cli.kill('SIGTERM');
    setTimeout(() => cli.kill('SIGKILL'), 30_000).unref();
  }, maxMs + 600_000);
  const cliExit = await new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
  clearTimeout(hardStop);
  clearInterval(sampler);
  process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  await chain;

  // Leftovers: give what ran below the CLI 10 s to go, then name what is still there.
  const leftAt = Date.now();
  const stillThere = () => [...seen.values()].filter((p) => {
    const s = procStat(p.pid);
    return s !== undefined && s.start === p.start;
  });
  while (stillThere().length && Date.now() - leftAt < 10_000) await new Promise((r) => setTimeout(r, 250));
  const leftovers = stillThere().map((p) => {
    const s = procStat(p.pid);
    return `${p.comm}[${p.pid}]${s?.state === 'Z' ? ' (zombie)' : ''}`;
  });
  const chromiumSeen = [...seen.values()].filter((p) => /chrom/i.test(p.comm)).length;

  // Delivery: what the gateway holds, and the pushes it accepted per journey.
  const held = await (await fetch(`${gw.url}/metrics`)).text();
  const pushTimes = samplesOf(parseExposition(held), 'push_time_seconds');
  const stepSeries = samplesOf(parseExposition(held), METRICS.stepDuration.name);
  await proxy.stop();
  await gw.stop();
  const spoolLeft = spoolEntries(spoolDir);
  rmSync(work, { recursive: true, force: true });

  // Which iterations completed (their journeys ran), and did each do what its fault planned?
  const completed = [...docs.values()].filter((d) => d.journeys.some((j) => j.status !== 'not run')).sort((a, b) => a.iteration - b.iteration);
  const mismatches: string[] = [];
  for (const d of completed) {
    const p = plan[d.iteration - 1] as Planned;
    const got = Object.fromEntries(d.journeys.map((j) => [j.journey, j.status]));
    const statusOk = opts.runJourneys.every((j) => got[j] === p.expect[j]);
    if (!statusOk || d.exitCode !== p.exitCode) {
      mismatches.push(`iteration ${d.iteration} (${p.fault?.id ?? 'no fault'}): expected ${JSON.stringify(p.expect)} exit ${p.exitCode}, got ${JSON.stringify(got)} exit ${d.exitCode}`);
    }
  }
  const lastDone = completed.at(-1)?.iteration ?? 0;
  const missingDocs = Array.from({ length: lastDone }, (_, i) => i + 1).filter((i) => !docs.has(i));
  for (const i of missingDocs) mismatches.push(`iteration ${i}: no --json document`);
  const deliveredDirect = completed.reduce((n, d) => n + (d.delivery?.pushes.filter((p) => p.delivered).length ?? 0), 0);
  const spooled = completed.reduce((n, d) => n + (d.delivery?.pushes.filter((p) => p.spooled).length ?? 0), 0);
  // Each run pushes one group per journey (job perfpulse_usersim) and one per probe kind; a passed
  // journey also its last-success group, and a delivery the push-health group: those two are not counted against runs.
  const groups = [...proxy.accepted].map(([path, accepted]) => ({ path, labels: groupLabels(path), accepted }));
  const perGroup = groups
    .filter((g) => g.labels.job !== 'perfpulse_push' && !g.labels.job?.endsWith('_last_success'))
    .map((g) => ({ group: g.path, runs: completed.length, accepted: g.accepted }));
  const perJourney = opts.runJourneys.map((j) => ({
    journey: j,
    runs: completed.length,
    accepted: groups.find((g) => g.labels.job === 'perfpulse_usersim' && g.labels.journey === j)?.accepted ?? 0,
    held: pushTimes.some((s) => s.labels.journey === j) && stepSeries.some((s) => s.labels.journey === j),
  }));
  const probeGroups = perGroup.filter((g) => !perJourney.some((p) => g.group.endsWith(`/journey/${p.journey}`)));

  // Figures over the completed iterations' ends.
  const ends = boundaries.filter((b) => b.iteration <= lastDone).sort((a, b) => a.iteration - b.iteration);
  const judged = ends.length >= MIN_ITERATIONS_TO_JUDGE;
  const drift = (xs: number[]) => {
    const { warm, last } = deciles(xs);
    return { warm: median(warm), last: median(last), drift: median(last) / median(warm) - 1 };
  };
  const cliRss = drift(ends.map((b) => b.cliRssKiB));
  const peaks = ends.map((b) => peakTreeKiB.get(b.iteration) ?? NaN).filter(Number.isFinite);
  const treeRss = drift(peaks);
  const gwRss = drift(ends.map((b) => b.gatewayRssKiB));
  const fds = deciles(ends.map((b) => b.cliFds));
  // flat: the last decile's median at most 1 above the 2nd decile's (a leak of one fd per iteration would add hundreds)
  const fdGrowth = median(fds.last) - median(fds.warm);
  const lingeringMax = Math.max(0, ...ends.map((b) => b.lingering.length));
  const childrenAtEnds = Math.max(0, ...ends.map((b) => b.children));
  const zombiesAtEnds = Math.max(0, ...ends.map((b) => b.zombies));
  const loads = ends.map((b) => b.loadPerCpu);
  const elapsedMin = (Date.now() - started) / 60_000;

  type Verdict = 'pass' | 'FAIL' | 'not judged';
  const v = (ok: boolean): Verdict => (ok ? 'pass' : 'FAIL');
  const verdicts: Array<{ target: string; verdict: Verdict; figures: string }> = [
    {
      target: 'RSS drift of the CLI process ≤ 10 % after warm-up',
      verdict: judged ? v(cliRss.drift <= DRIFT_LIMIT) : 'not judged',
      figures: `median at iteration ends: 2nd decile ${mib(cliRss.warm)} MiB → last decile ${mib(cliRss.last)} MiB (${pct(cliRss.drift)})`,
    },
    {
      target: 'RSS drift of the whole tree (per-iteration peak) ≤ 10 % after warm-up',
      verdict: judged ? v(treeRss.drift <= DRIFT_LIMIT) : 'not judged',
      figures: `median peak: 2nd decile ${mib(treeRss.warm)} MiB → last decile ${mib(treeRss.last)} MiB (${pct(treeRss.drift)})`,
    },
    {
      target: 'open file descriptors of the CLI flat',
      verdict: judged ? v(fdGrowth <= 1) : 'not judged',
      figures: `median at iteration ends: 2nd decile ${median(fds.warm)}, last decile ${median(fds.last)} (${fdGrowth >= 0 ? '+' : ''}${fdGrowth}; min ${Math.min(...ends.map((b) => b.cliFds))}, max ${Math.max(...ends.map((b) => b.cliFds))} overall)`,
    },
    {
      target: 'no Chromium or zombie left',
      verdict: v(!leftovers.length && lingeringMax === 0 && childrenAtEnds === 0 && zombiesAtEnds === 0),
      figures: `${seen.size} processes ran below the CLI (${chromiumSeen} Chromium); at iteration ends at most ${childrenAtEnds} alive below the CLI, ${zombiesAtEnds} zombies, ${lingeringMax} left from earlier iterations; after the CLI exited: ${leftovers.length ? leftovers.join(', ') : 'none left'}`,
    },
    {
      target: "every run's metrics delivered",
      verdict: v(perJourney.every((p) => p.accepted === p.runs && p.held) && perGroup.every((g) => g.accepted === g.runs) && spoolLeft === 0),
      figures: `${perJourney.map((p) => `${p.journey}: ${p.accepted} pushes accepted for ${p.runs} runs${p.held ? '' : ', NOT held by the gateway'}`).join('; ')}; probe groups: ${probeGroups.map((g) => `${g.group.replace('/metrics/job/', '')} ${g.accepted}`).join(', ') || 'none'}; ${deliveredDirect} delivered at once, ${spooled} spooled by a gateway outage and replayed; ${proxy.refused} pushes refused by the outages; ${spoolLeft} pushes left in the spool`,
    },
    {
      target: 'every fault had its planned effect',
      verdict: v(!mismatches.length && !faultErrors.length),
      figures: mismatches.length || faultErrors.length ? [...faultErrors, ...mismatches].slice(0, 10).join('; ') : `${completed.filter((d) => plan[d.iteration - 1]?.fault).length} faulted iterations, all as planned`,
    },
  ];
  const failed = verdicts.some((x) => x.verdict === 'FAIL');

  const faultCounts = FAULTS.map((f) => ({ id: f.id, what: f.replica ?? 'every push answered 503 by the proxy', iterations: completed.filter((d) => plan[d.iteration - 1]?.fault?.id === f.id).length }));
  const ran = completed.length * opts.runJourneys.length;
  const ver = versions();
  const date = new Date().toISOString();
  const why = stopped ?? (completed.length < iterations ? `the CLI ended after iteration ${lastDone} (exit ${cliExit})` : 'all requested journeys ran');
  // at this run's pace, how long all requested iterations would take (for the full run's command)
  const fullMinutes = completed.length ? Math.ceil(((elapsedMin / completed.length) * iterations * 1.2) / 10) * 10 : undefined;
  const fullRun = completed.length < iterations && fullMinutes ? ` At this run's pace all ${opts.journeys} would need about ${Math.round(fullMinutes / 1.2)} min: \`npm run soak -- --journeys ${opts.journeys} --max-minutes ${fullMinutes}\`.` : '';
  const md = `# Soak: ${ran} journeys back to back

Generated by \`npm run soak\` (bench/soak.ts) on ${date}; do not edit by hand.
Command: \`npm run soak -- --journeys ${opts.journeys} --max-minutes ${opts.maxMinutes} --run-journeys ${opts.runJourneys.join(',')} --seed ${opts.seed} --fault-rate ${opts.faultRate}\`

**${ran} of ${opts.journeys} journeys ran** (${completed.length} of ${iterations} iterations) in ${elapsedMin.toFixed(1)} min: ${why}.${fullRun} Overall: **${failed ? 'FAIL' : 'pass'}**${judged ? '' : ` (drift and fds not judged: fewer than ${MIN_ITERATIONS_TO_JUDGE} iterations)`}.

## Machine

${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB memory (${machine.freeMemoryGiBAtStart} GiB free at the start).
Load average at the start ${machine.loadAtStart.join(' / ')} (1/5/15 min); load per CPU at the iteration ends median ${median(loads).toFixed(2)}, max ${Math.max(...loads, 0).toFixed(2)}; at the end ${loadavg().map((l) => l.toFixed(2)).join(' / ')}.
Node ${ver.node}, Playwright ${ver.playwright}, ${ver.chromium}, ${ver.pushgateway}; commit ${ver.commit === startCommit ? ver.commit : `${startCommit} at the start, ${ver.commit} at the end (each iteration's runner loads the tree anew: see what the commits between changed)`}.

## How it runs

- **One long-lived CLI process** in its loop mode (what leaks in a deployment that loops with \`--count -1\`
  is that process; repeated one-shot runs would restart it and hide a leak): \`perfpulse-journeys ${args.join(' ')} --pushgateway <proxy> --spool-dir <tmp> --output <tmp>\`.
  Each iteration runs every journey of \`--run-journeys\` once (a "journey" here is one journey run), in a fresh
  Playwright runner and Chromium, then the local profile's probes, then pushes. The bundled replica lives in the
  CLI process, as with \`--env local\` in production-like use; the pause between iterations is ${opts.sleepSeconds} s.
- **A real prometheus-pushgateway** on 127.0.0.1 (free port, \`--persistence.file=\` empty), behind a counting
  proxy (bench/lib/push-proxy.ts) that counts, per journey group, the pushes the gateway accepted. Only loopback is targeted.
- **Faults, sprinkled deterministically**: seed ${opts.seed}, a share ${opts.faultRate} of the iterations after the first get
  one fault, switched in the pause before the iteration (the replica's \`PUT /__replica/faults\`, or the proxy's outage).
  Each one's planned effect is checked against the iteration's --json document (journey statuses and exit code).
- **Measured**: at every iteration's end the CLI's VmRSS and open fds (/proc/<pid>/status, /proc/<pid>/fd), what
  is still alive below it, and whether any process seen below it in an earlier iteration is still alive; every
  second the RSS of the whole tree (CLI + runner + worker + Chromium, summed: shared pages count more than once),
  kept as each iteration's peak. Drift = median of the last decile of iterations vs the median of the 2nd decile
  (the first decile is warm-up). At the end: what of everything ever seen below the CLI is still there after 10 s.
- **Bounded**: \`--journeys\` (default 1000; \`--quick\` = 50) and \`--max-minutes\` (default 150): the soak stops the loop
  with SIGTERM in a pause when one more iteration would not fit; never right after a gateway outage.

| fault | what | iterations |
|---|---|---|
${faultCounts.map((f) => `| ${f.id} | \`${f.what}\` | ${f.iterations} |`).join('\n')}

## Results

| target | verdict | figures |
|---|---|---|
${verdicts.map((x) => `| ${x.target} | ${x.verdict} | ${x.figures.replace(/\|/g, '\\|')} |`).join('\n')}

Also seen: the gateway's RSS at iteration ends ${mib(gwRss.warm)} MiB (2nd decile) → ${mib(gwRss.last)} MiB (last decile); the CLI exited ${cliExit}${stopped ? ' (4 = stopped by the soak\'s SIGTERM)' : ''}.

| iterations | CLI RSS at the end (MiB, median) | CLI fds (max) | tree peak RSS (MiB, median) | load per CPU (median) |
|---|---|---|---|---|
${Array.from({ length: 10 }, (_, k) => {
  const part = ends.slice(Math.floor((ends.length * k) / 10), Math.floor((ends.length * (k + 1)) / 10));
  if (!part.length) return '';
  const first = part[0] as Boundary;
  const lastB = part.at(-1) as Boundary;
  return `| ${first.iteration}–${lastB.iteration} | ${mib(median(part.map((b) => b.cliRssKiB)))} | ${Math.max(...part.map((b) => b.cliFds))} | ${mib(median(part.map((b) => peakTreeKiB.get(b.iteration) ?? NaN).filter(Number.isFinite)))} | ${median(part.map((b) => b.loadPerCpu)).toFixed(2)} |`;
})
  .filter(Boolean)
  .join('\n')}
`;
  const json = {
    date,
    options: opts,
    machine,
    versions: { ...ver, startCommit },
    requested: { journeys: opts.journeys, iterations },
    ran: { journeys: ran, iterations: completed.length, minutes: Number(elapsedMin.toFixed(2)), why },
    cliExit,
    verdicts,
    faults: faultCounts,
    delivery: { perJourney, acceptedByGroup: Object.fromEntries(proxy.accepted), deliveredDirect, spooled, refusedByOutage: proxy.refused, rejectedByGateway: proxy.rejected, spoolLeft },
    leftovers,
    mismatches,
    faultErrors,
    iterations: ends.map((b) => ({ ...b, peakTreeKiB: peakTreeKiB.get(b.iteration) ?? null })),
  };
  mkdirSync(opts.outDir, { recursive: true });
  writeFileSync(join(opts.outDir, 'soak.md'), md);
  writeFileSync(join(opts.outDir, 'soak.json'), `${JSON.stringify(json, null, 2)}\n`);
  log(`soak: wrote ${join(opts.outDir, 'soak.md')} and soak.json: ${failed ? 'FAIL' : 'pass'}`);
  if (!completed.length) log(`soak: no iteration completed; the CLI's last lines:\n${stderrTail.slice(-20).join('\n')}`);
  return failed || !completed.length ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('bench/soak.ts')) {
  let opts: SoakOptions;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof BadInput)) throw err;
    process.stderr.write(`soak: ${err.message}\n`);
    process.exit(2);
  }
  process.exitCode = await soak(opts, (line) => process.stderr.write(`${line}\n`));
}
