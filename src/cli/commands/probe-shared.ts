/** Flags, delivery and signal handling shared by `probe k8s` and `probe http`. */
import { ExitCode, UserError } from '../../errors.ts';
import { gatewayDelivery, stdoutDelivery, type Deliver, type ProbeDelivery } from '../../probes/deliver.ts';
import { gatewayAccess } from '../../push/access.ts';
import { checkGatewayUrl } from '../../push/pushgateway.ts';
import { spoolFromFlags, type DeliveryFlags } from './push.ts';

const info = (line: string) => process.stderr.write(`${line}\n`);

export const PROBE_EXIT_CODES = `
Exit codes:
  0   every probe call answered ok and the metrics were delivered (or printed by --dry-run)
  1   a probe call failed (timeout, forbidden, server_error, tls, network, other); metrics still delivered
  2   bad input: bad flag, no Kubernetes config, unknown kind or env, missing kubectl
  3   metrics not delivered to the Pushgateway
  4   aborted by SIGINT/SIGTERM`;

/** Parses an integer flag within bounds, else bad input. */
export function intFlag(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UserError(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`);
  return n;
}

/** Parses a seconds flag (decimals allowed) within bounds, else bad input; returns ms. */
export function secondsFlag(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new UserError(`${name} must be seconds from ${min} to ${max} (got ${JSON.stringify(value)})`);
  return Math.round(n * 1000);
}


/** stdout for --dry-run, else the gateway; no gateway and no --dry-run is bad input. */
export function deliveryFor(flags: DeliveryFlags & { pushgateway?: string; dryRun?: boolean }): Deliver {
  if (flags.dryRun) return stdoutDelivery();
  const gw = flags.pushgateway ?? process.env.PERFPULSE_PUSHGATEWAY;
  if (!gw) throw new UserError('no Pushgateway: pass --pushgateway <url> or set PERFPULSE_PUSHGATEWAY (or use --dry-run)');
  checkGatewayUrl(gw);
  return gatewayDelivery(gw, { access: gatewayAccess(gw, flags), spool: spoolFromFlags(flags), log: info });
}

export function deliveryLines(deliveries: ProbeDelivery[]): string[] {
  const last = new Map<string, ProbeDelivery>();
  for (const d of deliveries) last.set(d.where, d); // a loop pushes the same group every round
  return [...last.values()]
    .filter((d) => d.where !== 'stdout')
    .map((d) => (d.ok ? `pushed to ${d.where}` : `NOT DELIVERED to ${d.where}: ${d.message}`));
}

/** Prints where a probe command's metrics went, and gives its exit code. */
export function finishProbes(report: { deliveries: ProbeDelivery[]; failures: number }, aborted: boolean): ExitCode {
  const lines = deliveryLines(report.deliveries);
  if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
  if (aborted) return ExitCode.aborted;
  if (report.deliveries.some((d) => !d.ok)) return ExitCode.notDelivered;
  return report.failures ? ExitCode.journeyFailed : ExitCode.ok;
}

/** Runs `fn` with SIGINT/SIGTERM turned into an abort signal. */
export async function withAbort<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<[T, boolean]> {
  const abort = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    info(`received ${sig}: stopping after this round, then delivering what was measured`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return [await fn(abort.signal), abort.signal.aborted];
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

