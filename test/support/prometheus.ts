/**
 * A real Prometheus (Debian's `prometheus`) for the tests: 127.0.0.1 and a free port, a temporary
 * TSDB, a 1 s scrape and evaluation interval, scraping the given Pushgateway with honor_labels.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stopProcess } from '../../src/push/local-gateway.ts';
import { freePort, waitForHttpOk } from '../../src/net.ts';
import { tmpDir } from './helpers.ts';

export interface LocalPrometheus {
  url: string;
  process: ChildProcess;
  /** GET /api/v1/<path> with query parameters; throws unless status is "success". */
  api<T = unknown>(path: string, params?: Record<string, string | string[]>): Promise<T>;
  stop(): Promise<void>;
}

export async function startPrometheus(opts: { gatewayHostPort: string; ruleFiles?: string[] }): Promise<LocalPrometheus> {
  const dir = tmpDir('perfpulse-prometheus-');
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global: {scrape_interval: 1s, evaluation_interval: 1s}',
      `rule_files: ${JSON.stringify(opts.ruleFiles ?? [])}`,
      'scrape_configs:',
      '  - job_name: pushgateway',
      '    honor_labels: true',
      `    static_configs: [{targets: [${JSON.stringify(opts.gatewayHostPort)}]}]`,
      '',
    ].join('\n'),
  );
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(
      'prometheus',
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, `data-${attempt}`)}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    let exited = false;
    child.once('exit', () => (exited = true));
    child.once('error', (err) => {
      exited = true;
      stderr += String(err);
    });
    const url = `http://127.0.0.1:${port}`;
    if (await waitForHttpOk(`${url}/-/ready`, 30_000, () => !exited)) {
      return {
        url,
        process: child,
        api: (path, params = {}) => apiGet(url, path, params),
        stop: async () => {
          await stopProcess(child);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    lastError = stderr.split('\n').filter(Boolean).pop() ?? 'no output';
    await stopProcess(child);
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`could not start prometheus: ${lastError}`);
}

async function apiGet<T>(base: string, path: string, params: Record<string, string | string[]>): Promise<T> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const one of [v].flat()) q.append(k, one);
  const res = await fetch(`${base}/api/v1/${path}?${q}`, { signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`${path} ${JSON.stringify(params)}: ${body.error ?? res.status}`);
  return body.data;
}

/** Calls `probe` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function eventually<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await sleep(500);
  }
  throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (${String(last)})` : ''}`);
}
