/**
 * `npm run conformance`: the unchanged journeys on the portals' real front-end code.
 *
 * For each registered front end (./frontends/index.ts) that the selected journeys use, `<sources>/<name>`
 * must be a git work tree of its repository. The run starts the bundled replica in this process,
 * each front end's own server (FrontEnd.start), and the conformance proxy (./proxy.ts), the one origin
 * the browser sees; writes a temporary env profile whose every URL role is that origin; starts a real
 * local Pushgateway; and runs the real CLI as a user would:
 *
 *   node bin/perfpulse-journeys.js run --env <profile> --launch-sessions --json --pushgateway <gw> …
 *
 * with the replica's demo user in PERFPULSE_USERNAME/PERFPULSE_PASSWORD. From the CLI's JSON line and
 * git it writes docs/conformance.md (./report.ts) and prints the same table on stdout.
 * Without sources (CI) it prints one line and exits 0: that counts as no test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify as toYaml } from 'yaml';
import { URL_ROLES } from '../src/config/profile.ts';
import { oneLine, UserError } from '../src/errors.ts';
import { startLocalPushgateway, type LocalGateway } from '../src/push/local-gateway.ts';
import { matchRoute } from '../src/replica/http.ts';
import { startReplica, type Replica } from '../src/replica/server.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { browserVersion, playwrightVersion, resolveBrowserPath } from '../src/runtime/browser/browser.ts';
import { resolveJourneyOptions } from '../src/runtime/runner/declarations.ts';
import { availableJourneys, PROJECT_ROOT } from '../src/runtime/runner/journeys.ts';
import type { FrontEnd, RunningFrontEnd } from './frontend.ts';
import { FRONT_ENDS } from './frontends/index.ts';
import { REPLICA_UPSTREAM, startProxy, type Proxy } from './proxy.ts';
import { conformanceMarkdown, conformanceTable, type ConformanceReport, type FrontEndReport, type JourneyReport, type JsonJourney } from './report.ts';
import { readClone, type CloneState } from './sources.ts';

/** Exit codes of `npm run conformance` (README "Conformance with the real front ends", --help). */
export const CONFORMANCE_EXIT = {
  /** Every journey passed on the real front ends; or there were no sources at all (one line: counts as no test). */
  ok: 0,
  /** At least one journey failed (docs/conformance.md has its failure line). */
  journeyFailed: 1,
  /** Bad input: unknown flag or name, --sources that is not a directory, no Chromium or Pushgateway. */
  badInput: 2,
  /** No journey failed, but a front end the journeys need could not be served (no clone, check or start failed): its journeys did not run. */
  notServed: 3,
  /** Stopped by SIGINT/SIGTERM. */
  aborted: 4,
  /** The harness or the CLI broke: the CLI gave no result, or one the run cannot trust. */
  internal: 70,
} as const;

const EXIT_MEANING: Record<number, string> = {
  0: 'every journey passed',
  1: 'a journey failed',
  3: 'a front end could not be served; its journeys did not run',
  4: 'aborted',
  70: 'the harness or the CLI broke',
};

export const SOURCES_ENV = 'PERFPULSE_CONFORMANCE_SOURCES';
const DEFAULT_OUT = 'docs/conformance.md';
const DEFAULT_ARTIFACTS = 'test-results/conformance';
const BIN = join(PROJECT_ROOT, 'bin', 'perfpulse-journeys.js');

export function helpText(frontEnds: readonly FrontEnd[]): string {
  const names = frontEnds.map((f) => f.name);
  return `Usage: npm run conformance -- [--sources <dir>] [--only <names>] [--out <file>] [--artifacts <dir>]

Runs the unchanged journeys (${availableJourneys().join(', ')}) with the real CLI on the portals' real
front-end code, served from local git clones, against the bundled replica's services, and writes
what it found to ${DEFAULT_OUT}. One local origin (a proxy) carries every URL role: each request
goes to the front end that owns it, everything else to the replica.

Options:
  --sources <dir>    a directory holding one git work tree per front end, <dir>/<name> (default:
                     $${SOURCES_ENV}); front ends: ${names.length ? names.join(', ') : '(none registered in conformance/frontends/index.ts)'}
  --only <names>     comma-separated journeys and/or front ends to run; a front end stands for the
                     journeys that use it (default: every journey)
  --out <file>       where the generated report goes (default: ${DEFAULT_OUT})
  --artifacts <dir>  screenshots, traces and report.html of the run (default: ${DEFAULT_ARTIFACTS})
  -h, --help         this text

A front end's clone must already be servable as it is: the harness never builds third-party code
(science-portal must be built in its clone the way its own Dockerfile builds it). A clone that is
missing or not servable is named in one line; journeys that need it do not run.
With no sources directory, or no clone of any front end in it, it prints one line and exits 0
(that counts as no test: CI has no clones).

Exit codes:
  0   every journey passed (or nothing to run: no sources, no clone)
  1   a journey failed (its failure line is in the table and the report)
  2   bad input: unknown flag or name, --sources not a directory, no Chromium or Pushgateway
  3   no journey failed, but a front end the journeys need could not be served
  4   stopped by SIGINT/SIGTERM
  70  the harness or the CLI broke (one line says how)
`;
}

export interface ConformanceIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Aborts the run (the entry point ties it to SIGINT/SIGTERM). */
  signal?: AbortSignal;
}

const processIo: ConformanceIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
};

interface Options {
  sources?: string;
  sourcesFrom: 'flag' | 'env';
  journeys: string[];
  out: string;
  artifacts: string;
}

function parseOptions(argv: string[], frontEnds: readonly FrontEnd[], env: NodeJS.ProcessEnv): Options | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        sources: { type: 'string' },
        only: { type: 'string' },
        out: { type: 'string' },
        artifacts: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new UserError(`${oneLine(err).replace(/\. To specify a positional argument.*$/, '')} (see --help)`);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  for (const k of ['sources', 'out', 'artifacts', 'only'] as const) if (v[k] !== undefined && !v[k]) throw new UserError(`--${k} is empty`);
  const all = availableJourneys();
  let journeys = all;
  if (v.only !== undefined) {
    const names = [...new Set(v.only.split(',').map((s) => s.trim()).filter(Boolean))];
    if (!names.length) throw new UserError('--only is empty');
    const unknown = names.filter((n) => !all.includes(n) && !frontEnds.some((f) => f.name === n));
    if (unknown.length) {
      throw new UserError(`--only: unknown ${unknown.join(', ')}: journeys are ${all.join(', ')}; front ends are ${frontEnds.map((f) => f.name).join(', ') || 'none'}`);
    }
    const wanted = new Set(names.flatMap((n) => (all.includes(n) ? [n] : (frontEnds.find((f) => f.name === n)?.journeys ?? []))));
    journeys = all.filter((j) => wanted.has(j));
    if (!journeys.length) throw new UserError(`--only ${v.only}: no journey uses ${names.join(', ')}`);
  }
  const sources = v.sources ?? (env[SOURCES_ENV] || undefined);
  return {
    ...(sources ? { sources: resolve(sources) } : {}),
    sourcesFrom: v.sources !== undefined ? 'flag' : 'env',
    journeys,
    out: resolve(v.out ?? join(PROJECT_ROOT, DEFAULT_OUT)),
    artifacts: resolve(v.artifacts ?? join(PROJECT_ROOT, DEFAULT_ARTIFACTS)),
  };
}

/**
 * The env profile the CLI runs with: every role at the proxy, no probes, and the journeys' default
 * options written out (the replica's data has them: M101 in CFHT, the default public file, the
 * default image); launching comes from --launch-sessions.
 */
export async function conformanceProfileYaml(publicOrigin: string): Promise<string> {
  const d = await resolveJourneyOptions({}, 'conformance profile');
  delete d.science_portal?.launch;
  const doc = {
    name: 'conformance',
    description: 'npm run conformance: the real front ends (served from local clones) and the bundled replica behind one local proxy',
    replica: false,
    urls: Object.fromEntries(URL_ROLES.map((r) => [r, publicOrigin])),
    journeys: d,
  };
  return `# Generated by npm run conformance for one run (conformance/run.ts); removed when it ends.\n${toYaml(doc)}`;
}

/** The CLI's environment: ours without PERFPULSE_* (but the browser choice and debug), plus the replica's demo user. */
function cliEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const keep = new Set(['PERFPULSE_BROWSER', 'PERFPULSE_DEBUG', 'PERFPULSE_PUSHGATEWAY_BIN']);
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) {
    if (k.startsWith('PERFPULSE_') && !keep.has(k)) continue;
    if (k === 'JOB_COMPLETION_INDEX') continue; // would make the CLI run one shard only
    out[k] = v;
  }
  out.PERFPULSE_USERNAME = DEMO_USER.username;
  out.PERFPULSE_PASSWORD = DEMO_USER.password;
  return out;
}

interface CliOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  lastStderr: string;
}

function runCli(args: string[], env: NodeJS.ProcessEnv, io: ConformanceIo, onSpawn: (c: ChildProcess) => void): Promise<CliOutcome> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    onSpawn(child);
    let stdout = '';
    let lastStderr = '';
    let pending = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        io.stderr(`  ${line}\n`);
        if (line.trim()) lastStderr = line.trim();
      }
    });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (pending) {
        io.stderr(`  ${pending}\n`);
        lastStderr = pending.trim() || lastStderr;
      }
      resolvePromise({ code, signal, stdout, lastStderr });
    });
  });
}

/** The last JSON document of `run --json` on stdout (src/cli/run-json.ts), or undefined. */
function parseRunJson(stdout: string): { journeys: JsonJourney[]; exitCode: number } | undefined {
  const lines = stdout.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('{'));
  const last = lines.at(-1);
  if (!last) return undefined;
  try {
    const doc = JSON.parse(last) as { journeys?: unknown; exitCode?: unknown };
    if (!Array.isArray(doc.journeys) || typeof doc.exitCode !== 'number') return undefined;
    return { journeys: doc.journeys as JsonJourney[], exitCode: doc.exitCode };
  } catch {
    return undefined;
  }
}

/** The replica's answers ≥ 400 named by its route keys (`GET /minoc/files/{token}/{uri+} 404`): no token or id of a path in the report. */
export function byRouteKey(kinds: Map<string, number>, routeKeys: string[]): Map<string, number> {
  const routes = routeKeys.map((key) => ({ key, handler: () => undefined }));
  const out = new Map<string, number>();
  for (const [kind, n] of kinds) {
    const [method = '', path = '', status = ''] = kind.split(' ');
    const key = matchRoute(routes, method, path)?.route.key ?? `${method} ${path}`;
    out.set(`${key} ${status}`, (out.get(`${key} ${status}`) ?? 0) + n);
  }
  return out;
}

const isClone = (c: CloneState | { missing: string }): c is CloneState => !('missing' in c);

/** The whole run; returns the exit code. `frontEnds` is the registry (tests pass their own). */
export async function runConformance(argv: string[], frontEnds: readonly FrontEnd[] = FRONT_ENDS, io: ConformanceIo = processIo): Promise<number> {
  const say = (line: string) => io.stderr(`conformance: ${line}\n`);
  let opts: Options | 'help';
  try {
    opts = parseOptions(argv, frontEnds, io.env);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    say(oneLine(err));
    return CONFORMANCE_EXIT.badInput;
  }
  if (opts === 'help') {
    io.stdout(helpText(frontEnds));
    return CONFORMANCE_EXIT.ok;
  }
  const needed = frontEnds.filter((f) => f.journeys.some((j) => opts.journeys.includes(j)));
  const neededNames = needed.map((f) => f.name).join(', ');

  // 1. Sources: none at all counts as no test.
  if (!needed.length) {
    say(`no front end registered in conformance/frontends/index.ts serves ${opts.journeys.join(', ')}; nothing run (counts as no test)`);
    return CONFORMANCE_EXIT.ok;
  }
  if (!opts.sources) {
    say(`no front-end sources: give --sources <dir> or $${SOURCES_ENV}, a directory holding git clones <dir>/<name> of ${neededNames}; nothing run (counts as no test)`);
    return CONFORMANCE_EXIT.ok;
  }
  let isDir = false;
  try {
    isDir = statSync(opts.sources).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    if (opts.sourcesFrom === 'flag') {
      say(`--sources ${opts.sources} is not a directory`);
      return CONFORMANCE_EXIT.badInput;
    }
    say(`no front-end sources: $${SOURCES_ENV}=${opts.sources} is not a directory (looked for git clones <dir>/<name> of ${neededNames}); nothing run (counts as no test)`);
    return CONFORMANCE_EXIT.ok;
  }
  const clones = new Map(needed.map((f) => [f.name, readClone(opts.sources as string, f.name)] as const));
  if (![...clones.values()].some(isClone)) {
    say(`no clone of ${neededNames} under ${opts.sources} (looked for ${join(opts.sources, '<name>')}, each a git work tree); nothing run (counts as no test)`);
    return CONFORMANCE_EXIT.ok;
  }

  // 2. What can be served as it is.
  const reports: FrontEndReport[] = needed.map((f) => {
    const c = clones.get(f.name) as CloneState | { missing: string };
    if (!isClone(c)) return { frontEnd: f, problem: c.missing };
    let problem: string | null;
    try {
      problem = f.check(c.dir);
    } catch (err) {
      problem = `check failed: ${oneLine(err)}`;
    }
    return { frontEnd: f, clone: c, ...(problem ? { problem } : {}) };
  });
  for (const r of reports) if (r.problem) say(`${r.frontEnd.name}: ${r.problem}`);

  const startedAt = new Date();
  const machine = { cores: cpus().length, loadAverage: loadavg(), platform: platform(), arch: arch(), node: process.versions.node };
  let chromium: string;
  try {
    const path = resolveBrowserPath(io.env.PERFPULSE_BROWSER);
    chromium = `${browserVersion(path) ?? 'unknown version'} (${path})`;
  } catch (err) {
    say(oneLine(err));
    return CONFORMANCE_EXIT.badInput;
  }

  const running: Array<{ report: FrontEndReport; server: RunningFrontEnd }> = [];
  let replica: Replica | undefined;
  let proxy: Proxy | undefined;
  let gateway: LocalGateway | undefined;
  let child: ChildProcess | undefined;
  const work = mkdtempSync(join(tmpdir(), 'perfpulse-conformance-'));
  const onAbort = () => {
    say('stopping: the CLI first, then every server');
    child?.kill('SIGTERM');
  };
  io.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // 3. Servers: replica, proxy, each front end behind it, a Pushgateway.
    const blocked = () => new Set(reports.filter((r) => r.problem).map((r) => r.frontEnd.name));
    const runnable = () => opts.journeys.filter((j) => !needed.some((f) => blocked().has(f.name) && f.journeys.includes(j)));
    if (!runnable().length) {
      say(`nothing can run: every selected journey needs a front end that cannot be served`);
      return CONFORMANCE_EXIT.notServed;
    }
    replica = await startReplica();
    say(`replica on ${replica.origin}`);
    proxy = await startProxy({ replicaOrigin: replica.origin });
    say(`proxy (the origin the browser sees) on ${proxy.origin}`);
    for (const [i, report] of reports.entries()) {
      if (report.problem || !report.clone) continue;
      if (io.signal?.aborted) break;
      const f = needed[i] as FrontEnd;
      try {
        const server = await f.start({ source: { dir: report.clone.dir, commit: report.clone.commit }, replicaOrigin: replica.origin, publicOrigin: proxy.origin });
        running.push({ report, server });
        proxy.addUpstream({ name: f.name, origin: server.origin, owns: (m, p) => f.owns(m, p) });
        say(`${f.name} ${report.clone.commit.slice(0, 7)}${report.clone.dirty ? ' (modified)' : ''} started on ${server.origin}, for ${f.journeys.join(', ')}`);
      } catch (err) {
        // a front end's own message may already start with its name
        report.problem = `did not start: ${oneLine(err).replace(new RegExp(`^${f.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `), '')}`;
        say(`${f.name}: ${report.problem}`);
      }
    }
    const journeys = runnable();
    if (io.signal?.aborted) return CONFORMANCE_EXIT.aborted;
    if (!journeys.length) {
      say('nothing can run: every selected journey needs a front end that could not be served');
      return CONFORMANCE_EXIT.notServed;
    }
    gateway = await startLocalPushgateway();
    say(`pushgateway ${gateway.url} (persistence off)`);
    const profileFile = join(work, 'conformance.yaml');
    writeFileSync(profileFile, await conformanceProfileYaml(proxy.origin));

    // 4. The real CLI, as a user runs it.
    const args = ['run', '--env', profileFile, '--launch-sessions', '--json', '--journeys', journeys.join(','), '--pushgateway', gateway.url,
      '--spool-dir', join(work, 'spool'), '--output', opts.artifacts, '--report', join(opts.artifacts, 'report')];
    say(`running ${journeys.join(', ')}: perfpulse-journeys ${args.join(' ').replace(work, '<tmp>').replace(work, '<tmp>')}`);
    if (io.signal?.aborted) return CONFORMANCE_EXIT.aborted;
    const cli = await runCli(args, cliEnv(io.env), io, (c) => (child = c));
    child = undefined;
    const json = parseRunJson(cli.stdout);

    // 5. What it found.
    for (const r of reports) if (r.clone) {
      const after = readClone(opts.sources, r.frontEnd.name);
      if (isClone(after)) r.after = after;
    }
    const counts = proxy.counts();
    for (const { report } of running) report.counts = counts.get(report.frontEnd.name) ?? { requests: 0, errors: 0, errorKinds: new Map() };
    const replicaCount = counts.get(REPLICA_UPSTREAM);
    if (replicaCount) replicaCount.errorKinds = byRouteKey(replicaCount.errorKinds, replica.routeKeys);
    if (io.signal?.aborted) {
      say('aborted: no report written');
      return CONFORMANCE_EXIT.aborted;
    }
    if (!json) {
      say(`the CLI exited ${cli.code ?? cli.signal} without a result: ${cli.lastStderr || 'no output'}`);
      return CONFORMANCE_EXIT.internal;
    }
    const journeyReports: JourneyReport[] = opts.journeys.map((name) => {
      const usedBy = frontEnds.filter((f) => f.journeys.includes(name)).map((f) => f.name);
      const result = json.journeys.find((j) => j.journey === name && j.status !== 'not run');
      if (result) return { name, usedBy, result };
      const why = reports.filter((r) => r.problem && r.frontEnd.journeys.includes(name)).map((r) => `${r.frontEnd.name} not served`);
      return { name, usedBy, notRun: why.join(', ') || 'the CLI did not run it' };
    });
    let exit: number = CONFORMANCE_EXIT.ok;
    let trouble: string | undefined;
    if (journeyReports.some((j) => j.result && j.result.status !== 'passed')) exit = CONFORMANCE_EXIT.journeyFailed;
    else if (cli.code !== 0 && cli.code !== 1) {
      exit = CONFORMANCE_EXIT.internal;
      trouble = `the CLI exited ${cli.code ?? cli.signal} (${cli.lastStderr || 'no output'})`;
    } else if (journeyReports.some((j) => !j.result)) exit = reports.some((r) => r.problem) ? CONFORMANCE_EXIT.notServed : CONFORMANCE_EXIT.internal;
    const report: ConformanceReport = {
      startedAt,
      finishedAt: new Date(),
      machine,
      chromium,
      playwright: playwrightVersion(),
      command: ['npm run conformance', ...(argv.length ? ['--', ...argv] : [])].join(' '),
      frontEnds: reports,
      journeys: journeyReports,
      ...(replicaCount ? { replicaCounts: replicaCount } : {}),
      exitCode: exit,
      exitMeaning: trouble ?? EXIT_MEANING[exit] ?? '',
    };
    mkdirSync(dirname(opts.out), { recursive: true });
    writeFileSync(opts.out, conformanceMarkdown(report));
    io.stdout(`${conformanceTable(report)}\n`);
    if (trouble) say(trouble);
    say(`wrote ${opts.out}`);
    return exit;
  } catch (err) {
    if (err instanceof UserError) {
      say(oneLine(err));
      return CONFORMANCE_EXIT.badInput;
    }
    throw err;
  } finally {
    io.signal?.removeEventListener('abort', onAbort);
    if (child) (child as ChildProcess).kill('SIGKILL');
    for (const { report, server } of running.reverse()) {
      await server.stop().catch((err: unknown) => say(`${report.frontEnd.name}: stopping failed: ${oneLine(err)}`));
    }
    await proxy?.stop();
    await replica?.stop();
    await gateway?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The entry point: argv from the process, SIGINT/SIGTERM stop the CLI (which delivers what it measured)
 * and then every server, exit code 4. A second signal is ignored while stopping: the servers must still be stopped.
 */
export async function main(frontEnds: readonly FrontEnd[] = FRONT_ENDS): Promise<void> {
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    process.exitCode = await runConformance(process.argv.slice(2), frontEnds, { ...processIo, signal: abort.signal });
  } catch (err) {
    process.stderr.write(`conformance: internal error: ${oneLine(err)}\n`);
    if (process.env.PERFPULSE_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    process.exitCode = CONFORMANCE_EXIT.internal;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
