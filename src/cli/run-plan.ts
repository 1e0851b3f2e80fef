/**
 * `perfpulse-journeys run`, step 1: the flags, the env profile and the environment become one
 * checked plan, before anything starts. Every mistake is one line and exit 2; nothing is started
 * and nothing is measured until the plan stands.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Budgets } from '../config/budgets.ts';
import { credentialsFromEnv, type Credentials } from '../config/credentials.ts';
import { loadProfile, type EnvProfile } from '../config/profile.ts';
import { UserError } from '../errors.ts';
import { planProbes, type ProbePlan } from '../probes/plan.ts';
import { gatewayAccess } from '../push/access.ts';
import type { GatewayAccess } from '../push/http.ts';
import { checkGatewayUrl } from '../push/pushgateway.ts';
import type { Spool } from '../push/spool.ts';
import { faultTable, type FaultTable } from '../replica/faults.ts';
import { DEMO_USER } from '../replica/users.ts';
import { browserVersion, expectedChromiumVersion, hostResolverRules, resolveBrowserPath, versionWarning } from '../runtime/browser/browser.ts';
import type { BrowserOptions } from '../runtime/browser/emulation.ts';
import { resolveJourneyOptions } from '../runtime/runner/declarations.ts';
import { selectJourneys, userJourneysDir } from '../runtime/runner/journeys.ts';
import { browserOptionsFrom, type BrowserFlags } from './browser-flags.ts';
import { runBudgets } from './budgets.ts';
import { parseOnly, spoolFromFlags, type DeliveryFlags } from './flags.ts';
import { parseLoop, type Loop } from './loop.ts';
import { resolveShard, shardJourneys, shardName, shardRunsProbes, type Shard } from './shard.ts';
import { parseUsers } from './users.ts';

export interface RunFlags extends DeliveryFlags, BrowserFlags {
  env: string;
  journeys?: string;
  /** The user's own journeys, run beside the built-in ones (else the profile's journeys_dir). */
  journeysDir?: string;
  pushgateway?: string;
  dryRun?: boolean;
  browser?: string;
  replicaFault?: string[];
  output?: string;
  /** Let science_portal launch (and delete) a real session. */
  launchSessions?: boolean;
  only?: string;
  report?: string;
  /** --junit <file>: the run as JUnit XML (src/report/junit.ts). */
  junit?: string;
  /** --budgets <file> (else the profile's budgets:) and --fail-on-budget (src/cli/budgets.ts). */
  budgets?: string;
  failOnBudget?: boolean;
  /** `i/n`, 1-based (src/cli/shard.ts). */
  shard?: string;
  shardCount?: string;
  /** Iterations (-1 = until stopped) and the pause between them, seconds (src/cli/loop.ts). */
  count?: string;
  sleep?: string;
  /** --max-run-seconds: the run watchdog (src/cli/signals.ts), whole seconds; absent = no limit. */
  maxRunSeconds?: string;
  /** One JSON document per iteration on stdout instead of the summary table. */
  json?: boolean;
  /** --users N (src/cli/users.ts) and --users-max-override. */
  users?: string;
  usersMaxOverride?: boolean;
}

export interface RunPlan {
  flags: RunFlags;
  /**
   * The env profile as loaded (`{replica}` URLs not resolved yet), its `journeys:` checked against
   * every journey's declared options and filled with their defaults, --launch-sessions applied.
   */
  profile: EnvProfile;
  /** The journeys this process runs (after --journeys, --only and --shard). */
  journeys: string[];
  /** --journeys-dir or the profile's journeys_dir, absolute: where the user's journeys among them are. */
  journeysDir: string | undefined;
  /** The probes this process runs (shard 1 only), or undefined. */
  probes: ProbePlan | undefined;
  loop: Loop;
  shard: Shard | undefined;
  /** --users: concurrent virtual users (1 = a plain run). */
  users: number;
  /** --replica-fault and the profile's replica_faults. */
  faults: FaultTable;
  /** The user's gateway (--pushgateway, PERFPULSE_PUSHGATEWAY); undefined = --dry-run or a local one. */
  gateway: string | undefined;
  credentials: Credentials | undefined;
  /** '' when no journey runs. */
  browserPath: string;
  /** --retries --trace --headed --throttle --device, checked (src/cli/browser-flags.ts). */
  browserOptions: BrowserOptions;
  /** The test hook's Chromium host-resolver rules (docs/faults.md). */
  hostResolverRules?: string;
  /** Gateway credentials, TLS and the spool: only with a gateway of the user's. */
  access: GatewayAccess | undefined;
  spool: Spool | undefined;
  /** A shard that got neither journeys nor probes: nothing to start. */
  nothingToRun: boolean;
  /** The budgets the journeys are held to (--budgets, else the profile's budgets:), checked against their declarations. */
  budgets: Budgets | undefined;
}

/** A file a flag writes later: its folder must exist or be creatable, and the path must not be a folder. */
function checkWritableFile(flag: string, file: string): void {
  const path = resolve(file);
  try {
    mkdirSync(dirname(path), { recursive: true });
    accessSync(dirname(path), constants.W_OK);
  } catch (err) {
    throw new UserError(`${flag} ${file}: cannot write there (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (existsSync(path) && statSync(path).isDirectory()) throw new UserError(`${flag} ${file} is a directory: give a file name such as perfpulse-junit.xml`);
}

export async function planRun(flags: RunFlags, info: (line: string) => void): Promise<RunPlan> {
  const loaded = loadProfile(flags.env);
  const journeysDir = userJourneysDir(flags.journeysDir, loaded);
  const profile = await withJourneyOptions(loaded, flags.launchSessions ?? false, journeysDir);
  const only = parseOnly(flags.only);
  const browserOptions = browserOptionsFrom(flags); // --retries --trace --headed --throttle --device
  if (flags.json && flags.dryRun) throw new UserError('--json and --dry-run do not go together: --dry-run prints the exposition text on stdout');
  const loop = parseLoop(flags);
  const shard = resolveShard(flags, process.env, info);
  const selected = only === 'probes' ? [] : selectJourneys(flags.journeys, journeysDir);
  const journeys = shard ? shardJourneys(selected, shard) : selected;
  const profileProbes = await planProbes(profile, only);
  const probes = shardRunsProbes(shard) ? profileProbes : undefined;
  const users = parseUsers(flags.users, flags.usersMaxOverride);
  if (flags.junit !== undefined) checkWritableFile('--junit', flags.junit);
  const budgets = await runBudgets(flags.budgets, profile, journeysDir);
  if (flags.failOnBudget && !budgets) throw new UserError('--fail-on-budget needs budgets: give --budgets <file> or budgets: in the env profile');
  const faults = faultTable([...profile.replicaFaults, ...(flags.replicaFault ?? [])]);
  if (faults.size && !profile.replica) throw new UserError(`--replica-fault needs an env with the bundled replica (env ${profile.name} has none)`);
  const gateway = flags.pushgateway ?? process.env.PERFPULSE_PUSHGATEWAY;
  if (gateway !== undefined) checkGatewayUrl(gateway);
  if (!flags.dryRun && !gateway && !profile.replica) {
    throw new UserError(`no Pushgateway for env ${profile.name}: pass --pushgateway <url> or set PERFPULSE_PUSHGATEWAY (or use --dry-run)`);
  }
  const credentials = credentialsFromEnv(process.env, profile.replica ? DEMO_USER : undefined);
  const browserPath = !journeys.length ? '' : resolveBrowserPath(flags.browser ?? process.env.PERFPULSE_BROWSER);
  const hostRules = hostResolverRules(process.env);
  const access = gateway && !flags.dryRun ? gatewayAccess(gateway, flags) : undefined;
  const spool = gateway && !flags.dryRun ? spoolFromFlags(flags) : undefined;
  const warning = browserPath ? versionWarning(browserVersion(browserPath), expectedChromiumVersion()) : undefined;
  if (warning) info(`warning: ${warning}`);
  let nothingToRun = false;
  if (shard) {
    const what = [journeys.length ? journeys.join(', ') : 'no journey', profileProbes ? (probes ? 'the probes' : 'no probes (shard 1 runs them)') : ''];
    info(`shard ${shardName(shard)}: ${what.filter(Boolean).join(' and ')}, of ${selected.length} selected journey${selected.length === 1 ? '' : 's'}`);
    nothingToRun = !journeys.length && !probes;
    if (nothingToRun) info(`shard ${shardName(shard)}: nothing to run, exiting 0`);
  }
  return { flags, profile, journeys, journeysDir, probes, loop, shard, users, faults, gateway, credentials, browserPath, browserOptions, ...(hostRules ? { hostResolverRules: hostRules } : {}), access, spool, nothingToRun, budgets };
}

/**
 * The profile with every journey's options (the user's `journeysDir` too): its `journeys:` section
 * checked against the journeys' own schemas, defaults filled in; `--launch-sessions` then switches science_portal's `launch` on.
 */
export async function withJourneyOptions(profile: EnvProfile, launchSessions: boolean, journeysDir?: string): Promise<EnvProfile> {
  const journeys = await resolveJourneyOptions(profile.journeys, `env profile ${profile.source}`, journeysDir);
  if (launchSessions && journeys.science_portal) journeys.science_portal = { ...journeys.science_portal, launch: true };
  return { ...profile, journeys };
}
