/**
 * `--via kubectl`: times the real `kubectl get <kind>` process, start to exit, as an operator feels
 * it (process start, kubeconfig, discovery when its cache is cold, a new TLS connection, the list,
 * printing). The process is killed at the deadline.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UserError } from '../../errors.ts';
import type { K8sResult } from '../../metrics/catalog-probes.ts';
import type { K8sTarget } from './config.ts';
import { Deadline } from './deadline.ts';
import { LIST_LIMIT } from './kinds.ts';
import type { CallOutcome } from './outcome.ts';

/** The kubectl to run: `--kubectl`, else $PERFPULSE_KUBECTL, else `kubectl` on PATH. */
export function resolveKubectl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const wanted = flag ?? env.PERFPULSE_KUBECTL;
  const candidates = wanted
    ? [wanted]
    : (env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'kubectl'));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // next
    }
  }
  throw new UserError(wanted ? `kubectl ${wanted} is not an executable file` : '--via kubectl: no kubectl on PATH (install it, or pass --kubectl <path>)');
}

export function kubectlArgs(target: K8sTarget, kind: string, timeoutMs: number): string[] {
  const args: string[] = [];
  if (target.kubeconfigFile) args.push('--kubeconfig', target.kubeconfigFile);
  if (target.context && target.source !== 'in-cluster service account') args.push('--context', target.context);
  args.push('--namespace', target.namespace, `--request-timeout=${Math.max(1, Math.ceil(timeoutMs / 1000))}s`);
  args.push('get', kind, '-o', 'name', `--chunk-size=${LIST_LIMIT}`);
  return args;
}

/** Classifies kubectl's stderr into the fixed `result` set. */
export function classifyKubectl(stderr: string): K8sResult {
  if (/forbidden|unauthorized|must be logged in/i.test(stderr)) return 'forbidden';
  if (/x509|certificate|tls:/i.test(stderr)) return 'tls';
  if (/Client\.Timeout|deadline exceeded|timeout|timed out/i.test(stderr)) return 'timeout';
  if (/InternalError|Internal error|\(InternalError\)|status code 5\d\d|server_error|ServiceUnavailable/i.test(stderr)) return 'server_error';
  if (/connection refused|no such host|connection reset|unreachable|Unable to connect/i.test(stderr)) return 'network';
  return 'other';
}

/** Runs `kubectl get <kind>` once with a hard deadline; never throws. */
export function kubectlList(kubectl: string, target: K8sTarget, kind: string, timeoutMs: number): Promise<CallOutcome> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(kubectl, kubectlArgs(target, kind, timeoutMs), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let lines = 0;
    child.stdout.on('data', (d: Buffer) => (lines += d.toString().split('\n').length - 1));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    // measured from t0 on the clock that times the process: it is never killed before the time said
    const deadline = new Deadline(timeoutMs + 1000, t0, () => child.kill('SIGKILL'));
    const finish = (code: number | null, error?: Error) => {
      deadline.clear();
      const killed = deadline.expired;
      const ms = performance.now() - t0;
      const last = stderr.trim().split('\n').pop()?.replace(/\s+/g, ' ') ?? '';
      if (error) return resolve({ result: 'other', ms, detail: `kubectl did not start: ${error.message}` });
      if (killed) return resolve({ result: 'timeout', ms, detail: `kubectl killed after ${timeoutMs + 1000} ms` });
      if (code === 0) return resolve({ result: 'ok', ms, detail: `${lines} items` });
      resolve({ result: classifyKubectl(stderr), ms, detail: `kubectl exit ${code}: ${last.slice(0, 300)}` });
    };
    child.once('error', (err) => finish(null, err));
    child.once('close', (code) => finish(code));
  });
}
