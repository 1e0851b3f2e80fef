/**
 * `--shard i/n` and `--shard-count n`: a campaign split over several processes (an Indexed Job's
 * pods) so that every selected journey is measured by exactly one shard, and the Pushgateway
 * groups {env, journey} of the shards never collide.
 *
 * Shards are numbered from 1, as Playwright's `--shard`; an Indexed Job's JOB_COMPLETION_INDEX
 * counts from 0, so without --shard the shard is JOB_COMPLETION_INDEX + 1 of
 * --shard-count (else PERFPULSE_SHARD_COUNT). The selected journeys are sorted by name and dealt
 * round-robin: the k-th (0-based) goes to shard (k mod n) + 1. Every pod computes the same split
 * from the same arguments, whatever order --journeys lists them in.
 */
import { UserError } from '../errors.ts';
import { MAX_SHARDS } from './flags.ts';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export const shardName = (s: Shard) => `${s.index}/${s.count}`;

function shardCount(value: string, what: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_SHARDS) throw new UserError(`${what} must be a whole number from 1 to ${MAX_SHARDS} (got ${JSON.stringify(value)})`);
  return n;
}

/** `i/n` with 1 ≤ i ≤ n. */
export function parseShardSpec(spec: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(spec);
  if (!m) throw new UserError(`--shard must be i/n, e.g. 1/4 (shards count from 1; got ${JSON.stringify(spec)})`);
  const count = shardCount(m[2] as string, `--shard ${spec.trim()}: n`);
  const index = Number(m[1]);
  if (index < 1 || index > count) throw new UserError(`--shard ${spec}: i must be from 1 to ${count} (shards count from 1)`);
  return { index, count };
}

/**
 * The shard this process runs, or undefined for all journeys. --shard wins; else an Indexed Job's
 * JOB_COMPLETION_INDEX with --shard-count or PERFPULSE_SHARD_COUNT. Half a setting from the
 * environment is ignored with a note; half a setting from flags is bad input.
 */
export function resolveShard(
  flags: { shard?: string; shardCount?: string },
  env: NodeJS.ProcessEnv,
  note: (line: string) => void,
): Shard | undefined {
  if (flags.shard !== undefined) {
    if (flags.shardCount !== undefined) throw new UserError('--shard i/n and --shard-count n do not go together: --shard already names the count');
    return parseShardSpec(flags.shard);
  }
  const index = env.JOB_COMPLETION_INDEX?.trim() || undefined;
  const countFrom = flags.shardCount !== undefined ? '--shard-count' : env.PERFPULSE_SHARD_COUNT?.trim() ? 'PERFPULSE_SHARD_COUNT' : undefined;
  const countValue = flags.shardCount ?? env.PERFPULSE_SHARD_COUNT?.trim();
  if (!countFrom || countValue === undefined) {
    if (index !== undefined) note(`note: JOB_COMPLETION_INDEX=${index} ignored: no --shard-count or PERFPULSE_SHARD_COUNT says how many shards; running every selected journey`);
    return undefined;
  }
  const count = shardCount(countValue, countFrom);
  if (index === undefined) {
    if (countFrom === '--shard-count') throw new UserError('--shard-count needs JOB_COMPLETION_INDEX (set in each pod of an Indexed Job); elsewhere use --shard i/n');
    note(`note: PERFPULSE_SHARD_COUNT=${count} ignored: no JOB_COMPLETION_INDEX (not an Indexed Job pod); running every selected journey`);
    return undefined;
  }
  const i = /^\d+$/.test(index) ? Number(index) : NaN;
  if (!Number.isInteger(i) || i >= count) throw new UserError(`JOB_COMPLETION_INDEX must be a whole number from 0 to ${count - 1} with ${count} shards (got ${JSON.stringify(index)})`);
  return { index: i + 1, count };
}

/** The journeys of `selected` that shard `s` runs (dealt round-robin by name), in the order selected. */
export function shardJourneys(selected: readonly string[], s: Shard): string[] {
  const mine = new Set([...selected].sort().filter((_, k) => k % s.count === s.index - 1));
  return selected.filter((j) => mine.has(j));
}

/** The env profile's probes push to one group per env (or cluster): only shard 1 runs them. */
export const shardRunsProbes = (s: Shard | undefined) => !s || s.index === 1;
