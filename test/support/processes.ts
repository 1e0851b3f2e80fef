/** Which processes descend from a pid (read from /proc), and whether they are still running. */
import { readFileSync, readdirSync } from 'node:fs';

export interface ProcId {
  pid: number;
  /** Start time in clock ticks since boot: tells a process from a later one with the same pid. */
  start: string;
  comm: string;
}

function stat(pid: number): { ppid: number; start: string; comm: string; state: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const f = text.slice(close + 2).split(' ');
    return { state: f[0] ?? '', ppid: Number(f[1]), start: f[19] ?? '', comm };
  } catch {
    return undefined;
  }
}

/** Every living process below `root` (children, grandchildren, …). */
export function descendants(root: number): ProcId[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = stat(pid);
    if (!s) continue;
    children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  }
  const out: ProcId[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length) {
    const pid = queue.shift() as number;
    const s = stat(pid);
    if (s) out.push({ pid, start: s.start, comm: s.comm });
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Those of `procs` still running (zombies count as gone). */
export function stillRunning(procs: ProcId[]): ProcId[] {
  return procs.filter((p) => {
    const s = stat(p.pid);
    return s !== undefined && s.start === p.start && s.state !== 'Z';
  });
}
