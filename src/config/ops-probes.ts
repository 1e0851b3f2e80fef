/**
 * The options of the probes that write and start things for the user (docs/probes.md): the VOSpace
 * transfer probe (`probe vospace`, profile `probes.vospace`) and the headless batch-job probe
 * (`probe headless`, profile `probes.headless`). One table per probe gives each option's profile
 * key, its flag, its default and its help; the same parsers check a flag and a profile value, so
 * both refuse the same bad input with one line (exit 2). Unknown profile keys are refused too.
 *
 *   probes:
 *     vospace:                     # or `vospace: true` for every default
 *       services: [vault, arc]
 *       size: 1MiB                 # bytes, or with a KiB / MiB / GiB suffix
 *       folder: perfpulse-probe    # scratch folder under the user's home (created and removed by the probe)
 *       timeout: 60                # seconds, every request
 *     headless:
 *       image: images.canfar.net/skaha/stress-ng:latest
 *       cmd: stress-ng
 *       args: --cpu 1 --timeout 5s
 *       name: perfpulse-hl
 *       deadline: 300              # seconds from the submission to Completed
 *       poll: 2                    # seconds between two looks at the session list
 *       timeout: 15                # seconds, every request
 */
import { z } from 'zod';
import { UserError } from '../errors.ts';

/** The VOSpace services the transfer probe knows (the `service` label). */
export const VOSPACE_SERVICE_NAMES = ['vault', 'arc'] as const;

export interface VospaceProbeConfig {
  services: string[];
  sizeBytes: number;
  /** Path under `home/<user>/`, one or more segments. */
  folder: string;
  timeoutMs: number;
}

export interface HeadlessProbeConfig {
  image: string;
  cmd: string;
  args: string;
  /** The session's name (skaha: 1-15 letters, digits or -); also how a leftover of an earlier run is found. */
  name: string;
  deadlineMs: number;
  pollMs: number;
  timeoutMs: number;
}

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

const seconds = (min: number, max: number) => (v: unknown): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`must be a number of seconds from ${min} to ${max}`);
  return Math.round(n * 1000);
};

const text = (what: string, re?: RegExp) => (v: unknown): string => {
  if (typeof v !== 'string' || !v.trim()) throw new Error(`must be a non-empty string (${what})`);
  if (re && !re.test(v)) throw new Error(`must be ${what}`);
  return v;
};

function services(v: unknown): string[] {
  const list = typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v;
  if (!Array.isArray(list) || !list.length || !list.every((s) => typeof s === 'string')) throw new Error(`must be a list of ${VOSPACE_SERVICE_NAMES.join(' and/or ')}`);
  const unknown = list.filter((s) => !(VOSPACE_SERVICE_NAMES as readonly string[]).includes(s));
  if (unknown.length) throw new Error(`names unknown service(s) ${unknown.join(', ')} (use ${VOSPACE_SERVICE_NAMES.join(', ')})`);
  return [...new Set(list as string[])];
}

export const VOSPACE_OPTIONS = {
  services: { key: 'services', flag: '--services <list>', default: 'vault,arc', help: 'VOSpace services, comma-separated: vault, arc', parse: services },
  sizeBytes: { key: 'size', flag: '--size <bytes>', default: '1MiB', help: 'size of the random test file: bytes, or with a KiB/MiB/GiB suffix (at most 1GiB)', parse: parseSize },
  folder: {
    key: 'folder',
    flag: '--folder <path>',
    default: 'perfpulse-probe',
    help: "scratch folder under the user's home (created when missing and then removed again)",
    parse: text('a relative path of letters, digits, . _ - segments, e.g. perfpulse-probe', /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/),
  },
  timeoutMs: { key: 'timeout', flag: '--timeout <seconds>', default: '60', help: 'hard deadline of every request', parse: seconds(0.1, 600) },
} satisfies { [K in keyof VospaceProbeConfig]: OpsOption<VospaceProbeConfig[K]> };

export const HEADLESS_OPTIONS = {
  image: { key: 'image', flag: '--image <id>', default: 'images.canfar.net/skaha/stress-ng:latest', help: 'container image of the job', parse: text('an image id such as images.canfar.net/skaha/stress-ng:latest', /^\S+$/) },
  cmd: { key: 'cmd', flag: '--cmd <command>', default: 'stress-ng', help: 'command the job runs (skaha cmd)', parse: text('a command') },
  args: { key: 'args', flag: '--args <arguments>', default: '--cpu 1 --timeout 5s', help: 'its arguments, space-separated (skaha args)', parse: text('arguments') },
  name: { key: 'name', flag: '--name <name>', default: 'perfpulse-hl', help: 'session name; a session of that name left by an earlier run is deleted first', parse: text('1-15 letters, digits or -', /^[A-Za-z0-9-]{1,15}$/) },
  deadlineMs: { key: 'deadline', flag: '--deadline <seconds>', default: '300', help: 'time from the submission by which the job must have completed', parse: seconds(1, 86_400) },
  pollMs: { key: 'poll', flag: '--poll <seconds>', default: '2', help: 'pause between two looks at the session list (the resolution of the phases)', parse: seconds(0.05, 600) },
  timeoutMs: { key: 'timeout', flag: '--timeout <seconds>', default: '15', help: 'hard deadline of every request', parse: seconds(0.1, 600) },
} satisfies { [K in keyof HeadlessProbeConfig]: OpsOption<HeadlessProbeConfig[K]> };

type Table = Record<string, OpsOption<unknown>>;

/**
 * The config of one probe from named values (a profile's section by key, or flags by option
 * name), each parsed, the rest from the defaults. `where(name)` names a bad value in the one line.
 */
function build<C>(table: Table, value: (name: string, o: OpsOption<unknown>) => unknown, where: (name: string, o: OpsOption<unknown>) => string): C {
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
function fromProfile<C>(table: Table, raw: unknown, section: string, source: string): C {
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

export function vospaceFromProfile(raw: unknown, source: string): VospaceProbeConfig {
  return fromProfile(VOSPACE_OPTIONS, raw, 'vospace', source);
}

export function headlessFromProfile(raw: unknown, source: string): HeadlessProbeConfig {
  return fromProfile(HEADLESS_OPTIONS, raw, 'headless', source);
}

/**
 * A probe command's config: each flag given (by option name, commander's camelCase of the flag)
 * replaces the profile's value, which replaces the default.
 */
export function withFlags<C extends object>(table: Table, base: C, flags: Record<string, unknown>): C {
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

/** The defaults of a probe, as a run without a profile section would use them. */
export const vospaceDefaults = (): VospaceProbeConfig => build(VOSPACE_OPTIONS, () => undefined, (n) => n);
export const headlessDefaults = (): HeadlessProbeConfig => build(HEADLESS_OPTIONS, () => undefined, (n) => n);
