/**
 * SIGINT/SIGTERM while a command works: the first one aborts an AbortSignal the work watches, so
 * it stops and still delivers (or spools) what was measured; `say` tells the person on stderr what
 * happens now, and hears whether the signal is a repeat. The run watchdog (`run --max-run-seconds`)
 * aborts the same signal when its time is up, so an over-long run ends by the same path.
 */
export interface Stop {
  signal: AbortSignal;
  /** Epoch ms of the first stop (a signal or the watchdog), if one came. */
  at(): number | undefined;
  /** What stopped the work first: a signal or the run watchdog; undefined while nothing has. */
  by(): 'signal' | 'watchdog' | undefined;
  /** Stops listening (and disarms the watchdog). */
  dispose(): void;
}

export interface Watchdog {
  /** Abort this long after listenForStop is called. */
  afterMs: number;
  /** Tells the person the watchdog ended the work (one line). */
  say: () => void;
}

export function listenForStop(say: (sig: NodeJS.Signals, again: boolean) => void, watchdog?: Watchdog): Stop {
  const abort = new AbortController();
  let at: number | undefined;
  let by: 'signal' | 'watchdog' | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    const again = at !== undefined;
    at ??= Date.now();
    by ??= 'signal';
    say(sig, again);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const timer = watchdog
    ? setTimeout(() => {
        if (at !== undefined) return; // already stopping
        at = Date.now();
        by = 'watchdog';
        watchdog.say();
        abort.abort();
      }, watchdog.afterMs)
    : undefined;
  timer?.unref();
  return {
    signal: abort.signal,
    at: () => at,
    by: () => by,
    dispose: () => {
      clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** Runs `fn` with SIGINT/SIGTERM turned into its abort signal; gives its result and whether it was aborted. */
export async function withStop<T>(say: (sig: NodeJS.Signals) => void, fn: (signal: AbortSignal) => Promise<T>): Promise<[T, boolean]> {
  const stop = listenForStop(say);
  try {
    return [await fn(stop.signal), stop.signal.aborted];
  } finally {
    stop.dispose();
  }
}
