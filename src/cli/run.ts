/**
 * `perfpulse-journeys run`: config → journeys → results → metrics → push (or stdout) → summary.
 * Starts what the env profile needs (bundled replica, local Pushgateway) and stops it again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { credentialsFromEnv } from '../config/credentials.ts';
import { loadProfile, withReplicaOrigin, withSessionLaunch } from '../config/profile.ts';
import { ExitCode, UserError } from '../errors.ts';
import { METRICS, USERSIM_JOB } from '../metrics/catalog.ts';
import { expositionFor } from '../metrics/exposition.ts';
import { parseExposition, samplesOf } from '../metrics/parse.ts';
import { gatewayAccess } from '../push/access.ts';
import { DEFAULT_DELIVERY_BUDGET_MS, deliverHealth, deliverRun, type JourneyDelivery } from '../push/deliver.ts';
import type { GatewayAccess } from '../push/http.ts';
import { noJourneys, parseOnly, prepareRunProbes, runProbesInRun } from '../probes/in-run.ts';
import { startLocalPushgateway } from '../push/local-gateway.ts';
import { checkGatewayUrl, groupUrl, redactUrl } from '../push/pushgateway.ts';
import { replaySpool } from '../push/replay.ts';
import type { Spool } from '../push/spool.ts';
import { faultTable } from '../replica/faults.ts';
import { writeReport } from '../report/report.ts';
import { startReplica } from '../replica/server.ts';
import { DEMO_USER } from '../replica/users.ts';
import { browserVersion, expectedChromiumVersion, resolveBrowserPath, versionWarning } from '../runtime/browser.ts';
import { selectJourneys } from '../runtime/journeys.ts';
import { runJourneys } from '../runtime/launch.ts';
import { everyUserPassed } from '../runtime/multi-user.ts';
import type { RunResults } from '../runtime/results.ts';
import { spoolFromFlags, type DeliveryFlags } from './commands/push.ts';
import { summaryTable } from './summary.ts';
import { parseUsers } from './users.ts';

/**
 * After SIGTERM/SIGINT, everything (stopping the journeys, delivering or spooling, stopping the
 * browser) must end within a Kubernetes-style grace period of 30 s: delivery ends by this long
 * after the signal.
 */
const SIGNAL_DELIVERY_DEADLINE_MS = 25_000;
/** Replay of an earlier run's spool before the journeys start: bounded so the run is not held up. */
const STARTUP_REPLAY_BUDGET_MS = 15_000;

export interface RunFlags extends DeliveryFlags {
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
  const journeys = only === 'probes' ? [] : selectJourneys(flags.journeys);
  const users = parseUsers(flags.users, flags.usersMaxOverride);
  const probes = await prepareRunProbes(baseProfile, only);
  const faults = faultTable([...baseProfile.replicaFaults, ...(flags.replicaFault ?? [])]);
  if (faults.size && !baseProfile.replica) throw new UserError(`--replica-fault needs an env with the bundled replica (env ${baseProfile.name} has none)`);
  const gatewayArg = flags.pushgateway ?? process.env.PERFPULSE_PUSHGATEWAY;
  if (gatewayArg !== undefined) checkGatewayUrl(gatewayArg);
  if (!flags.dryRun && !gatewayArg && !baseProfile.replica) {
    throw new UserError(`no Pushgateway for env ${baseProfile.name}: pass --pushgateway <url> or set PERFPULSE_PUSHGATEWAY (or use --dry-run)`);
  }
  const credentials = credentialsFromEnv(process.env, baseProfile.replica ? DEMO_USER : undefined);
  const browserPath = only === 'probes' ? '' : resolveBrowserPath(flags.browser ?? process.env.PERFPULSE_BROWSER);
  // Gateway credentials, TLS and the spool: checked now, used only with a gateway of the user's.
  const access: GatewayAccess | undefined = gatewayArg && !flags.dryRun ? gatewayAccess(gatewayArg, flags) : undefined;
  const spool: Spool | undefined = gatewayArg && !flags.dryRun ? spoolFromFlags(flags) : undefined;
  const warning = browserPath ? versionWarning(browserVersion(browserPath), expectedChromiumVersion()) : undefined;
  if (warning) info(`warning: ${warning}`);

  const cleanups: Array<() => Promise<void>> = [];
  const abort = new AbortController();
  let signalAt: number | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    if (signalAt !== undefined) return info(`received ${sig} again: already stopping, delivering what was measured`);
    signalAt = Date.now();
    info(`received ${sig}: stopping the journeys, then delivering what was measured`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const workDir = mkdtempSync(join(tmpdir(), 'perfpulse-run-'));
  try {
    // 2. Start what the profile needs.
    let profile = baseProfile;
    let replicaRouteKeys: string[] | undefined;
    if (profile.replica) {
      const replica = await startReplica({ faults });
      cleanups.push(replica.stop);
      replicaRouteKeys = replica.routeKeys;
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

    // 3. Deliver what earlier runs spooled, oldest first, before measuring anew.
    if (spool && gateway && !abort.signal.aborted) {
      const r = await replaySpool(spool, gateway, { access, deadlineAt: Date.now() + STARTUP_REPLAY_BUDGET_MS, signal: abort.signal, log: info });
      if (r.delivered || r.superseded || r.kept) info(`spool: ${r.delivered} delivered, ${r.superseded} already held, ${r.kept} still spooled`);
    }

    // 4. Run the journeys (none with --only probes).
    if (journeys.length) info(`running ${journeys.join(', ')} on env ${profile.name}${users > 1 ? ` with ${users} concurrent users` : ''}`);
    let results: RunResults;
    try {
      results = !journeys.length ? noJourneys(profile.name) : await runJourneys({
        handoff: {
          profile,
          browserPath,
          resultsFile: join(workDir, 'results.json'),
          outputDir: resolve(flags.output ?? 'test-results'),
          ...(users > 1 ? { users, progressTty: process.stderr.isTTY === true } : {}),
        },
        journeys,
        credentials,
        signal: abort.signal,
      });
    } catch (err) {
      if (!abort.signal.aborted) throw err;
      info('aborted before any journey reported: nothing was measured, nothing to deliver');
      return ExitCode.aborted;
    }

    if (flags.report && journeys.length) info(`report: ${writeReport(resolve(flags.report), results).html}`);

    // 5. Metrics: stdout for --dry-run, else the gateway (what fails goes to the spool).
    const table = summaryTable(results, journeys);
    const probeRun = { profile, prepared: probes, credentials, replicaRouteKeys, signal: abort.signal };
    if (flags.dryRun) {
      if (journeys.length) process.stdout.write(await expositionFor(results.env, results.journeys));
      if (journeys.length) info(table);
      return await runProbesInRun({ ...probeRun, code: exitCodeFor(results, journeys, [], abort.signal.aborted) });
    }
    const deadlineAt = Math.min(Date.now() + DEFAULT_DELIVERY_BUDGET_MS, signalAt === undefined ? Infinity : signalAt + SIGNAL_DELIVERY_DEADLINE_MS);
    const deliveries = await deliverRun(results, gateway as string, { access, spool, deadlineAt, log: info });
    if (spool && deliveries.some((d) => d.ok)) {
      await deliverHealth(gateway as string, [results.env], spool, { access, deadlineAt: Math.max(deadlineAt, Date.now() + 1000), log: info });
    }
    if (journeys.length) process.stdout.write(`${table}\n\n${await deliveryReport(deliveries, gateway as string, results, localGateway)}\n`);
    return await runProbesInRun({ ...probeRun, gateway, delivery: { access, spool, log: info }, code: exitCodeFor(results, journeys, deliveries, abort.signal.aborted) });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    for (const stop of cleanups.reverse()) await stop().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Where the metrics went, and for a gateway we started, proof that it holds them. */
async function deliveryReport(deliveries: JourneyDelivery[], gateway: string, results: RunResults, local: boolean): Promise<string> {
  const where = redactUrl(gateway);
  const lines = deliveries.map((d) =>
    d.ok
      ? `pushed ${d.journey} to ${groupUrl(gateway, USERSIM_JOB, { env: results.env, journey: d.journey })}`
      : `NOT DELIVERED ${d.journey} to ${where}: ${d.message}${d.spooled ? '; spooled for `perfpulse-journeys push --replay`' : ''}`,
  );
  if (local) {
    const held = await heldSeries(gateway, results.env).catch((err: Error) => `could not read back: ${err.message}`);
    lines.push(`the local Pushgateway (stopped now) held: ${held}`);
  }
  return lines.join('\n');
}

/** Counts the step-duration series the gateway exposes for this env, per journey. */
async function heldSeries(gateway: string, env: string): Promise<string> {
  const text = await (await fetch(`${gateway}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  const counts = new Map<string, number>();
  for (const s of samplesOf(parseExposition(text), METRICS.stepDuration.name)) {
    if (s.labels.env !== env) continue;
    const journey = s.labels.journey ?? '?';
    counts.set(journey, (counts.get(journey) ?? 0) + 1);
  }
  if (!counts.size) return `no ${METRICS.stepDuration.name} series`;
  return [...counts].map(([j, n]) => `${n} ${METRICS.stepDuration.name} series for journey ${j}`).join(', ');
}

function exitCodeFor(results: RunResults, selected: string[], deliveries: JourneyDelivery[], aborted: boolean): ExitCode {
  if (aborted) return ExitCode.aborted;
  if (deliveries.some((d) => !d.ok)) return ExitCode.notDelivered;
  const allPassed = selected.every((name) => everyUserPassed(results.journeys.filter((j) => j.journey === name), results.users));
  return allPassed ? ExitCode.ok : ExitCode.journeyFailed;
}
