/**
 * The front ends' sources: `<sources>/<name>` is a git work tree of each front end's repository.
 * What docs/conformance.md says about each comes from git itself, read-only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface CloneState {
  dir: string;
  /** `git rev-parse HEAD` (40 hex digits). */
  commit: string;
  /** A tracked file differs from HEAD (`git status --porcelain --untracked-files=no`); untracked files such as a build do not count. */
  dirty: boolean;
  /** `git rev-parse origin/HEAD` when the clone has one: the remote's default branch as last fetched. */
  originHead?: string;
  /** `git remote get-url origin`, when set. */
  remote?: string;
}

/** Why `<sources>/<name>` is not a clone (one line), or its state. */
export function readClone(sources: string, name: string): CloneState | { missing: string } {
  const dir = join(sources, name);
  if (!existsSync(dir)) return { missing: `no clone at ${dir}` };
  if (!statSync(dir).isDirectory()) return { missing: `${dir} is not a directory` };
  const top = git(dir, ['rev-parse', '--show-toplevel']);
  if (top === undefined || realpathSync(top) !== realpathSync(dir)) return { missing: `${dir} is not the top of a git work tree` };
  const commit = git(dir, ['rev-parse', '--verify', 'HEAD']);
  if (!commit) return { missing: `${dir} has no commit (git rev-parse HEAD failed)` };
  const status = git(dir, ['status', '--porcelain', '--untracked-files=no']);
  const originHead = git(dir, ['rev-parse', '--verify', '--quiet', 'origin/HEAD']) || undefined;
  const remote = git(dir, ['remote', 'get-url', 'origin']) || undefined;
  return { dir, commit, dirty: status === undefined || status.length > 0, ...(originHead ? { originHead } : {}), ...(remote ? { remote } : {}) };
}

/** stdout of `git -C dir <args>`, trimmed; undefined when git fails. */
function git(dir: string, args: string[]): string | undefined {
  const r = spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
  if (r.status !== 0) return undefined;
  return r.stdout.trim();
}
