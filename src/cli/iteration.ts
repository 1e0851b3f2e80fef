/**
 * `perfpulse-journeys run`, steps 3 to 5, once per iteration: replay what earlier runs spooled →
 * the journeys (src/runtime) → their results (src/results) → the report → the metrics
 * (src/metrics) → delivery (src/push) or, with --dry-run, stdout → the summary → the probes the
 * plan has (./probe-runs.ts). It fills in the iteration's record (--json) and gives its exit code.
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ExitCode, UserError, oneLine } from '../errors.ts';
import { healthBody, journeyBodies } from '../metrics/bodies.ts';
import { runExposition } from '../metrics/exposition.ts';
import { DEFAULT_DELIVERY_BUDGET_MS, deliverHealth, deliverRun, type JourneyDelivery } from '../push/deliver.ts';
import { replaySpool } from '../push/replay.ts';
import { gatewaySink, stdoutSink } from '../push/sink.ts';
import { writeJunit } from '../report/junit.ts';
import { writeReport } from '../report/report.ts';
import { everyUserPassed } from '../results/multi-user.ts';
import type { RunResults } from '../results/results.ts';
import { measuredRun, type RunBudgets } from '../results/run.ts';
import { runJourneys } from '../runtime/runner/launch.ts';
import { budgetVerdicts, junitBudget, overBudget } from './budgets.ts';
import { withDeclaredSteps } from './declared-steps.ts';
import { evidencePaths, evidenceRoot, writeEvidenceFolders } from './evidence.ts';
import { deliveryReport, heldSeries } from './delivery-report.ts';
import { planDelivered } from './probe-runs.ts';
import type { IterationRecord } from './run-json.ts';
import type { RunPlan } from './run-plan.ts';
import type { RunServices } from './run-services.ts';
import type { Stop } from './signals.ts';
import { summaryTable } from './summary.ts';

/**
 * After SIGTERM/SIGINT, everything (stopping the journeys, delivering or spooling, stopping the
 * browser) must end within a Kubernetes-style grace period of 30 s: delivery ends by this long
 * after the signal.
 */
const SIGNAL_DELIVERY_DEADLINE_MS = 25_000;
/** Replay of an earlier run's spool before the journeys start (every iteration): bounded so the run is not held up. */
const STARTUP_REPLAY_BUDGET_MS = 15_000;

/** What every iteration of one run shares. */
export interface Run {
  plan: RunPlan;
  services: RunServices;
  stop: Stop;
  /** This run's private temp dir (results files, the saved login). */
  workDir: string;
  /** --count other than 1: the local gateway outlives one iteration. */
  looping: boolean;
  info: (line: string) => void;
}

export async function runIteration(run: Run, record: IterationRecord): Promise<ExitCode> {
  const { plan, services, stop, info } = run;
  await replaySpooled(run);
  if (stop.signal.aborted) return stoppedExit(stop); // stopped before measuring: nothing to deliver

  const results = await runTheJourneys(run, record.iteration);
  if (!results) return stoppedExit(stop);
  record.results = results;
  const budgets = budgetVerdicts(results, plan.budgets); // checked in --dry-run too
  if (budgets) record.budgets = budgets.checks;
  const evidence = evidencePaths(evidenceRoot(plan.flags.output), results); // a folder per failed journey, linked from the report
  if (plan.flags.report && plan.journeys.length) info(`report: ${writeReport(resolve(plan.flags.report), results, budgets?.checks, evidence).html}`);
  if (plan.flags.junit && plan.journeys.length) info(`junit: ${writeJunit(resolve(plan.flags.junit), results, junitBudget(budgets, plan.flags.failOnBudget === true))}`);

  if (plan.flags.dryRun) {
    if (plan.journeys.length) process.stdout.write(await runExposition(measuredRun(results, budgets))); // the bytes the run groups would get
    if (plan.journeys.length) info(summaryTable(results, plan.journeys, budgets?.checks));
    for (const dir of writeEvidenceFolders(evidence, results.env, { printed: await journeyBodies(measuredRun(results, budgets)) })) info(`evidence: ${dir}`);
    return await runTheProbes(run, record, journeysExit(run, results, [], budgets));
  }
  const deliveries = await deliverJourneys(run, results, record, budgets);
  for (const dir of writeEvidenceFolders(evidence, results.env, { deliveries })) info(`evidence: ${dir}`);
  return await runTheProbes(run, record, journeysExit(run, results, deliveries, budgets), services.gateway);
}

/** 3. Deliver what earlier runs (or iterations) spooled, oldest first, before measuring anew. */
async function replaySpooled({ plan, services, stop, info }: Run): Promise<void> {
  if (!plan.spool || !services.gateway || stop.signal.aborted) return;
  let r: Awaited<ReturnType<typeof replaySpool>>;
  try {
    r = await replaySpool(plan.spool, services.gateway, { access: plan.access, deadlineAt: Date.now() + STARTUP_REPLAY_BUDGET_MS, signal: stop.signal, log: info });
  } catch (err) {
    // an unusable spool never stops the measuring: what cannot be delivered later is said and counted as lost
    if (!(err instanceof UserError)) throw err;
    info(`spool: nothing replayed: ${oneLine(err)}`);
    return;
  }
  if (r.delivered || r.superseded || r.kept) info(`spool: ${r.delivered} delivered, ${r.superseded} already held, ${r.kept} still spooled`);
}

/** 4. The journeys (none with --only probes); undefined when a signal stopped them before any reported. */
async function runTheJourneys({ plan, services, stop, workDir, info }: Run, iteration: number): Promise<RunResults | undefined> {
  const { journeys, users } = plan;
  const profile = services.profile;
  if (!journeys.length) return noJourneys(profile.name);
  const resultsFile = join(workDir, `results-${iteration}.json`);
  info(`running ${journeys.join(', ')} on env ${profile.name}${users > 1 ? ` with ${users} concurrent users` : ''}`);
  try {
    const results = await runJourneys({
      handoff: {
        profile,
        browserPath: plan.browserPath,
        resultsFile,
        outputDir: resolve(plan.flags.output ?? 'test-results'),
        browserOptions: plan.browserOptions,
        ...(plan.hostResolverRules ? { hostResolverRules: plan.hostResolverRules } : {}),
        ...(plan.journeysDir ? { journeysDir: plan.journeysDir } : {}),
        ...(users > 1 ? { users, progressTty: process.stderr.isTTY === true } : {}),
      },
      journeys,
      credentials: plan.credentials,
      signal: stop.signal,
    });
    return await withDeclaredSteps(results, profile, plan.journeysDir); // so the verdicts can tell the steps never reached
  } catch (err) {
    if (!stop.signal.aborted) throw err;
    info('aborted before any journey reported: nothing was measured, nothing to deliver');
    return undefined;
  } finally {
    rmSync(resultsFile, { force: true });
  }
}

/** Results of a run that ran no journey (`--only probes`, or a shard with probes only). */
function noJourneys(env: string): RunResults {
  const now = Date.now();
  return { env, startedAtMs: now, finishedAtMs: now, status: 'passed', journeys: [] };
}

/** 5. The journeys' bodies to the gateway (what fails goes to the spool), the delivery health, the summary. */
async function deliverJourneys({ plan, services, stop, looping, info }: Run, results: RunResults, record: IterationRecord, budgets: RunBudgets | undefined): Promise<JourneyDelivery[]> {
  const gateway = services.gateway as string;
  const { access, spool } = plan;
  const signalAt = stop.at();
  const deadlineAt = Math.min(Date.now() + DEFAULT_DELIVERY_BUDGET_MS, signalAt === undefined ? Infinity : signalAt + SIGNAL_DELIVERY_DEADLINE_MS);
  const deliveries = await deliverRun(await journeyBodies(measuredRun(results, budgets)), gateway, { access, spool, deadlineAt, log: info });
  record.deliveries = deliveries;
  // the health group goes wherever any push got through (a journey half delivered too: its losses are counted there)
  if (spool && deliveries.some((d) => d.groups.some((g) => g.ok))) {
    const health = await healthBody(results.env, spool.health(results.env));
    await deliverHealth(gateway, [health], { access, deadlineAt: Math.max(deadlineAt, Date.now() + 1000), log: info });
  }
  if (plan.journeys.length) {
    const held = services.localGateway ? await heldSeries(gateway, results.env).catch((err: Error) => err) : undefined;
    if (held instanceof Map) record.held = held;
    const report = `${summaryTable(results, plan.journeys, budgets?.checks)}\n\n${deliveryReport(deliveries, gateway, held, looping)}`;
    if (plan.flags.json) info(report);
    else process.stdout.write(`${report}\n`);
  }
  return deliveries;
}

/** The code of a run that was stopped: 8 when the run watchdog stopped it, else 4 (a signal). */
export function stoppedExit(stop: Stop): ExitCode {
  return stop.by() === 'watchdog' ? ExitCode.watchdog : ExitCode.aborted;
}

/** The journeys' exit code: aborted (by a signal or the watchdog), not delivered, a journey failed (for any of its users), over a fail budget (--fail-on-budget), or ok. */
function journeysExit({ plan, stop }: Run, results: RunResults, deliveries: JourneyDelivery[], budgets: RunBudgets | undefined): ExitCode {
  if (stop.signal.aborted) return stoppedExit(stop);
  if (deliveries.some((d) => !d.ok)) return ExitCode.notDelivered;
  const allPassed = plan.journeys.every((name) => everyUserPassed(results.journeys.filter((j) => j.journey === name), results.users));
  if (!allPassed) return ExitCode.journeyFailed;
  return plan.flags.failOnBudget && overBudget(budgets).length ? ExitCode.overBudget : ExitCode.ok;
}

/**
 * The plan's probes, after the journeys, each pushed to its own group (stdout with --dry-run);
 * their tables and delivery lines; their failures folded into the iteration's exit code.
 */
async function runTheProbes({ plan, services, stop, info }: Run, record: IterationRecord, code: ExitCode, gateway?: string): Promise<ExitCode> {
  if (!plan.probes || stop.signal.aborted) return code;
  info(`running the probes of env ${services.profile.name}`);
  const sink = gateway ? gatewaySink(gateway, { access: plan.access, spool: plan.spool, log: info }) : stdoutSink();
  const run = { profile: services.profile, credentials: plan.credentials, replicaServes: services.replicaServes, signal: stop.signal, log: info };
  const r = await planDelivered(plan.probes, run, sink);
  const lines = r.deliveries.filter((d) => d.where !== 'stdout').map((d) => (d.ok ? `pushed probes to ${d.where}` : `NOT DELIVERED probes to ${d.where}: ${d.message}`));
  if (gateway && !plan.flags.json) process.stdout.write(`\n${r.summary}\n\n${lines.join('\n')}\n`);
  else info(plan.flags.json ? `${r.summary}\n\n${lines.join('\n')}` : r.summary);
  if (plan.flags.json) record.probes = r;
  if (code === ExitCode.aborted || code === ExitCode.watchdog || code === ExitCode.notDelivered) return code;
  if (r.deliveries.some((d) => !d.ok)) return ExitCode.notDelivered;
  return r.failures && (code === ExitCode.ok || code === ExitCode.overBudget) ? ExitCode.journeyFailed : code;
}
