/**
 * Starts Debian's `prometheus-pushgateway` on 127.0.0.1 and a free port, with persistence off
 * (`--persistence.file=` empty: Debian's default file would be shared by every instance). Used by
 * `--env local` runs and by the tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { UserError } from '../errors.ts';
import { freePort, waitForHttpOk } from '../net.ts';

export interface LocalGateway {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

const CANDIDATES = ['/usr/bin/prometheus-pushgateway', '/usr/local/bin/prometheus-pushgateway', '/usr/bin/pushgateway'];

/** The Pushgateway binary: $PERFPULSE_PUSHGATEWAY_BIN, else the Debian path. */
export function pushgatewayBinary(): string {
  const fromEnv = process.env.PERFPULSE_PUSHGATEWAY_BIN;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new UserError(`PERFPULSE_PUSHGATEWAY_BIN=${fromEnv} does not exist`);
    return fromEnv;
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new UserError(
      'prometheus-pushgateway is not installed: run `npm run setup` (installs it with apt), or pass --pushgateway <url>',
    );
  }
  return found;
}

/** Starts a fresh, empty Pushgateway and waits until it is ready. */
export async function startLocalPushgateway(opts: { port?: number; readyTimeoutMs?: number } = {}): Promise<LocalGateway> {
  const bin = pushgatewayBinary();
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = opts.port ?? (await freePort());
    const child = spawn(bin, [`--web.listen-address=127.0.0.1:${port}`, '--persistence.file=', '--log.level=warn'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    let exited = false;
    child.once('exit', () => {
      exited = true;
    });
    const url = `http://127.0.0.1:${port}`;
    if (await waitForHttpOk(`${url}/-/ready`, opts.readyTimeoutMs ?? 10_000, () => !exited)) {
      return { url, port, process: child, stop: () => stopProcess(child) };
    }
    lastError = stderr.split('\n').filter(Boolean).pop() ?? 'no output';
    await stopProcess(child);
    if (opts.port) break; // a fixed port will not free itself by retrying
  }
  throw new UserError(`could not start prometheus-pushgateway: ${lastError}`);
}

/** SIGTERM, then SIGKILL after 3 s; resolves when the process is gone. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
