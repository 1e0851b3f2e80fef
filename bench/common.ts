/**
 * What the bench's sections share (bench/run.ts): a measured child process (wall, CPU of its whole
 * tree, the largest process and the summed peak of the tree), a profile pointing every URL role at a
 * replica, and the statistics. Loopback only.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/runtime/runner/journeys.ts';
import { parseOurs, parsePlaywrightJson, type PeerRun } from './peers/parse.ts';
import { treeRssKiB } from './lib/proc.ts';

export const ROOT = PROJECT_ROOT;
export const BIN = join(ROOT, 'bin', 'perfpulse-journeys.js');
export const CHROMIUM = process.env.PERFPULSE_BROWSER ?? '/usr/bin/chromium';

/** Sum of VmRSS (KiB) of pid and all its descendants (bench/lib/proc.ts, shared with the soak). */
export { treeRssKiB };

export interface Measured {
  code: number | null;
  stdout: string;
  stderr: string;
  wallS: number;
  /** User + system CPU of the process and every descendant it waited for (GNU time). */
  cpuS: number;
  /** The largest single process of the tree (GNU time's maximum resident set size). */
  maxProcessMiB: number;
  /** Peak of the whole tree's RSS summed every 100 ms (shared pages count more than once: an upper estimate). */
  peakTreeMiB: number;
}

/** Runs a command under GNU time (/usr/bin/time) with a time limit; never throws on its exit code. */
export async function measure(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'perfpulse-bench-time-'));
  const timeFile = join(dir, 'time');
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-o', timeFile, '-f', '%e %U %S %M', cmd, ...args], { env: opts.env ?? process.env, cwd: opts.cwd ?? ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, treeRssKiB(child.pid as number))), 100);
  const killer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 180_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(sampler);
  clearTimeout(killer);
  const wallS = (performance.now() - started) / 1000;
  let cpuS = NaN;
  let maxProcessMiB = NaN;
  try {
    const last = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1) ?? '';
    const [, u, s, m] = last.split(' ').map(Number);
    cpuS = (u ?? NaN) + (s ?? NaN);
    maxProcessMiB = (m ?? NaN) / 1024;
  } catch {
    // killed before time wrote its line
  }
  return { code, stdout, stderr, wallS, cpuS, maxProcessMiB, peakTreeMiB: peak / 1024 };
}

/** An env profile with every URL role at `origin` (the bench's replica); returns its path. */
export function replicaProfile(origin: string, name = 'bench'): string {
  const dir = mkdtempSync(join(tmpdir(), 'perfpulse-bench-'));
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `name: ${name}\ndescription: bench replica\nurls:\n${['www', 'canfar', 'ws_cadc', 'ws', 'ws_uv'].map((r) => `  ${r}: ${origin}`).join('\n')}\n`);
  return file;
}

/** The environment for a child: ours without PERFPULSE_*, plus `extra`. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PERFPULSE_'))), ...extra };
}

export const quantile = (xs: readonly number[], q: number): number => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN;
};
export const median = (xs: readonly number[]): number => quantile(xs, 0.5);
export const fmt = (v: number, digits = 0): string => (Number.isFinite(v) ? v.toFixed(digits) : '–');
export const ratio = (a: number, b: number): string => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '–');

/** What a section hands back: its markdown and its numbers. */
export interface SectionResult {
  title: string;
  markdown: string;
  data: unknown;
}

export interface BenchContext {
  quick: boolean;
  /** Epoch ms after which sections stop starting runs (every section still makes its first round). */
  deadlineAt: number;
  /** Another checkout to measure the same way (start-up and step time before a change). */
  baseline?: string;
  log: (line: string) => void;
}

export const timeLeft = (ctx: BenchContext): boolean => Date.now() < ctx.deadlineAt;

/** One run of our CLI (`--dry-run`) from checkout `root` against `profile`; steps parsed from its exposition. */
export async function runOurs(
  profile: string,
  args: string[],
  opts: { root?: string | undefined; journey?: string; credentials: { username: string; password: string }; noCompileCache?: boolean },
): Promise<Measured & { parsed: ReturnType<typeof parseOurs>; exposition: string }> {
  const root = opts.root ?? ROOT;
  const out = mkdtempSync(join(tmpdir(), 'perfpulse-bench-out-'));
  const m = await measure(process.execPath, [join(root, 'bin', 'perfpulse-journeys.js'), '--env', profile, '--dry-run', '--output', out, ...args], {
    cwd: out,
    env: childEnv({ PERFPULSE_USERNAME: opts.credentials.username, PERFPULSE_PASSWORD: opts.credentials.password, ...(opts.noCompileCache ? { NODE_DISABLE_COMPILE_CACHE: '1' } : {}) }),
  });
  return { ...m, exposition: m.stdout, parsed: parseOurs(m.stdout, opts.journey ?? 'login') };
}

/** One run of bare `playwright test` (bench/bare) with `spec`; its JSON report parsed. */
export async function runBare(spec: string, env: Record<string, string>, workers = 1): Promise<Measured & { runs: PeerRun[] }> {
  const out = mkdtempSync(join(tmpdir(), 'perfpulse-bench-bare-'));
  const cli = join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js');
  const m = await measure(process.execPath, [cli, 'test', '--config', join(ROOT, 'bench', 'bare', 'playwright.config.ts')], {
    cwd: join(ROOT, 'bench', 'bare'),
    env: childEnv({ ...env, BENCH_SPEC: spec, BENCH_OUTPUT: out, BENCH_WORKERS: String(workers), FORCE_COLOR: '0' }),
  });
  let runs: PeerRun[] = [];
  try {
    runs = parsePlaywrightJson(m.stdout);
  } catch {
    // not JSON: the run broke before reporting; runs stays empty and the caller says so
  }
  return { ...m, runs };
}
