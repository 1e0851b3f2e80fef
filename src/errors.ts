import { readFileSync } from 'node:fs';

/**
 * Exit codes of perfpulse-journeys. Decided once (docs/decisions.md) because schedulers and
 * alert rules key on them; never renumber.
 */
export const ExitCode = {
  /** Every journey passed and its metrics reached the Pushgateway (or were printed by --dry-run). */
  ok: 0,
  /** At least one journey failed; its metrics were still delivered. */
  journeyFailed: 1,
  /** Bad input: unknown env, unreadable profile or credentials file, bad flag, missing tool. */
  badInput: 2,
  /** The journeys ran but their metrics could not be delivered to the Pushgateway (spooled, or lost and counted when the spool cannot be written). */
  notDelivered: 3,
  /** The run was stopped by SIGINT/SIGTERM before it finished. */
  aborted: 4,
  /** `metrics lint` found text that breaks the naming guide (one line per finding on stdout). */
  lintFindings: 5,
  /** `compare`: a step got significantly slower than the baseline, beyond --threshold. */
  regression: 6,
  /** `run --fail-on-budget`: a step, journey or page vital went over its fail budget; its metrics were still delivered. */
  overBudget: 7,
  /** `run --max-run-seconds`: the run watchdog ended an over-long run; what was measured was still delivered or spooled. */
  watchdog: 8,
  /** A bug in perfpulse-journeys itself (PERFPULSE_DEBUG=1 prints the stack). */
  internal: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An error that the user can fix. The CLI prints its message as one line on stderr (never a
 * stack trace) and exits with its code. Messages must not contain secrets.
 */
export class UserError extends Error {
  readonly exitCode: ExitCode;
  constructor(message: string, exitCode: ExitCode = ExitCode.badInput) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

/** The message of anything thrown, on one line. */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s+/g, ' ').trim();
}

/** Why a file cannot be read, for one line: "no such file", "a directory, not a file", or the code. */
export function unreadable(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a file' : code === 'EACCES' ? 'permission denied' : (code ?? 'error');
}

/**
 * The first line of a secret file (a Kubernetes Secret mount may end it with a newline or not).
 * A file that cannot be read, or whose first line is empty, is bad input naming the variable and
 * the file, never the content.
 */
export function firstLineOf(file: string, variable: string, what: string): string {
  let line: string;
  try {
    line = readFileSync(file, 'utf8').split(/\r?\n/)[0] ?? '';
  } catch (err) {
    throw new UserError(`cannot read ${variable} (${file}): ${unreadable(err)}`);
  }
  if (!line.trim()) throw new UserError(`${variable} (${file}) is empty: its first line must be ${what}`);
  return line;
}
