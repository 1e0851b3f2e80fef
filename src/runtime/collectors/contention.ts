/**
 * Contention indicator: how busy the machine was while a journey ran, so that a slow step on an
 * oversubscribed runner is not mistaken for a slow portal. The 1-minute load average per CPU at the
 * end, and the time the runner's cgroup was CPU-throttled during the journey (cgroup v2
 * `cpu.stat` throttled_usec, or v1 `cpu.stat` throttled_time) where readable; otherwise absent.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import type { JourneyMeasurements } from '../../results/results.ts';
import type { Collector } from './types.ts';

const CPU_STAT_FILES: Array<[string, string, number]> = [
  ['/sys/fs/cgroup/cpu.stat', 'throttled_usec', 1e-6],
  ['/sys/fs/cgroup/cpu/cpu.stat', 'throttled_time', 1e-9],
  ['/sys/fs/cgroup/cpu,cpuacct/cpu.stat', 'throttled_time', 1e-9],
];

/** Seconds the cgroup has been throttled so far, or undefined when no cpu.stat is readable. */
export function throttledSeconds(files = CPU_STAT_FILES): number | undefined {
  for (const [file, key, scale] of files) {
    try {
      const m = new RegExp(`^${key} (\\d+)$`, 'm').exec(readFileSync(file, 'utf8'));
      if (m) return Number(m[1]) * scale;
    } catch {
      // not readable here: try the next layout
    }
  }
  return undefined;
}

export class ContentionCollector implements Collector {
  readonly name = 'contention';
  private throttledAtStart: number | undefined;

  async setup(): Promise<void> {
    this.throttledAtStart = throttledSeconds();
  }

  async finish(): Promise<JourneyMeasurements> {
    const out: JourneyMeasurements = { loadPerCpu: (loadavg()[0] ?? 0) / availableParallelism() };
    const now = throttledSeconds();
    if (now !== undefined && this.throttledAtStart !== undefined) out.cpuThrottledSeconds = Math.max(0, now - this.throttledAtStart);
    return out;
  }
}
