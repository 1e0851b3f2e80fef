/**
 * What every config schema (zod 4) is built from, and how its first problem becomes the one line
 * the user reads: `<file>: <path>: <what is wrong>` (exit 2, src/errors.ts UserError).
 *
 * - `strict(shape)`: an object that refuses unknown keys, naming the nearest valid one
 *   (`probe: unknown key; did you mean probes?`), else listing the valid ones.
 * - `schemaProblem(error)`: the one line for a failed safeParse (unknown keys first, since a
 *   misspelled key also makes the key it meant "missing"; inside a union, the branch that matched
 *   the value's type).
 */
import { z } from 'zod';

/** Levenshtein distance (insertions, deletions, substitutions). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length] as number;
}

/**
 * The valid key a mistyped `key` most likely meant, or undefined when none is close: one that
 * starts with it or it starts with (`timeout` → `timeout_seconds`), else one within a third of its
 * length in edits (at least 1), case ignored.
 */
export function nearestKey(key: string, valid: readonly string[]): string | undefined {
  const k = key.toLowerCase().replace(/-/g, '_');
  const prefix = valid.filter((v) => v.startsWith(k) || k.startsWith(v)).sort((a, b) => Math.abs(a.length - k.length) - Math.abs(b.length - k.length));
  if (k.length >= 3 && prefix[0]) return prefix[0];
  const scored = valid.map((v) => [v, distance(k, v)] as const).sort((a, b) => a[1] - b[1]);
  const best = scored[0];
  return best && best[1] <= Math.max(1, Math.floor(k.length / 3)) ? best[0] : undefined;
}

/** `unknown key; did you mean probes?`, else the valid keys. */
export function unknownKeyMessage(keys: readonly string[], valid: readonly string[]): string {
  const near = nearestKey(keys[0] as string, valid);
  const hint = near ? `did you mean ${near}?` : valid.length ? `valid keys here: ${valid.join(', ')}` : 'nothing may be set here';
  return `unknown key; ${hint}${keys.length > 1 ? ` (also unknown: ${keys.slice(1).join(', ')})` : ''}`;
}

/** An object schema that refuses keys it does not know (at its own level; nest `strict` for more). */
export function strict<T extends z.ZodRawShape>(shape: T, what?: string) {
  const valid = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code === 'unrecognized_keys') return unknownKeyMessage(iss.keys, valid);
      if (iss.code === 'invalid_type') return iss.input === undefined ? 'missing' : `must be ${what ?? `a mapping with ${valid.join(', ')}`} (got ${describeValue(iss.input)})`;
      return undefined;
    },
  });
}

/** A short, safe picture of a value for a message: its type, and a short scalar as it is. */
export function describeValue(v: unknown): string {
  if (v === null) return 'nothing (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return v.length <= 60 ? JSON.stringify(v) : 'a long string';
  return String(v);
}

/** `journeys.search.timeout`, `replica_faults[1]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${String(p)}` : String(p)), '');
}

type Issue = z.core.$ZodIssue;

/** The issue to report: within a union, the branch that got past the value's type. */
function innermost(issue: Issue): Issue {
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return issue;
  // a branch whose only complaint is the value's own type or value did not match it at all
  const typed = issue.errors.filter((branch) => !branch.every((i) => (i.code === 'invalid_type' || i.code === 'invalid_value') && i.path.length === 0));
  const branch = typed.length === 1 ? (typed[0] as Issue[]) : undefined;
  if (!branch?.length) return issue;
  const inner = innermost(pick(branch));
  return { ...inner, path: [...issue.path, ...inner.path] } as Issue;
}

function pick(issues: readonly Issue[]): Issue {
  return issues.find((i) => i.code === 'unrecognized_keys') ?? (issues[0] as Issue);
}

/** The one line (without the file) for a failed parse: `<path>: <message>`, or the message at the root. */
export function schemaProblem(error: z.ZodError): string {
  const issue = innermost(pick(error.issues));
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] as string] : issue.path;
  const message = issue.message.replace(/\s+/g, ' ').trim();
  const where = formatPath(path);
  return where ? `${where}: ${message}` : message;
}
