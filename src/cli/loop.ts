/**
 * `run --count N --sleep <seconds>`: the whole run (journeys → push → summary → probes) N times,
 * or until SIGINT/SIGTERM with `--count -1`, pausing between iterations. The replica and a local
 * Pushgateway are started once for the loop (src/cli/run.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ExitCode } from '../errors.ts';
import { numberFlag, secondsFlag } from './flags.ts';

export interface Loop {
  /** Iterations; -1 = until stopped. */
  count: number;
  /** Pause after one iteration ends and before the next starts. */
  sleepMs: number;
}

export const DEFAULT_SLEEP_SECONDS = 60;

export function parseLoop(flags: { count?: string; sleep?: string }): Loop {
  const count = numberFlag('--count', flags.count ?? '1');
  const sleepMs = secondsFlag('--sleep', flags.sleep ?? String(DEFAULT_SLEEP_SECONDS));
  return { count, sleepMs };
}

/** The progress line that starts an iteration. */
export const iterationLine = (n: number, count: number) => (count === -1 ? `iteration ${n} (until stopped)` : `iteration ${n}/${count}`);

/**
 * The loop's exit code is its iterations' worst, in this order (worst first): 4 aborted or 8 ended
 * by the run watchdog (the loop did not finish), 3 not delivered (something is only in the spool), 1 a journey or probe failed,
 * 7 over a fail budget (--fail-on-budget), 0 ok. Other codes end the loop where they happen and rank above all of these.
 */
const RANK: Record<number, number> = { [ExitCode.ok]: 0, [ExitCode.overBudget]: 0.5, [ExitCode.journeyFailed]: 1, [ExitCode.notDelivered]: 2, [ExitCode.aborted]: 3, [ExitCode.watchdog]: 3 };

export function worstExit(a: ExitCode | undefined, b: ExitCode): ExitCode {
  if (a === undefined) return b;
  return (RANK[b] ?? 9) > (RANK[a] ?? 9) ? b : a;
}

/**
 * Runs `iteration` as the loop says: a line before each when looping, the pause between them
 * (`pausing` tells the signal handler), an end at once on `signal`; gives the worst exit code.
 */
export async function iterate(
  loop: Loop,
  signal: AbortSignal,
  info: (line: string) => void,
  pausing: (now: boolean) => void,
  iteration: (n: number) => Promise<ExitCode>,
): Promise<ExitCode> {
  const looping = loop.count !== 1;
  let worst: ExitCode | undefined;
  for (let n = 1; ; n++) {
    if (looping) info(iterationLine(n, loop.count));
    const code = await iteration(n);
    worst = worstExit(worst, code);
    if (signal.aborted || n === loop.count) break;
    pausing(true);
    info(`iteration ${n} ended with exit code ${code}; next in ${loop.sleepMs / 1000} s`);
    await sleep(loop.sleepMs, undefined, { signal }).catch(() => undefined);
    pausing(false);
    if (signal.aborted) {
      worst = worstExit(worst, ExitCode.aborted);
      break;
    }
  }
  if (looping) info(`loop ended: exit code ${worst} (the worst of its iterations)`);
  return worst;
}
