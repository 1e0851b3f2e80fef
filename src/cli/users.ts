/**
 * `--users N`: how many virtual users may run at once on this machine. Each user is a Playwright
 * worker process with a Chromium of its own, so the default bound follows the machine: one user per
 * CPU the process may use (os.availableParallelism(); more would make the users' wall times measure
 * the machine's contention instead of the portal) and one per USER_MEMORY_BYTES of the memory it
 * may use (cgroup limit or RAM). `--users-max-override` lifts that bound for someone who knows the
 * machine better, up to ABSOLUTE_MAX_USERS, which nothing lifts: beyond it this is a load generator's
 * job, not a browser harness'.
 */
import { availableParallelism, totalmem } from 'node:os';
import { UserError } from '../errors.ts';

/**
 * Memory set aside per user. Measured with deploy/measure-memory.sh (login,search, --dry-run, 2-core
 * machine): one user peaks at 835 MiB PSS over the whole process tree (CLI, runner, worker,
 * Chromium, replica), two users at 1190 MiB PSS (RSS summed per process 1584 → 2695 MiB): a further
 * user adds about 355 MiB PSS and 1.1 GiB RSS. A cgroup charges something between the two.
 */
export const USER_MEMORY_BYTES = 768 * 1024 * 1024;

/** No flag lifts this. */
export const ABSOLUTE_MAX_USERS = 32;

export interface MachineShape {
  cpus: number;
  memoryBytes: number;
}

export function machineShape(): MachineShape {
  const constrained = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  const total = totalmem();
  return { cpus: availableParallelism(), memoryBytes: constrained > 0 && constrained < total ? constrained : total };
}

/** The default bound on --users for a machine of this shape (at least 1). */
export function usersBound(m: MachineShape = machineShape()): number {
  return Math.max(1, Math.min(m.cpus, Math.floor(m.memoryBytes / USER_MEMORY_BYTES), ABSOLUTE_MAX_USERS));
}

/** Parses and bounds `--users`; undefined means 1. */
export function parseUsers(value: string | undefined, override = false, m: MachineShape = machineShape()): number {
  if (value === undefined) return 1;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new UserError(`--users must be a whole number of 1 or more, not ${JSON.stringify(value)}`);
  if (n > ABSOLUTE_MAX_USERS) throw new UserError(`--users ${n} is above the absolute limit of ${ABSOLUTE_MAX_USERS} virtual users (a browser per user); use a load-testing tool for more`);
  const bound = usersBound(m);
  if (n > bound && !override) {
    throw new UserError(
      `--users ${n} is above this machine's limit of ${bound} (${m.cpus} CPUs, ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB: one user per CPU and per ${USER_MEMORY_BYTES / 2 ** 20} MiB); pass --users-max-override to run more, up to ${ABSOLUTE_MAX_USERS}`,
    );
  }
  return n;
}
