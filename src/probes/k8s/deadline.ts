/**
 * A call's deadline, measured on the clock that times the call (performance.now()) from the
 * moment its timing starts. A plain setTimeout (or AbortSignal.timeout) counts from the event
 * loop's cached time, which can lag performance.now() by a few milliseconds, and it was armed
 * before the timed part began: a 1 s deadline then ended a call timed at 0.996 s. Here the timer
 * may fire early, but the deadline only passes once `performance.now() - start >= ms`; an early
 * timer re-arms for what is left. So a call ended by its deadline is never timed below it.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private start = 0;
  private readonly ms: number;
  private readonly onExpire: (() => void) | undefined;

  /** Counts from `start` (performance.now() time); `restart()` moves it to when the timed part begins. */
  constructor(ms: number, start = performance.now(), onExpire?: () => void) {
    this.ms = ms;
    this.onExpire = onExpire;
    this.restart(start);
  }

  /** Aborted once the deadline has passed. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  /** Counts the deadline from now (performance.now()); returns that start. */
  restart(start = performance.now()): number {
    if (this.expired) return this.start;
    this.start = start;
    this.arm();
    return start;
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    this.clear();
    const left = this.start + this.ms - performance.now();
    if (left <= 0) return this.expire();
    // +1: setTimeout takes whole milliseconds and may round the wait down
    this.timer = setTimeout(() => this.arm(), Math.ceil(left) + 1);
  }

  private expire(): void {
    this.timer = undefined;
    this.controller.abort(new DOMException('the deadline passed', 'TimeoutError'));
    this.onExpire?.();
  }
}
