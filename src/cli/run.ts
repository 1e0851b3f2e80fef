/**
 * `perfpulse-journeys run`: config → journeys → results → metrics → push (or stdout) → summary.
 * Starts what the env profile needs (bundled replica, local Pushgateway) and stops it again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { credentialsFromEnv } from '../config/credentials.ts';
import { loadProfile, withReplicaOrigin } from '../config/profile.ts';
import { ExitCode, UserError } from '../errors.ts';
import { METRICS, USERSIM_JOB } from '../metrics/catalog.ts';
import { expositionFor } from '../metrics/exposition.ts';
import { deliverRun, type JourneyDelivery } from '../push/deliver.ts';
import { startLocalPushgateway } from '../push/local-gateway.ts';
import { redactUrl } from '../push/pushgateway.ts';
import { faultTable } from '../replica/faults.ts';
import { writeReport } from '../report/report.ts';
import { startReplica } from '../replica/server.ts';
import { DEMO_USER } from '../replica/users.ts';
import { browserVersion, expectedChromiumVersion, resolveBrowserPath, versionWarning } from '../runtime/browser.ts';
import { selectJourneys } from '../runtime/journeys.ts';
import { runJourneys } from '../runtime/launch.ts';
import type { RunResults } from '../runtime/results.ts';
import { summaryTable } from './summary.ts';

export interface RunFlags {
  env: string;
  journeys?: string;
  pushgateway?: string;
  dryRun?: boolean;
  browser?: string;
  replicaFault?: string[];
  output?: string;
  report?: string;
}

const info = (line: string) => process.stderr.write(`${line}\n`);

export async function runCommand(flags: RunFlags): Promise<ExitCode> {
  // 1. Validate everything before starting anything.
  const baseProfile = loadProfile(flags.env);
  const journeys = selectJourneys(flags.journeys);
  const faults = faultTable(flags.replicaFault ?? []);
  if (faults.size && !baseProfile.replica) throw new UserError(`--replica-fault needs an env with the bundled replica (env ${baseProfile.name} has none)`);
  const gatewayArg = flags.pushgateway ?? process.env.PERFPULSE_PUSHGATEWAY;
  if (gatewayArg !== undefined) checkGatewayUrl(gatewayArg);
  if (!flags.dryRun && !gatewayArg && !baseProfile.replica) {
    throw new UserError(`no Pushgateway for env ${baseProfile.name}: pass --pushgateway <url> or set PERFPULSE_PUSHGATEWAY (or use --dry-run)`);
  }
  const credentials = credentialsFromEnv(process.env, baseProfile.replica ? DEMO_USER : undefined);
  const browserPath = resolveBrowserPath(flags.browser ?? process.env.PERFPULSE_BROWSER);
  const warning = versionWarning(browserVersion(browserPath), expectedChromiumVersion());
  if (warning) info(`warning: ${warning}`);

  const cleanups: Array<() => Promise<void>> = [];
  const abort = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    info(`received ${sig}: stopping the journeys, then delivering what was measured`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const workDir = mkdtempSync(join(tmpdir(), 'perfpulse-run-'));
  try {
    // 2. Start what the profile needs.
    let profile = baseProfile;
    if (profile.replica) {
      const replica = await startReplica({ faults });
      cleanups.push(replica.stop);
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

    // 3. Run the journeys.
    info(`running ${journeys.join(', ')} on env ${profile.name}`);
    const results = await runJourneys({
      handoff: {
        profile,
        browserPath,
        resultsFile: join(workDir, 'results.json'),
        outputDir: resolve(flags.output ?? 'test-results'),
      },
      journeys,
      credentials,
      signal: abort.signal,
    });

    if (flags.report) info(`report: ${writeReport(resolve(flags.report), results).html}`);

    // 4. Metrics: stdout for --dry-run, else the gateway.
    const table = summaryTable(results, journeys);
    if (flags.dryRun) {
      process.stdout.write(await expositionFor(results.env, results.journeys));
      info(table);
      return exitCodeFor(results, journeys, [], abort.signal.aborted);
    }
    const deliveries = await deliverRun(results, gateway as string);
    process.stdout.write(`${table}\n\n${await deliveryReport(deliveries, gateway as string, results, localGateway)}\n`);
    return exitCodeFor(results, journeys, deliveries, abort.signal.aborted);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    for (const stop of cleanups.reverse()) await stop().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  }
}

function checkGatewayUrl(url: string): void {
  let ok = false;
  try {
    ok = ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    ok = false;
  }
  if (!ok) throw new UserError(`--pushgateway must be an http(s) URL (got ${JSON.stringify(redactUrl(url))})`);
}

/** Where the metrics went, and for a gateway we started, proof that it holds them. */
async function deliveryReport(deliveries: JourneyDelivery[], gateway: string, results: RunResults, local: boolean): Promise<string> {
  const where = redactUrl(gateway);
  const lines = deliveries.map((d) =>
    d.ok
      ? `pushed ${d.journey} to ${where}/metrics/job/${USERSIM_JOB}/env/${results.env}/journey/${d.journey}`
      : `NOT DELIVERED ${d.journey} to ${where}: ${d.message}`,
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
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${METRICS.stepDuration.name}{`) || !line.includes(`env="${env}"`)) continue;
    const journey = /journey="([^"]+)"/.exec(line)?.[1] ?? '?';
    counts.set(journey, (counts.get(journey) ?? 0) + 1);
  }
  if (!counts.size) return `no ${METRICS.stepDuration.name} series`;
  return [...counts].map(([j, n]) => `${n} ${METRICS.stepDuration.name} series for journey ${j}`).join(', ');
}

function exitCodeFor(results: RunResults, selected: string[], deliveries: JourneyDelivery[], aborted: boolean): ExitCode {
  if (aborted) return ExitCode.aborted;
  if (deliveries.some((d) => !d.ok)) return ExitCode.notDelivered;
  const allPassed = selected.every((name) => results.journeys.find((j) => j.journey === name)?.status === 'passed');
  return allPassed ? ExitCode.ok : ExitCode.journeyFailed;
}
