/**
 * What the benchmarks read from /proc (Linux): the process table, a process tree's resident memory,
 * one process's RSS and open file descriptors. Every read tolerates a process that is gone meanwhile.
 */
import { readFileSync, readdirSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  ppid: number;
  /** R, S, D, Z (zombie), … */
  state: string;
  /** Start time in clock ticks since boot: tells a process from a later one with the same pid. */
  start: string;
  comm: string;
}

export function procStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const f = text.slice(close + 2).split(' ');
    return { pid, state: f[0] ?? '', ppid: Number(f[1]), start: f[19] ?? '', comm: text.slice(text.indexOf('(') + 1, close) };
  } catch {
    return undefined;
  }
}

/** Every process now, by pid. */
export function processTable(): Map<number, ProcStat> {
  const table = new Map<number, ProcStat>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const s = procStat(Number(d));
    if (s) table.set(s.pid, s);
  }
  return table;
}

/** Every process below `root` (children, grandchildren, …), zombies included. */
export function descendants(root: number, table: Map<number, ProcStat> = processTable()): ProcStat[] {
  const children = new Map<number, ProcStat[]>();
  for (const s of table.values()) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const out: ProcStat[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length) {
    const s = queue.shift() as ProcStat;
    out.push(s);
    queue.push(...(children.get(s.pid) ?? []));
  }
  return out;
}

/** VmRSS of one process in KiB (0 when gone, or a zombie). */
export function rssKiB(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Sum of VmRSS (KiB) of pid and all its descendants (shared pages count more than once: an upper estimate). */
export function treeRssKiB(root: number, table: Map<number, ProcStat> = processTable()): number {
  return [root, ...descendants(root, table).map((s) => s.pid)].reduce((sum, pid) => sum + rssKiB(pid), 0);
}

/** How many file descriptors the process has open (undefined when gone). */
export function openFds(pid: number): number | undefined {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return undefined;
  }
}
