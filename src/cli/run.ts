/**
 * `perfpulse-journeys run`: config → journeys → results → metrics → push (or stdout) → summary →
 * probes. 1. check everything (./run-plan.ts); 2. start what the profile needs (./run-services.ts);
 * 3.–5. every iteration (./iteration.ts), as often as --count says (./loop.ts); then stop what was
 * started. SIGINT/SIGTERM stop the run, and what was measured is still delivered or spooled; so
 * does the run watchdog (--max-run-seconds), by the same path, with its own exit code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../errors.ts';
import { numberFlag } from './flags.ts';
import { runIteration, type Run } from './iteration.ts';
import { iterate } from './loop.ts';
import { iterationJson, type IterationRecord, type JsonContext } from './run-json.ts';
import { planRun, type RunFlags } from './run-plan.ts';
import { startServices } from './run-services.ts';
import { shardName } from './shard.ts';
import { listenForStop } from './signals.ts';

export type { RunFlags };

const info = (line: string) => process.stderr.write(`${line}\n`);

/** The one line the run watchdog says when it ends the run. */
export function watchdogLine(seconds: number, pausing: boolean): string {
  return pausing
    ? `the run watchdog ended the run after ${seconds} s (--max-run-seconds), between iterations; everything measured was delivered or spooled`
    : `the run watchdog ended the run after ${seconds} s (--max-run-seconds): stopping the journeys, then delivering what was measured`;
}

export async function runCommand(flags: RunFlags): Promise<ExitCode> {
  // 1. Validate everything before starting anything.
  const plan = await planRun(flags, info);
  const { loop, shard } = plan;
  const json: JsonContext = { env: plan.profile.name, journeys: plan.journeys, count: loop.count, shard: shard && shardName(shard), localGateway: false };
  if (plan.nothingToRun) {
    if (flags.json) process.stdout.write(iterationJson(json, { iteration: 1, startedAtMs: Date.now() }, ExitCode.ok));
    return ExitCode.ok;
  }

  const cleanups: Array<() => Promise<void>> = [];
  let pausing = false;
  const maxRunSeconds = flags.maxRunSeconds === undefined ? undefined : numberFlag('--max-run-seconds', flags.maxRunSeconds);
  const watchdog = maxRunSeconds === undefined ? undefined : { afterMs: maxRunSeconds * 1000, say: () => info(watchdogLine(maxRunSeconds, pausing)) };
  const stop = listenForStop((sig, again) => {
    if (again) info(`received ${sig} again: already stopping, delivering what was measured`);
    else if (pausing) info(`received ${sig} between iterations: stopping; everything measured was delivered or spooled`);
    else info(`received ${sig}: stopping the journeys, then delivering what was measured`);
  }, watchdog);
  const workDir = mkdtempSync(join(tmpdir(), 'perfpulse-run-'));
  try {
    // 2. Start what the profile needs.
    const services = await startServices(plan, cleanups, info);
    Object.assign(json, { gateway: services.gateway, localGateway: services.localGateway });
    // 3.-5. Per iteration: replay the spool, measure, deliver, summarize; pause; again.
    const run: Run = { plan, services, stop, workDir, looping: loop.count !== 1, info };
    const code = await iterate(loop, stop.signal, info, (now) => (pausing = now), async (n) => {
      const record: IterationRecord = { iteration: n, startedAtMs: Date.now() };
      const code = await runIteration(run, record);
      if (flags.json) process.stdout.write(iterationJson(json, record, code));
      return code;
    });
    // the watchdog ending the loop in its pause leaves the loop's "aborted": it was the watchdog
    return code === ExitCode.aborted && stop.by() === 'watchdog' ? ExitCode.watchdog : code;
  } finally {
    stop.dispose();
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  }
}
