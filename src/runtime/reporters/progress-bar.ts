/**
 * Progress of a multi-user run (`--users N`): how many journey runs (journeys × users) are done,
 * passed and failed, and the time since the start. On a terminal it is one bar redrawn in place;
 * elsewhere (CI logs, a pod's log) plain lines: one per finished journey run and one every
 * HEARTBEAT_MS while nothing finishes. The formatters are pure; the reporter writes.
 */

export interface ProgressState {
  /** Journey runs in the run: journeys × users. */
  total: number;
  passed: number;
  /** Failed, timed out, skipped or interrupted. */
  failed: number;
  running: number;
  elapsedMs: number;
}

/** A plain line every this often while no journey run finishes (not on a terminal). */
export const HEARTBEAT_MS = 10_000;
/** The bar's elapsed time is redrawn this often on a terminal. */
export const REDRAW_MS = 1_000;

/** Erase the terminal's current line and return to its start. */
export const CLEAR_LINE = '\r\u001b[2K';

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function counts(s: ProgressState): string {
  return `${s.passed} passed, ${s.failed} failed, ${s.running} running`;
}

/** The terminal bar, without line control: `[██████░░░░] 3/5 journey runs · 3 passed, 0 failed, 1 running · 12.3 s`. */
export function formatBar(s: ProgressState, width = 20): string {
  const done = s.passed + s.failed;
  const filled = s.total > 0 ? Math.min(width, Math.round((done / s.total) * width)) : 0;
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${s.total} journey runs · ${counts(s)} · ${secs(s.elapsedMs)}`;
}

/** A plain progress line (no escape sequences, no carriage return), optionally after what just happened. */
export function formatProgressLine(s: ProgressState, event?: string): string {
  const done = s.passed + s.failed;
  return `${event ? `${event} — ` : ''}${done}/${s.total} journey runs done: ${counts(s)}, ${secs(s.elapsedMs)} elapsed`;
}

/** Draws progress on a stream: a bar in place on a terminal, plain lines otherwise. */
export class MultiUserProgress {
  private readonly state: ProgressState = { total: 0, passed: 0, failed: 0, running: 0, elapsedMs: 0 };
  private startedAt = Date.now();
  private lastLineAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private readonly tty: boolean;
  private readonly write: (text: string) => void;

  constructor(tty: boolean, write: (text: string) => void) {
    this.tty = tty;
    this.write = write;
  }

  begin(total: number, users: number): void {
    this.state.total = total;
    this.startedAt = Date.now();
    this.lastLineAt = this.startedAt;
    this.line(`${users} concurrent users, ${total} journey runs`);
    this.timer = setInterval(() => this.tick(), this.tty ? REDRAW_MS : 1000);
    this.timer.unref();
  }

  started(): void {
    this.state.running++;
    if (this.tty) this.draw();
  }

  /** A journey run ended: `what` says which (journey, user, outcome, reason). */
  ended(passed: boolean, what: string): void {
    this.state.running = Math.max(0, this.state.running - 1);
    if (passed) this.state.passed++;
    else this.state.failed++;
    if (this.tty) {
      if (!passed) this.line(what); // failures stay on screen above the bar
      else this.draw();
    } else {
      this.line(formatProgressLine(this.now(), what));
    }
  }

  /** An attempt ended that will be tried again: not done yet. */
  retrying(what: string): void {
    this.state.running = Math.max(0, this.state.running - 1);
    this.line(what);
  }

  /** Text from elsewhere (the journeys' own output): printed above the bar. */
  passThrough(text: string): void {
    if (!this.tty) return this.write(text);
    this.write(CLEAR_LINE);
    this.write(text.endsWith('\n') ? text : `${text}\n`);
    this.draw();
  }

  /** A whole line: above the bar on a terminal. */
  line(text: string): void {
    this.lastLineAt = Date.now();
    if (this.tty) {
      this.write(`${CLEAR_LINE}${text}\n`);
      this.draw();
    } else {
      this.write(`${text}\n`);
    }
  }

  end(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.tty) this.write(`${CLEAR_LINE}${formatBar(this.now())}\n`);
    else this.write(`${formatProgressLine(this.now(), 'finished')}\n`);
  }

  private now(): ProgressState {
    return { ...this.state, elapsedMs: Date.now() - this.startedAt };
  }

  private draw(): void {
    this.write(`${CLEAR_LINE}${formatBar(this.now())}`);
  }

  private tick(): void {
    if (this.tty) return this.draw();
    if (Date.now() - this.lastLineAt >= HEARTBEAT_MS) this.line(formatProgressLine(this.now()));
  }
}
