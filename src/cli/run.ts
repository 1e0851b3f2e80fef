/**
 * `perfpulse-journeys run`: config → journeys → results → metrics → push (or stdout) → summary.
 * Starts what the env profile needs (bundled replica, local Pushgateway) and stops it again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join, resolve } from 'node:path';
import { credentialsFromEnv, type Credentials } from '../config/credentials.ts';
import { loadProfile, withReplicaOrigin, withSessionLaunch, type EnvProfile } from '../config/profile.ts';
import { ExitCode, UserError } from '../errors.ts';
import { healthBody, journeyBodies } from '../metrics/bodies.ts';
import { METRICS } from '../metrics/catalog.ts';
import { runExposition } from '../metrics/exposition.ts';
import { parseExposition, samplesOf } from '../metrics/parse.ts';
import { gatewayAccess } from '../push/access.ts';
import { DEFAULT_DELIVERY_BUDGET_MS, deliverHealth, deliverRun, type JourneyDelivery } from '../push/deliver.ts';
import type { GatewayAccess } from '../push/http.ts';
import { noJourneys, parseOnly, prepareRunProbes, runProbesInRun } from '../probes/in-run.ts';
import type { PreparedProbes, ProfileProbesResult } from '../probes/run-profile.ts';
import { startLocalPushgateway } from '../push/local-gateway.ts';
import { checkGatewayUrl, redactUrl } from '../push/pushgateway.ts';
import { replaySpool } from '../push/replay.ts';
import type { Spool } from '../push/spool.ts';
import { faultTable } from '../replica/faults.ts';
import { writeReport } from '../report/report.ts';
import { startReplica, type Replica } from '../replica/server.ts';
import { DEMO_USER } from '../replica/users.ts';
import { browserVersion, expectedChromiumVersion, resolveBrowserPath, versionWarning } from '../runtime/browser.ts';
import { selectJourneys } from '../runtime/journeys.ts';
import { runJourneys } from '../runtime/launch.ts';
import { everyUserPassed } from '../results/multi-user.ts';
import type { RunResults } from '../results/results.ts';
import { measuredRun } from '../results/run.ts';
import { browserOptionsFrom, type BrowserFlags } from './browser-flags.ts';
import type { BrowserOptions } from '../runtime/emulation.ts';
import { spoolFromFlags, type DeliveryFlags } from './commands/push.ts';
import { iterationLine, parseLoop, worstExit } from './loop.ts';
import { iterationJson, type IterationRecord, type JsonContext } from './run-json.ts';
import { resolveShard, shardJourneys, shardName, shardRunsProbes } from './shard.ts';
import { summaryTable } from './summary.ts';
import { parseUsers } from './users.ts';

/**
 * After SIGTERM/SIGINT, everything (stopping the journeys, delivering or spooling, stopping the
 * browser) must end within a Kubernetes-style grace period of 30 s: delivery ends by this long
 * after the signal.
 */
const SIGNAL_DELIVERY_DEADLINE_MS = 25_000;
/** Replay of an earlier run's spool before the journeys start (every iteration): bounded so the run is not held up. */
const STARTUP_REPLAY_BUDGET_MS = 15_000;

export interface RunFlags extends DeliveryFlags, BrowserFlags {
  env: string;
  journeys?: string;
  pushgateway?: string;
  dryRun?: boolean;
  browser?: string;
  replicaFault?: string[];
  output?: string;
  /** Let science_portal launch (and delete) a real session. */
  launchSessions?: boolean;
  only?: string;
  report?: string;
  /** `i/n`, 1-based (src/cli/shard.ts). */
  shard?: string;
  shardCount?: string;
  /** Iterations (-1 = until stopped) and the pause between them, seconds (src/cli/loop.ts). */
  count?: string;
  sleep?: string;
  /** One JSON document per iteration on stdout instead of the summary table. */
  json?: boolean;
  /** --users N (src/cli/users.ts) and --users-max-override. */
  users?: string;
  usersMaxOverride?: boolean;
}

const info = (line: string) => process.stderr.write(`${line}\n`);

export async function runCommand(flags: RunFlags): Promise<ExitCode> {
  // 1. Validate everything before starting anything.
  const loaded = loadProfile(flags.env);
  const baseProfile = flags.launchSessions ? withSessionLaunch(loaded) : loaded;
  const only = parseOnly(flags.only);
  const browserOptions = browserOptionsFrom(flags); // --retries --trace --headed --throttle --device
  if (flags.json && flags.dryRun) throw new UserError('--json and --dry-run do not go together: --dry-run prints the exposition text on stdout');
  const loop = parseLoop(flags);
  const shard = resolveShard(flags, process.env, info);
  const selected = only === 'probes' ? [] : selectJourneys(flags.journeys);
  const journeys = shard ? shardJourneys(selected, shard) : selected;
  const profileProbes = await prepareRunProbes(baseProfile, only);
  const probes = shardRunsProbes(shard) ? profileProbes : undefined;
  const users = parseUsers(flags.users, flags.usersMaxOverride);
  const faults = faultTable([...baseProfile.replicaFaults, ...(flags.replicaFault ?? [])]);
  if (faults.size && !baseProfile.replica) throw new UserError(`--replica-fault needs an env with the bundled replica (env ${baseProfile.name} has none)`);
  const gatewayArg = flags.pushgateway ?? process.env.PERFPULSE_PUSHGATEWAY;
  if (gatewayArg !== undefined) checkGatewayUrl(gatewayArg);
  if (!flags.dryRun && !gatewayArg && !baseProfile.replica) {
    throw new UserError(`no Pushgateway for env ${baseProfile.name}: pass --pushgateway <url> or set PERFPULSE_PUSHGATEWAY (or use --dry-run)`);
  }
  const credentials = credentialsFromEnv(process.env, baseProfile.replica ? DEMO_USER : undefined);
  const browserPath = !journeys.length ? '' : resolveBrowserPath(flags.browser ?? process.env.PERFPULSE_BROWSER);
  // Gateway credentials, TLS and the spool: checked now, used only with a gateway of the user's.
  const access: GatewayAccess | undefined = gatewayArg && !flags.dryRun ? gatewayAccess(gatewayArg, flags) : undefined;
  const spool: Spool | undefined = gatewayArg && !flags.dryRun ? spoolFromFlags(flags) : undefined;
  const warning = browserPath ? versionWarning(browserVersion(browserPath), expectedChromiumVersion()) : undefined;
  if (warning) info(`warning: ${warning}`);
  const json: JsonContext = { env: baseProfile.name, journeys, count: loop.count, shard: shard && shardName(shard), localGateway: false };
  if (shard) {
    const what = [journeys.length ? journeys.join(', ') : 'no journey', profileProbes ? (probes ? 'the probes' : 'no probes (shard 1 runs them)') : ''];
    info(`shard ${shardName(shard)}: ${what.filter(Boolean).join(' and ')}, of ${selected.length} selected journey${selected.length === 1 ? '' : 's'}`);
    if (!journeys.length && !probes) {
      info(`shard ${shardName(shard)}: nothing to run, exiting 0`);
      if (flags.json) process.stdout.write(iterationJson(json, { iteration: 1, startedAtMs: Date.now() }, ExitCode.ok));
      return ExitCode.ok;
    }
  }

  const cleanups: Array<() => Promise<void>> = [];
  const abort = new AbortController();
  let signalAt: number | undefined;
  let pausing = false;
  const onSignal = (sig: NodeJS.Signals) => {
    if (signalAt !== undefined) return info(`received ${sig} again: already stopping, delivering what was measured`);
    signalAt = Date.now();
    if (pausing) info(`received ${sig} between iterations: stopping; everything measured was delivered or spooled`);
    else info(`received ${sig}: stopping the journeys, then delivering what was measured`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const workDir = mkdtempSync(join(tmpdir(), 'perfpulse-run-'));
  try {
    // 2. Start what the profile needs.
    let profile = baseProfile;
    let replicaServes: Replica['serves'] | undefined;
    if (profile.replica) {
      const replica = await startReplica({ faults });
      cleanups.push(replica.stop);
      replicaServes = replica.serves;
      const unknown = [...faults.keys()].filter((k) => !replica.routeKeys.includes(k));
      if (unknown.length) throw new UserError(`--replica-fault names no replica route: ${unknown.join(', ')}`);
      profile = withReplicaOrigin(profile, replica.origin);
      info(`replica: serving the CADC portal on ${replica.origin}`);
    }
    let gateway = gatewayArg;
    let localGateway = false;
    if (!flags.dryRun && !gateway) {
      const gw = await startLocalPushgateway();
      cleanups.push(gw.stop);
      gateway = gw.url;
      localGateway = true;
      info(`pushgateway: started ${gw.url} (persistence off)`);
    }

    // 3.-5. Per iteration: replay the spool, measure, deliver, summarize; pause; again.
    const ctx: RunContext = { flags, profile, journeys, probes, credentials, browserPath, browserOptions, users, replicaServes, gateway, localGateway, access, spool, workDir, signal: abort.signal, signalAt: () => signalAt, looping: loop.count !== 1 };
    Object.assign(json, { gateway, localGateway });
    let worst: ExitCode | undefined;
    for (let n = 1; ; n++) {
      if (ctx.looping) info(iterationLine(n, loop.count));
      const record: IterationRecord = { iteration: n, startedAtMs: Date.now() };
      const code = await runIteration(ctx, record);
      if (flags.json) process.stdout.write(iterationJson(json, record, code));
      worst = worstExit(worst, code);
      if (abort.signal.aborted || n === loop.count) break;
      pausing = true;
      info(`iteration ${n} ended with exit code ${code}; next in ${loop.sleepMs / 1000} s`);
      await sleep(loop.sleepMs, undefined, { signal: abort.signal }).catch(() => undefined);
      pausing = false;
      if (abort.signal.aborted) {
        worst = worstExit(worst, ExitCode.aborted);
        break;
      }
    }
    if (ctx.looping) info(`loop ended: exit code ${worst} (the worst of its iterations)`);
    return worst;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    for (const stop of cleanups.reverse()) await stop().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** What one pass over the journeys needs: the validated flags and what set-up started. */
interface RunContext {
  flags: RunFlags;
  /** The env profile, pointing at the replica when one was started. */
  profile: EnvProfile;
  journeys: string[];
  probes: PreparedProbes | undefined;
  credentials: Credentials | undefined;
  browserPath: string;
  /** --retries --trace --headed --throttle --device, checked (src/cli/browser-flags.ts). */
  browserOptions: BrowserOptions;
  /** --users: concurrent virtual users (1 = a plain run). */
  users: number;
  /** With the bundled replica: which requests it serves (the probes skip the rest). */
  replicaServes: Replica['serves'] | undefined;
  /** The user's gateway or the local one; undefined for --dry-run. */
  gateway: string | undefined;
  localGateway: boolean;
  access: GatewayAccess | undefined;
  spool: Spool | undefined;
  workDir: string;
  signal: AbortSignal;
  /** When the first SIGINT/SIGTERM came, if one did. */
  signalAt: () => number | undefined;
  /** --count other than 1: the local gateway outlives one iteration. */
  looping: boolean;
}

/** One pass: replay → journeys → results → metrics → push (or stdout) → summary → probes; `record` gets what it produced. */
async function runIteration(ctx: RunContext, record: IterationRecord): Promise<ExitCode> {
  const { flags, profile, journeys, probes, credentials, browserPath, browserOptions, users, replicaServes, gateway, access, spool, workDir } = ctx;
  // 3. Deliver what earlier runs (or iterations) spooled, oldest first, before measuring anew.
  if (spool && gateway && !ctx.signal.aborted) {
    const r = await replaySpool(spool, gateway, { access, deadlineAt: Date.now() + STARTUP_REPLAY_BUDGET_MS, signal: ctx.signal, log: info });
    if (r.delivered || r.superseded || r.kept) info(`spool: ${r.delivered} delivered, ${r.superseded} already held, ${r.kept} still spooled`);
  }
  if (ctx.signal.aborted) return ExitCode.aborted; // stopped before measuring: nothing to deliver

  // 4. Run the journeys (none with --only probes).
  const resultsFile = join(workDir, `results-${record.iteration}.json`);
  if (journeys.length) info(`running ${journeys.join(', ')} on env ${profile.name}${users > 1 ? ` with ${users} concurrent users` : ''}`);
  let results: RunResults;
  try {
    results = !journeys.length ? noJourneys(profile.name) : await runJourneys({
      handoff: {
        profile,
        browserPath,
        resultsFile,
        outputDir: resolve(flags.output ?? 'test-results'),
        browserOptions,
        ...(users > 1 ? { users, progressTty: process.stderr.isTTY === true } : {}),
      },
      journeys,
      credentials,
      signal: ctx.signal,
    });
  } catch (err) {
    if (!ctx.signal.aborted) throw err;
    info('aborted before any journey reported: nothing was measured, nothing to deliver');
    return ExitCode.aborted;
  }
  record.results = results;
  rmSync(resultsFile, { force: true });

  if (flags.report && journeys.length) info(`report: ${writeReport(resolve(flags.report), results).html}`);

  // 5. Metrics: stdout for --dry-run, else the gateway (what fails goes to the spool).
  const table = summaryTable(results, journeys);
  const measured = measuredRun(results);
  const probeRun = { profile, prepared: probes, credentials, replicaServes, signal: ctx.signal, json: flags.json ? (r: ProfileProbesResult) => (record.probes = r) : undefined };
  if (flags.dryRun) {
    if (journeys.length) process.stdout.write(await runExposition(measured)); // the bytes the run groups would get
    if (journeys.length) info(table);
    return await runProbesInRun({ ...probeRun, code: exitCodeFor(results, journeys, [], ctx.signal.aborted) });
  }
  const signalAt = ctx.signalAt();
  const deadlineAt = Math.min(Date.now() + DEFAULT_DELIVERY_BUDGET_MS, signalAt === undefined ? Infinity : signalAt + SIGNAL_DELIVERY_DEADLINE_MS);
  const deliveries = await deliverRun(await journeyBodies(measured), gateway as string, { access, spool, deadlineAt, log: info });
  record.deliveries = deliveries;
  if (spool && deliveries.some((d) => d.ok)) {
    const health = await healthBody(results.env, spool.health(results.env));
    await deliverHealth(gateway as string, [health], { access, deadlineAt: Math.max(deadlineAt, Date.now() + 1000), log: info });
  }
  if (journeys.length) {
    const held = ctx.localGateway ? await heldSeries(gateway as string, results.env).catch((err: Error) => err) : undefined;
    if (held instanceof Map) record.held = held;
    const report = `${table}\n\n${deliveryReport(deliveries, gateway as string, held, ctx.looping)}`;
    if (flags.json) info(report);
    else process.stdout.write(`${report}\n`);
  }
  return await runProbesInRun({ ...probeRun, gateway, delivery: { access, spool, log: info }, code: exitCodeFor(results, journeys, deliveries, ctx.signal.aborted) });
}

/** Where the metrics went, and for a gateway we started, proof that it holds them. */
function deliveryReport(deliveries: JourneyDelivery[], gateway: string, held: Map<string, number> | Error | undefined, looping: boolean): string {
  const where = redactUrl(gateway);
  const lines = deliveries.map((d) =>
    d.ok
      ? `pushed ${d.journey} to ${d.url}`
      : `NOT DELIVERED ${d.journey} to ${where}: ${d.message}${d.spooled ? '; spooled for `perfpulse-journeys push --replay`' : ''}`,
  );
  if (held) lines.push(`the local Pushgateway (${looping ? 'stopped when the loop ends' : 'stopped now'}) held: ${heldText(held)}`);
  return lines.join('\n');
}

/** Counts the step-duration series the gateway exposes for this env, per journey. */
async function heldSeries(gateway: string, env: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${gateway}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  const counts = new Map<string, number>();
  for (const s of samplesOf(parseExposition(text), METRICS.stepDuration.name)) {
    if (s.labels.env !== env) continue;
    const journey = s.labels.journey ?? '?';
    counts.set(journey, (counts.get(journey) ?? 0) + 1);
  }
  return counts;
}

function heldText(held: Map<string, number> | Error): string {
  if (held instanceof Error) return `could not read back: ${held.message}`;
  if (!held.size) return `no ${METRICS.stepDuration.name} series`;
  return [...held].map(([j, n]) => `${n} ${METRICS.stepDuration.name} series for journey ${j}`).join(', ');
}

function exitCodeFor(results: RunResults, selected: string[], deliveries: JourneyDelivery[], aborted: boolean): ExitCode {
  if (aborted) return ExitCode.aborted;
  if (deliveries.some((d) => !d.ok)) return ExitCode.notDelivered;
  const allPassed = selected.every((name) => everyUserPassed(results.journeys.filter((j) => j.journey === name), results.users));
  return allPassed ? ExitCode.ok : ExitCode.journeyFailed;
}
