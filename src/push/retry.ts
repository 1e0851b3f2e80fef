/**
 * Bounded retries for one push: network errors, deadlines, 5xx and 429 are tried again with
 * exponential backoff and jitter, at most `attempts` times and never past `deadlineAt`. A 4xx (a
 * 400 above all: the gateway rejected the text) and an untrusted certificate are never retried.
 *
 * The defaults fit a SIGTERM grace period of 30 s: 3 attempts of at most 6 s each plus at most
 * 0.5 + 1 s of backoff stay under the whole-delivery budget of 20 s (deliver.ts), which leaves time to
 * stop the journeys and close the browser.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { pushGroup, type PushOutcome, type PushRequest } from './pushgateway.ts';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Hard deadline of one attempt (connect, send, whole answer). */
  attemptDeadlineMs: number;
  /** Backoff before the 2nd attempt; doubles each time, with jitter in [½, 1] of it. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, attemptDeadlineMs: 6000, baseDelayMs: 500, maxDelayMs: 4000 };

/** Below this much time left, another attempt cannot succeed. */
const MIN_ATTEMPT_MS = 250;

export interface RetriedOutcome extends PushOutcome {
  attempts: number;
}

export interface RetryOptions {
  policy?: RetryPolicy;
  /** Epoch ms after which nothing more is tried. */
  deadlineAt?: number;
  signal?: AbortSignal;
  /** For tests: [0, 1). */
  random?: () => number;
  /** Called before each retry with the failed outcome and the wait. */
  onRetry?: (failed: PushOutcome, attempt: number, waitMs: number) => void;
}

/** Backoff before attempt n+1 (n ≥ 1): base·2^(n-1), capped, times a jitter in [0.5, 1]. */
export function backoffMs(policy: RetryPolicy, n: number, random: () => number = Math.random): number {
  const full = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
  return Math.round(full * (0.5 + random() / 2));
}

export async function pushWithRetry(req: Omit<PushRequest, 'deadlineMs' | 'signal'>, opts: RetryOptions = {}): Promise<RetriedOutcome> {
  const policy = opts.policy ?? DEFAULT_RETRY;
  const deadlineAt = opts.deadlineAt ?? Date.now() + policy.attempts * (policy.attemptDeadlineMs + policy.maxDelayMs);
  let last: PushOutcome = { ok: false, message: 'no time left to try', retryable: true };
  let n = 0;
  while (n < policy.attempts) {
    const left = deadlineAt - Date.now();
    if (left < MIN_ATTEMPT_MS || opts.signal?.aborted) break;
    n++;
    last = await pushGroup({ ...req, deadlineMs: Math.min(policy.attemptDeadlineMs, left), signal: opts.signal });
    if (last.ok || !last.retryable || n >= policy.attempts) break;
    let wait = backoffMs(policy, n, opts.random);
    if (last.retryAfterS !== undefined) wait = Math.max(wait, Math.min(last.retryAfterS * 1000, policy.maxDelayMs));
    if (Date.now() + wait + MIN_ATTEMPT_MS > deadlineAt) break;
    opts.onRetry?.(last, n, wait);
    try {
      await sleep(wait, undefined, { signal: opts.signal });
    } catch {
      break; // aborted
    }
  }
  return { ...last, attempts: n };
}
