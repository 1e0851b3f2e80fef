/** Shared by the tests: run the real CLI, start real servers on free ports, read a gateway back. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExposition, type Family } from '../../src/metrics/parse.ts';
import { PROJECT_ROOT } from '../../src/runtime/runner/journeys.ts';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const BIN = join(PROJECT_ROOT, 'bin', 'perfpulse-journeys.js');

/**
 * Runs `perfpulse-journeys <args>` with Node 24 and a clean PERFPULSE_* environment, and its own
 * empty XDG_STATE_HOME (so no test reads or fills the user's spool). `onSpawn` sees the process.
 * `wrapper` runs it under another command (`['unshare', '-m', …]`), given node and its arguments last.
 */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 120_000,
  onSpawn?: (child: ChildProcess) => void,
  wrapper: string[] = [],
): Promise<CliResult> {
  const [command, ...rest] = [...wrapper, process.execPath, BIN, ...args] as [string, ...string[]];
  return runProcess(command, rest, { cwd: tmpDir('perfpulse-cli-'), env, timeoutMs, onSpawn, what: 'CLI' });
}

/**
 * Runs any command as runCli runs the CLI: the PERFPULSE_* variables of this process left out, an
 * empty XDG_STATE_HOME of its own, `env` on top; its output collected; killed (and the promise
 * rejected with its last stderr) after `timeoutMs`.
 */
export function runProcess(
  cmd: string,
  args: string[],
  o: { cwd?: string; env?: Record<string, string>; timeoutMs?: number; onSpawn?: (child: ChildProcess) => void; what?: string } = {},
): Promise<CliResult> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PERFPULSE_')));
  const timeoutMs = o.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: o.cwd ?? tmpDir('perfpulse-cli-'),
      env: { ...base, XDG_STATE_HOME: tmpDir('perfpulse-state-'), ...o.env },
    });
    o.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${o.what ?? `${cmd} ${args.join(' ')}`} did not finish within ${timeoutMs} ms: ${stderr.slice(-800)}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function tmpDir(prefix = 'perfpulse-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** An env profile file whose every URL points at `origin` (a replica the test started); `moreYaml` is appended (e.g. `journeys:` options). */
export function profilePointingAt(origin: string, name = 'lab', moreYaml = ''): string {
  const file = join(tmpDir(), `${name}.yaml`);
  const roles = ['www', 'canfar', 'ws_cadc', 'ws', 'ws_uv'];
  writeFileSync(file, `name: ${name}\ndescription: test replica\nurls:\n${roles.map((r) => `  ${r}: ${origin}`).join('\n')}\n${moreYaml}`);
  return file;
}

/** What a Pushgateway exposes on /metrics, parsed. */
export async function gatewayFamilies(gatewayUrl: string): Promise<Family[]> {
  const res = await fetch(`${gatewayUrl}/metrics`);
  return parseExposition(await res.text());
}

/**
 * For runCli's `onSpawn`: calls `fn` once, as soon as the child's stderr so far matches `pattern`
 * (a real event of the run, e.g. a step's progress line), to inject a fault at that moment.
 */
export function onStderr(pattern: RegExp, fn: () => void): (child: ChildProcess) => void {
  return (child) => {
    let err = '';
    let done = false;
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      if (!done && pattern.test(err)) {
        done = true;
        fn();
      }
    });
  };
}
