/**
 * Flags more than one command takes, and the parsers of flag values: the delivery flags (`run`,
 * `push`, `probe k8s|http`), numbers within their documented ranges, `--only`. Each bad value is
 * one line (UserError, exit 2) before anything starts.
 *
 * FLAG_RANGES is the one place a numeric flag's range is written: `--help` shows it (withRange),
 * the README's table lists it, main.ts checks every numeric flag of the command about to run
 * against it (checkNumericFlags) before its action starts, and the commands parse with it
 * (numberFlag). test/flags.test.ts fails when a numeric flag has no range here.
 */
import { Option, type Command } from 'commander';
import { UserError } from '../errors.ts';
import type { AccessFlags } from '../push/access.ts';
import { DEFAULT_SPOOL_LIMITS, Spool, defaultSpoolDir } from '../push/spool.ts';
import { ABSOLUTE_MAX_USERS } from './users.ts';

export interface NumberRange {
  min: number;
  max: number;
  /** Whole numbers only. */
  integer?: boolean;
  /** `min` itself is not allowed (a value must be above it). */
  aboveMin?: boolean;
  unit?: 'seconds' | 'hours';
  /** A value outside [min, max] that means something, and what. */
  special?: { value: number; means: string };
  /** Said after the range, e.g. a further bound checked elsewhere. */
  note?: string;
}

/** Most shards a campaign may have (--shard i/n, --shard-count n). */
export const MAX_SHARDS = 1000;

/** The range of every numeric flag, by its long name (the same range wherever the flag appears). */
export const FLAG_RANGES = {
  '--count': { min: 1, max: 1_000_000, integer: true, special: { value: -1, means: 'until SIGINT/SIGTERM' } },
  '--sleep': { min: 0, max: 86_400, unit: 'seconds' },
  '--max-run-seconds': { min: 1, max: 604_800, integer: true, unit: 'seconds' },
  '--timeout': { min: 0.1, max: 600, unit: 'seconds' },
  '--concurrency': { min: 1, max: 8, integer: true },
  '--retries': { min: 0, max: 5, integer: true },
  '--users': { min: 1, max: ABSOLUTE_MAX_USERS, integer: true, note: "above this machine's bound only with --users-max-override" },
  '--shard-count': { min: 1, max: MAX_SHARDS, integer: true },
  '--spool-max-age': { min: 0, max: 8760, aboveMin: true, unit: 'hours' },
  '--spool-max-entries': { min: 1, max: 100_000, integer: true },
} as const satisfies Record<string, NumberRange>;

export type NumericFlag = keyof typeof FLAG_RANGES;

const r = (name: NumericFlag): NumberRange => FLAG_RANGES[name];

/** `1 to 1000000, or -1 (until SIGINT/SIGTERM)`, `above 0 and at most 8760 hours`. */
export function rangeText(name: NumericFlag): string {
  const x = r(name);
  const unit = x.unit ? ` ${x.unit}` : '';
  const span = x.aboveMin ? `above ${x.min} and at most ${x.max}${unit}` : `${x.min} to ${x.max}${unit}`;
  const whole = x.integer ? 'whole number ' : '';
  return `${whole}${span}${x.special ? `, or ${x.special.value} (${x.special.means})` : ''}${x.note ? `; ${x.note}` : ''}`;
}

/** A flag's help with its range: `run everything n times (whole number 1 to 1000000, or -1 ...)`. */
export function withRange(name: NumericFlag, help: string): string {
  return `${help} [${rangeText(name)}]`;
}

const INTEGER = /^\s*[+-]?\d+\s*$/;
const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/;

/**
 * `value` of a numeric flag as a number within its range, else bad input in one line saying
 * what it must be. No exponents, hex or empty strings: what `Number()` would quietly accept.
 */
export function numberFlag(name: NumericFlag, value: string): number {
  const x = r(name);
  const n = Number(value);
  const shape = x.integer ? INTEGER : DECIMAL;
  const inRange = x.aboveMin ? n > x.min && n <= x.max : n >= x.min && n <= x.max;
  if (shape.test(value) && Number.isFinite(n) && (inRange || n === x.special?.value)) return n;
  const kind = x.integer ? 'a whole number' : 'a number';
  const unit = x.unit ? ` of ${x.unit}` : '';
  const span = x.aboveMin ? `above ${x.min} and at most ${x.max}` : `from ${x.min} to ${x.max}`;
  const special = x.special ? `${x.special.value} (${x.special.means}) or ` : '';
  throw new UserError(`${name} must be ${special}${kind}${unit} ${span} (got ${JSON.stringify(value)})`);
}

/** A seconds flag in milliseconds. */
export function secondsFlag(name: NumericFlag & ('--sleep' | '--timeout'), value: string): number {
  return Math.round(numberFlag(name, value) * 1000);
}

/**
 * Checks every numeric flag `cmd` was given (or defaults to) against FLAG_RANGES: main.ts runs it
 * before any command's action, so a bad number never waits for the code path that reads it.
 */
export function checkNumericFlags(cmd: Command): void {
  const values = cmd.opts();
  for (const option of cmd.options) {
    const name = option.long as NumericFlag | undefined;
    if (!name || !(name in FLAG_RANGES)) continue;
    const value = values[option.attributeName()];
    if (typeof value === 'string') numberFlag(name, value);
  }
}

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
    .option('--spool-max-age <hours>', withRange('--spool-max-age', 'drop spooled pushes whose run is older than this'), String(DEFAULT_SPOOL_LIMITS.maxAgeMs / 3_600_000))
    .option('--spool-max-entries <n>', withRange('--spool-max-entries', 'keep at most this many spooled pushes (the oldest go first)'), String(DEFAULT_SPOOL_LIMITS.maxEntries));
}

/** The spool the flags name; bad limits are bad input. */
export function spoolFromFlags(flags: DeliveryFlags, log: (line: string) => void = info): Spool {
  const hours = numberFlag('--spool-max-age', flags.spoolMaxAge ?? String(DEFAULT_SPOOL_LIMITS.maxAgeMs / 3_600_000));
  const entries = numberFlag('--spool-max-entries', flags.spoolMaxEntries ?? String(DEFAULT_SPOOL_LIMITS.maxEntries));
  return new Spool(flags.spoolDir || defaultSpoolDir(), { maxAgeMs: hours * 3_600_000, maxEntries: entries }, log);
}

/** `--only journeys|probes`: narrows a run to one half. */
export type Only = 'journeys' | 'probes';

export function parseOnly(value: string | undefined): Only | undefined {
  if (value === undefined) return undefined;
  if (value !== 'journeys' && value !== 'probes') throw new UserError(`--only must be journeys or probes (got ${JSON.stringify(value)})`);
  return value;
}
