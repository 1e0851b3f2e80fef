/**
 * How the probes that act for the user (./vospace.ts, ./headless.ts) declare their options: one
 * table per probe gives each option's profile key, its flag, its default and its help; the same
 * parsers check a flag and a profile value, so both refuse the same bad input with one line
 * (exit 2). Unknown profile keys are refused too. Each probe's table sits beside its code; the
 * probe plan (../plan.ts) reads the profile's `probes.vospace` / `probes.headless` through it.
 */
import { z } from 'zod';
import { strict } from '../../config/schema.ts';
import { UserError } from '../../errors.ts';
import { onOff } from '../options.ts';

/** One option: its key in the profile's section, its flag, its default (as typed) and its help. */
export interface OpsOption<T> {
  key: string;
  flag: string;
  default: string;
  help: string;
  /** Parses a flag's text or a profile's value; throws Error with what it must be. */
  parse: (v: unknown) => T;
}

const MAX_SIZE = 1024 ** 3;

/** `1048576`, `1MiB`, `256KiB`, `1GiB` (also `K`/`M`/`G`, `KB`/`MB`/`GB` as binary) → bytes, 1 B … 1 GiB. */
export function parseSize(v: unknown): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMG]?)(?:i?B)?\s*$/i.exec(String(v ?? ''));
  const n = m ? Number(m[1]) * 1024 ** ' KMG'.indexOf((m[2] || ' ').toUpperCase()) : NaN;
  if (typeof v !== 'number' && typeof v !== 'string') throw new Error('must be a size such as 1MiB or 1048576');
  if (!Number.isInteger(n) || n < 1 || n > MAX_SIZE) throw new Error('must be a whole number of bytes from 1 to 1GiB, e.g. 1MiB, 256KiB or 1048576');
  return n;
}

export const seconds = (min: number, max: number) => (v: unknown): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`must be a number of seconds from ${min} to ${max}`);
  return Math.round(n * 1000);
};

export const text = (what: string, re?: RegExp) => (v: unknown): string => {
  if (typeof v !== 'string' || !v.trim()) throw new Error(`must be a non-empty string (${what})`);
  if (re && !re.test(v)) throw new Error(`must be ${what}`);
  return v;
};

export type OptionTable = Record<string, OpsOption<unknown>>;

/**
 * The config of one probe from named values (a profile's section by key, or flags by option
 * name), each parsed, the rest from the defaults. `where(name)` names a bad value in the one line.
 */
export function build<C>(table: OptionTable, value: (name: string, o: OpsOption<unknown>) => unknown, where: (name: string, o: OpsOption<unknown>) => string): C {
  const out: Record<string, unknown> = {};
  for (const [name, o] of Object.entries(table)) {
    const v = value(name, o);
    try {
      out[name] = o.parse(v === undefined ? o.default : v);
    } catch (err) {
      throw new UserError(`${where(name, o)} ${(err as Error).message}`);
    }
  }
  return out as C;
}

/** A profile's `probes.vospace` / `probes.headless` value (true, null or a mapping), strictly: unknown keys are refused. */
export function fromProfile<C>(table: OptionTable, raw: unknown, section: string, source: string): C {
  const mapping = raw === true || raw === null ? {} : raw;
  const shape = Object.fromEntries(Object.values(table).map((o) => [o.key, z.unknown().optional()]));
  const checked = z.strictObject(shape).safeParse(mapping);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const keys = Object.values(table).map((o) => o.key).join(', ');
    if (issue?.code === 'unrecognized_keys') throw new UserError(`env profile ${source}: probes.${section} has unknown key(s) ${issue.keys.join(', ')} (use ${keys})`);
    throw new UserError(`env profile ${source}: probes.${section} must be true or a mapping of ${keys}`);
  }
  const values = checked.data as Record<string, unknown>;
  return build<C>(table, (_n, o) => values[o.key], (_n, o) => `env profile ${source}: probes.${section}.${o.key}`);
}

/**
 * A probe command's config: each flag given (by option name, commander's camelCase of the flag)
 * replaces the profile's value, which replaces the default.
 */
export function withFlags<C extends object>(table: OptionTable, base: C, flags: Record<string, unknown>): C {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [name, o] of Object.entries(table)) {
    const flag = o.flag.split(' ')[0] as string;
    const v = flags[flag.slice(2).replace(/-([a-z])/g, (_s, c: string) => c.toUpperCase())];
    if (v === undefined) continue;
    try {
      out[name] = o.parse(v);
    } catch (err) {
      throw new UserError(`${flag} ${(err as Error).message}`);
    }
  }
  return out as C;
}

/** A probe's defaults, as a run without a profile section would use them. */
export const defaultsOf = <C>(table: OptionTable): C => build<C>(table, () => undefined, (n) => n);

/**
 * The table as a zod schema of what the profile's section may hold (true, null, false or a mapping
 * of its keys), for the docs: src/cli/env-docs.ts puts it into docs/env-profile.schema.json. The
 * values are checked by the table's parsers (fromProfile), which take a number or a string alike.
 */
export function optionTableSchema(table: OptionTable) {
  const keys = Object.values(table);
  // the type column of the docs: the flag's placeholder (`--size <bytes>`: bytes)
  const option = (o: OpsOption<unknown>) => z.unknown().optional().meta({ title: (o.flag.split(' ')[1] ?? 'value').replace(/[<>]/g, ''), description: `${o.help} (default: ${o.default}; flag ${o.flag.split(' ')[0]})` });
  const section = strict(Object.fromEntries(keys.map((o) => [o.key, option(o)])));
  return onOff(section, keys.map((o) => o.key).join(', '));
}
