/**
 * Flags more than one command takes, and the parsers of flag values: the delivery flags (`run`,
 * `push`, `probe k8s|http`), bounded numbers, `--only`. Each bad value is one line (UserError,
 * exit 2) before anything starts.
 */
import { Option, type Command } from 'commander';
import { UserError } from '../errors.ts';
import type { AccessFlags } from '../push/access.ts';
import { DEFAULT_SPOOL_LIMITS, Spool, defaultSpoolDir } from '../push/spool.ts';

const info = (line: string) => process.stderr.write(`${line}\n`);

export interface DeliveryFlags extends AccessFlags {
  spoolDir?: string;
  spoolMaxAge?: string;
  spoolMaxEntries?: string;
}

/** The delivery flags: gateway TLS, the spool directory and its limits. */
export function addDeliveryOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--pushgateway-ca <file>', 'PEM file with the CA certificate(s) that signed an https Pushgateway').env('PERFPULSE_PUSHGATEWAY_CA'))
    .option('--insecure-skip-tls-verify', 'accept any certificate from an https Pushgateway (tests only)', false)
    .addOption(new Option('--spool-dir <dir>', `where undelivered pushes wait for replay (default: ${defaultSpoolDir().replace(process.env.HOME ?? '\0', '~')})`).env('PERFPULSE_SPOOL_DIR'))
    .option('--spool-max-age <hours>', 'drop spooled pushes whose run is older than this', String(DEFAULT_SPOOL_LIMITS.maxAgeMs / 3_600_000))
    .option('--spool-max-entries <n>', 'keep at most this many spooled pushes (the oldest go first)', String(DEFAULT_SPOOL_LIMITS.maxEntries));
}

/** The spool the flags name; bad limits are bad input. */
export function spoolFromFlags(flags: DeliveryFlags, log: (line: string) => void = info): Spool {
  const hours = Number(flags.spoolMaxAge ?? DEFAULT_SPOOL_LIMITS.maxAgeMs / 3_600_000);
  const entries = Number(flags.spoolMaxEntries ?? DEFAULT_SPOOL_LIMITS.maxEntries);
  if (!(hours > 0)) throw new UserError(`--spool-max-age must be a number of hours > 0 (got ${JSON.stringify(flags.spoolMaxAge)})`);
  if (!Number.isInteger(entries) || entries < 1) throw new UserError(`--spool-max-entries must be a whole number ≥ 1 (got ${JSON.stringify(flags.spoolMaxEntries)})`);
  return new Spool(flags.spoolDir || defaultSpoolDir(), { maxAgeMs: hours * 3_600_000, maxEntries: entries }, log);
}

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

/** `--only journeys|probes`: narrows a run to one half. */
export type Only = 'journeys' | 'probes';

export function parseOnly(value: string | undefined): Only | undefined {
  if (value === undefined) return undefined;
  if (value !== 'journeys' && value !== 'probes') throw new UserError(`--only must be journeys or probes (got ${JSON.stringify(value)})`);
  return value;
}
