/**
 * The spool: pushes that could not be delivered, kept on disk until a later start or
 * `perfpulse-journeys push --replay` delivers them (replay.ts). One JSON file per push holding the
 * exact body, job, grouping key, method and the run's timestamp. Files are written atomically
 * (a temp file in the same directory, then rename), so a crash or SIGKILL leaves either the whole
 * entry or none; readers ignore temp files.
 *
 * The order is total and the same on every read: the run's timestamp, then when the entry was
 * spooled, then `seq`, a per-process counter that only goes up (two pushes of one run, spooled in
 * the same millisecond, keep the order they were written in), then the file name. File names
 * start with the run's timestamp, the writer's pid and `seq`, so `ls` shows one process's entries
 * in the same order.
 * `state.json` beside the entries keeps the failure and drop counters, so they survive one-shot
 * runs (perfpulse_push_failures_total, perfpulse_push_spool_dropped_total).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.ts';
import type { DeliveryHealth, PushItem } from '../metrics/bodies.ts';

export interface SpoolEntry extends PushItem {
  version: 1;
  spooledAtMs: number;
  /** One line: why it was not delivered. */
  reason: string;
  /** Order among the entries this process spooled (older entries may lack it). */
  seq?: number;
}

export interface Spooled {
  file: string;
  entry: SpoolEntry;
}

export interface SpoolLimits {
  maxAgeMs: number;
  maxEntries: number;
}

export const DEFAULT_SPOOL_LIMITS: SpoolLimits = { maxAgeMs: 7 * 24 * 3600 * 1000, maxEntries: 500 };

export interface SpoolCounters {
  /** Per env label value: pushes that got no 2xx after every retry. */
  failures: Record<string, number>;
  /** Per env label value: spooled pushes dropped for age or count. */
  dropped: Record<string, number>;
  /** Per env label value: pushes neither delivered nor spooled (the spool could not be written: unwritable, disk full). */
  lost: Record<string, number>;
}

const noCounters = (): SpoolCounters => ({ failures: {}, dropped: {}, lost: {} });

const STATE = 'state.json';

/** Per process, strictly increasing: the tie-breaker of entries spooled in the same millisecond. */
let nextSeq = 0;

/** $XDG_STATE_HOME/perfpulse-journeys/spool, else ~/.local/state/perfpulse-journeys/spool. */
export function defaultSpoolDir(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'perfpulse-journeys', 'spool');
}

/** A short, stable name for a group: job plus grouping labels. */
export function groupKey(job: string, grouping: Record<string, string>): string {
  return JSON.stringify([job, ...Object.entries(grouping).sort(([a], [b]) => (a < b ? -1 : 1))]);
}

/** For people: job{label="value",…}. Grouping values are our own slugs, never secrets. */
export function groupName(item: { job: string; grouping: Record<string, string> }): string {
  const labels = Object.entries(item.grouping).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${item.job}{${labels.join(',')}}`;
}

/** The env a push belongs to, for the health counters ('' when its grouping has none). */
export function envOf(item: { grouping: Record<string, string> }): string {
  return item.grouping.env ?? '';
}

function isEntryFile(name: string): boolean {
  return name.endsWith('.json') && name !== STATE && !name.startsWith('.');
}

function writeAtomically(file: string, text: string): void {
  const tmp = join(file, '..', `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, text, { mode: 0o600 });
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true }); // a full disk leaves a partial temp file: never keep it
    throw err;
  }
}

export class Spool {
  readonly dir: string;
  readonly limits: SpoolLimits;
  private readonly log: (line: string) => void;
  /** Counts this process could not persist (state.json unwritable): still reported by health(), written with the next count that succeeds. */
  private unsaved: SpoolCounters = noCounters();

  constructor(dir: string, limits: SpoolLimits = DEFAULT_SPOOL_LIMITS, log: (line: string) => void = () => undefined) {
    this.dir = dir;
    this.limits = limits;
    this.log = log;
  }

  private ensureDir(): void {
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw new UserError(`cannot create the spool directory ${this.dir}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }

  /** Writes one undelivered push (atomically) and applies the limits. Returns its file. */
  write(item: PushItem, reason: string, now = Date.now()): string {
    this.ensureDir();
    const seq = nextSeq++;
    const entry: SpoolEntry = { version: 1, ...item, spooledAtMs: now, reason, seq };
    const hash = createHash('sha256').update(groupKey(item.job, item.grouping)).digest('hex').slice(0, 12);
    // the random tail only keeps a reused pid from overwriting an old entry; it never decides the order
    const name = `${String(item.runTimestampMs).padStart(15, '0')}-${process.pid}-${String(seq).padStart(9, '0')}-${hash}-${randomBytes(3).toString('hex')}.json`;
    const file = join(this.dir, name);
    try {
      writeAtomically(file, JSON.stringify(entry));
    } catch (err) {
      throw new UserError(`cannot write to the spool directory ${this.dir}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    this.prune(now);
    return file;
  }

  /** Every entry, oldest run first. A file that is not a spool entry is reported and moved aside. */
  list(): Spooled[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new UserError(`cannot read the spool directory ${this.dir}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    const out: Spooled[] = [];
    for (const name of names.filter(isEntryFile)) {
      const file = join(this.dir, name);
      try {
        const entry = JSON.parse(readFileSync(file, 'utf8')) as SpoolEntry;
        if (entry.version !== 1 || typeof entry.body !== 'string' || typeof entry.job !== 'string' || !Number.isFinite(entry.runTimestampMs)) {
          throw new Error('not a spool entry');
        }
        out.push({ file, entry });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // removed meanwhile
        renameSync(file, `${file}.corrupt`);
        this.log(`spool: ${name} is not a spool entry (${(err as Error).message}); moved aside to ${name}.corrupt`);
      }
    }
    return out.sort(byAge);
  }

  remove(file: string): void {
    rmSync(file, { force: true });
  }

  /** Drops entries older than maxAge and, oldest first, beyond maxEntries, saying so. */
  prune(now = Date.now()): Spooled[] {
    const all = this.list();
    const dropped: Spooled[] = [];
    const tooOld = all.filter((s) => now - s.entry.runTimestampMs > this.limits.maxAgeMs);
    for (const s of tooOld) {
      this.log(`spool: dropped ${groupName(s.entry)} of run ${new Date(s.entry.runTimestampMs).toISOString()}: older than ${formatAge(this.limits.maxAgeMs)}`);
      dropped.push(s);
    }
    const young = all.filter((s) => !tooOld.includes(s));
    const excess = young.slice(0, Math.max(0, young.length - this.limits.maxEntries));
    for (const s of excess) {
      this.log(`spool: dropped ${groupName(s.entry)} of run ${new Date(s.entry.runTimestampMs).toISOString()}: more than ${this.limits.maxEntries} entries spooled`);
      dropped.push(s);
    }
    for (const s of dropped) this.remove(s.file);
    if (dropped.length) this.count('dropped', dropped.map((s) => envOf(s.entry)));
    return dropped;
  }

  /** Entries waiting, per env label value. */
  sizeByEnv(): Map<string, number> {
    const sizes = new Map<string, number>();
    for (const s of this.list()) sizes.set(envOf(s.entry), (sizes.get(envOf(s.entry)) ?? 0) + 1);
    return sizes;
  }

  /** What the delivery-health body of `env` reports (src/metrics/bodies.ts healthBody). */
  health(env: string): DeliveryHealth {
    const counters = this.counters();
    let spoolEntries = 0;
    try {
      spoolEntries = this.sizeByEnv().get(env) ?? 0;
    } catch {
      // an unreadable spool holds nothing this process can replay
    }
    return { spoolEntries, failures: counters.failures[env] ?? 0, dropped: counters.dropped[env] ?? 0, lost: counters.lost[env] ?? 0 };
  }

  /** The persisted counters plus those this process could not persist. */
  counters(): SpoolCounters {
    let saved: Partial<SpoolCounters> = {};
    try {
      saved = JSON.parse(readFileSync(join(this.dir, STATE), 'utf8')) as Partial<SpoolCounters>;
    } catch {
      // none yet, or unreadable: start from zero
    }
    const out = noCounters();
    for (const k of Object.keys(out) as (keyof SpoolCounters)[]) {
      for (const [env, n] of [...Object.entries(saved[k] ?? {}), ...Object.entries(this.unsaved[k])]) out[k][env] = (out[k][env] ?? 0) + n;
    }
    return out;
  }

  /**
   * Adds one to a counter for each env given, persisted atomically. Never throws: when state.json
   * cannot be written (the spool is unwritable, the disk is full) the counts stay in this process,
   * in health(), and go into the file with the next write that succeeds. Returns whether they were persisted.
   */
  count(which: keyof SpoolCounters, envs: string[]): boolean {
    if (!envs.length) return true;
    for (const env of envs) this.unsaved[which][env] = (this.unsaved[which][env] ?? 0) + 1;
    try {
      this.ensureDir();
      writeAtomically(join(this.dir, STATE), JSON.stringify(this.counters()));
      this.unsaved = noCounters();
      return true;
    } catch {
      return false;
    }
  }

  /** True when the directory exists (nothing was ever spooled otherwise). */
  exists(): boolean {
    try {
      return statSync(this.dir).isDirectory();
    } catch {
      return false;
    }
  }
}

/** Oldest run first, then spooled first, then written first; a total order (file names differ). */
function byAge(a: Spooled, b: Spooled): number {
  return (
    a.entry.runTimestampMs - b.entry.runTimestampMs ||
    a.entry.spooledAtMs - b.entry.spooledAtMs ||
    (a.entry.seq ?? -1) - (b.entry.seq ?? -1) ||
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)
  );
}

function formatAge(ms: number): string {
  const h = ms / 3_600_000;
  return h >= 48 && h % 24 === 0 ? `${h / 24} days` : `${h} hours`;
}
