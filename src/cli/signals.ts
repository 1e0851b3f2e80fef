/**
 * SIGINT/SIGTERM while a command works: the first one aborts an AbortSignal the work watches, so
 * it stops and still delivers (or spools) what was measured; `say` tells the person on stderr what
 * happens now, and hears whether the signal is a repeat.
 */
export interface Stop {
  signal: AbortSignal;
  /** Epoch ms of the first signal, if one came. */
  at(): number | undefined;
  /** Stops listening. */
  dispose(): void;
}

export function listenForStop(say: (sig: NodeJS.Signals, again: boolean) => void): Stop {
  const abort = new AbortController();
  let at: number | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    const again = at !== undefined;
    at ??= Date.now();
    say(sig, again);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: abort.signal,
    at: () => at,
    dispose: () => {
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
