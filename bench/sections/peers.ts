/**
 * Peers, one run each on the same replica, machine and Chromium, with the same first-byte delay D on
 * GET /access/login: ours (default mode), bare `playwright test`, Artillery 2 with its Playwright
 * engine, @elastic/synthetics (bench/peers, installed for the bench only). For each: the step times it
 * reports (open_login_page − D), the process's wall for the one journey, journeys per minute that
 * implies, peak memory; and the ratios to ours.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { faultTable } from '../../src/replica/faults.ts';
import { startReplica } from '../../src/replica/server.ts';
import { DEMO_USER } from '../../src/replica/users.ts';
import { STEPS } from '../peers/login-steps.mjs';
import { parseArtilleryReport, parseSyntheticsNdjson } from '../peers/parse.ts';
import { CHROMIUM, ROOT, childEnv, fmt, measure, ratio, replicaProfile, runBare, runOurs, type BenchContext, type Measured, type SectionResult } from '../common.ts';
import { CHROMIUM_ARGS } from '../../src/runtime/browser/browser.ts';

export const PEERS_DIR = join(ROOT, 'bench', 'peers');
const D = 500;

interface PeerRow {
  peer: string;
  version: string;
  ok: boolean;
  steps: Record<string, number>;
  wallS: number;
  cpuS: number;
  peakTreeMiB: number;
  maxProcessMiB: number;
  note?: string;
}

/** `npm ci --prefix bench/peers` (no browser download) when the peers are not installed; false when that failed. */
export function installPeers(log: (l: string) => void): boolean {
  if (existsSync(join(PEERS_DIR, 'node_modules', 'artillery')) && existsSync(join(PEERS_DIR, 'node_modules', '@elastic', 'synthetics'))) return true;
  log('peers: installing bench/peers (npm ci, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1) ...');
  const npm = process.env.npm_execpath;
  const r = spawnSync(npm ? process.execPath : 'npm', [...(npm ? [npm] : []), 'ci', '--prefix', PEERS_DIR, '--no-audit', '--no-fund', '--loglevel=error'], {
    env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (r.status !== 0) log(`peers: npm ci failed (${r.status ?? r.signal}): ${(r.stderr ?? '').trim().split('\n').at(-1)}`);
  return r.status === 0;
}

const version = (pkg: string) => {
  try {
    return (JSON.parse(readFileSync(join(PEERS_DIR, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '–';
  }
};

/** `install`: the peers were installed for this run (bench/run.ts does it before the clock starts). */
export async function peers(ctx: BenchContext, opts: { install: boolean }): Promise<SectionResult> {
  const installed = opts.install || (existsSync(join(PEERS_DIR, 'node_modules', 'artillery')) && existsSync(join(PEERS_DIR, 'node_modules', '@elastic', 'synthetics')));
  const replica = await startReplica({ faults: faultTable([`GET /access/login=delay:${D}`]) });
  const rows: PeerRow[] = [];
  const row = (peer: string, v: string, m: Measured, ok: boolean, steps: Record<string, number>, note?: string) => {
    rows.push({ peer, version: v, ok, steps, wallS: m.wallS, cpuS: m.cpuS, peakTreeMiB: m.peakTreeMiB, maxProcessMiB: m.maxProcessMiB, ...(note ? { note } : {}) });
    ctx.log(`peers ${peer}: ${ok ? 'ok' : 'FAILED'} ${STEPS.map((s) => `${s} ${fmt(steps[s] ?? NaN)}`).join(' ')} wall ${fmt(m.wallS, 2)} s`);
  };
  const env = { BENCH_BASE: replica.origin, BENCH_USER: DEMO_USER.username, BENCH_PASS: DEMO_USER.password };
  try {
    const ours = await runOurs(replicaProfile(replica.origin), ['--journeys', 'login'], { credentials: DEMO_USER });
    row('perfpulse-journeys (default)', JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version, ours, ours.code === 0 && ours.parsed.ok, ours.parsed.steps, 'plus its token_login step (an API call) in the wall');
    const bare = await runBare('login.spec.ts', env);
    row('bare playwright test', version('playwright') === '–' ? '1.64.1' : version('playwright'), bare, bare.runs[0]?.ok ?? false, bare.runs[0]?.steps ?? {});
    if (installed) {
      const report = join(mkdtempSync(join(tmpdir(), 'perfpulse-bench-artillery-')), 'report.json');
      const a = await measure(process.execPath, [join(PEERS_DIR, 'node_modules', 'artillery', 'bin', 'run'), 'run', '--output', report, 'login.yml'], {
        cwd: join(PEERS_DIR, 'artillery'),
        env: childEnv({ ...env, ARTILLERY_DISABLE_TELEMETRY: 'true' }),
      });
      let steps: Record<string, number> = {};
      let ok = false;
      try {
        const s = parseArtilleryReport(readFileSync(report, 'utf8'));
        steps = Object.fromEntries(Object.entries(s.steps).map(([k, v]) => [k, v.min]));
        ok = a.code === 0 && s.runs === 1 && s.failed === 0;
      } catch (err) {
        ctx.log(`peers artillery: no report (exit ${a.code}): ${(err as Error).message}`);
      }
      row('Artillery + Playwright engine', version('artillery'), a, ok, steps, 'test.step times (Date.now(), whole ms)');
      const syn = await measure(
        process.execPath,
        [
          join(PEERS_DIR, 'node_modules', '@elastic', 'synthetics', 'dist', 'cli.js'),
          '.',
          '--pattern',
          'login\\.journey\\.js$',
          '--reporter',
          'json',
          '--params',
          JSON.stringify({ base: replica.origin, user: DEMO_USER.username, pass: DEMO_USER.password }),
          '--playwright-options',
          JSON.stringify({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }),
        ],
        { cwd: join(PEERS_DIR, 'synthetics'), env: childEnv() },
      );
      const sr = parseSyntheticsNdjson(syn.stdout)[0];
      row('@elastic/synthetics', version('@elastic/synthetics'), syn, syn.code === 0 && (sr?.ok ?? false), sr?.steps ?? {}, 'its defaults: a screenshot per step');
    }
  } finally {
    await replica.stop();
  }
  const ours = rows[0] as PeerRow;
  const stepCell = (r: PeerRow, s: string) => {
    const v = (r.steps[s] ?? NaN) - (s === 'open_login_page' ? D : 0);
    return `${fmt(v)}${r === ours ? '' : ` (${ratio(v, (ours.steps[s] ?? NaN) - (s === 'open_login_page' ? D : 0))})`}`;
  };
  const table = rows.map(
    (r) =>
      `| ${r.peer} | ${r.version} | ${r.ok ? 'passed' : 'FAILED'} | ${STEPS.map((s) => stepCell(r, s)).join(' | ')} | ${fmt(r.wallS, 2)}${r === ours ? '' : ` (${ratio(r.wallS, ours.wallS)})`} | ${fmt(60 / r.wallS, 1)} | ${fmt(r.cpuS, 2)}${r === ours ? '' : ` (${ratio(r.cpuS, ours.cpuS)})`} | ${fmt(r.peakTreeMiB)} / ${fmt(r.maxProcessMiB)} |`,
  );
  return {
    title: 'Peers side by side',
    markdown: `One run each, same replica with a first-byte delay D = ${D} ms on \`GET /access/login\`, same machine, Debian's
Chromium (${CHROMIUM}) with the harness's flags; every peer's playwright-core is 1.64.1 (bench/peers/package.json
overrides). Step times as each tool reports them, ms (open_login_page shown as step − D); ratios to ours in brackets.
Wall is the whole process for one journey (start-up included); journeys/min = 60 / wall for one user.
Memory: peak of the process tree summed / the largest single process, MiB.${installed ? '' : '\n**Artillery and @elastic/synthetics were not run: bench/peers is not installed** (`npm run bench` installs it; `--quick` does not).'}

| tool | version | result | ${STEPS.join(' | ')} | wall (s) | journeys/min | CPU (s) | memory (MiB) |
|---|---|---|${STEPS.map(() => '---').join('|')}|---|---|---|---|
${table.join('\n')}
${rows.filter((r) => r.note).map((r) => `\n- ${r.peer}: ${r.note}`).join('')}
`,
    data: { D, installed, rows },
  };
}
