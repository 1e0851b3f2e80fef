/**
 * `perfpulse-journeys check --env <name|file>`: before a first scheduled run, everything a run
 * needs, checked without running a journey: the profile parses, the credentials are there and
 * readable, the browser is found and is the major Playwright expects, every URL role answers, the
 * Pushgateway answers with the configured credentials and CA, the spool directory is writable
 * (and, when the profile has probes.k8s, the Kubernetes config loads). One line per check on
 * stdout, `ok` or `FAIL`; exit 0 when all pass, 2 when one fails. Nothing is pushed, nothing is
 * spooled; no password, token or user-info is ever printed.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { credentialsFromEnv } from '../../config/credentials.ts';
import { URL_ROLES, builtinEnvNames, loadProfile, withReplicaOrigin, type EnvProfile } from '../../config/profile.ts';
import { ExitCode, UserError, oneLine } from '../../errors.ts';
import { probeOptions } from '../../probes/plan.ts';
import { gatewayAccess } from '../../push/access.ts';
import { exchange, type GatewayAccess } from '../../push/http.ts';
import { pushgatewayBinary } from '../../push/local-gateway.ts';
import { checkGatewayUrl, redactUrl } from '../../push/pushgateway.ts';
import { startReplica } from '../../replica/server.ts';
import { DEMO_USER } from '../../replica/users.ts';
import { browserVersion, expectedChromiumVersion, playwrightVersion, resolveBrowserPath } from '../../runtime/browser/browser.ts';
import { addDeliveryOptions, secondsFlag, spoolFromFlags, withRange, type DeliveryFlags } from '../flags.ts';

interface CheckFlags extends DeliveryFlags {
  env: string;
  pushgateway?: string;
  browser?: string;
  timeout: string;
}

interface Outcome {
  ok: boolean;
  /** What was checked: `profile`, `url www`. */
  what: string;
  /** One line: what was found, or what is wrong and how to fix it. Never a secret. */
  detail: string;
}

const CHECK_HELP = `
Checks, one line each ("ok" or "FAIL", then what was found or what to fix), nothing pushed or spooled:
  profile       the env profile parses (strict schema, docs/environments.md)
  credentials   PERFPULSE_USERNAME with PERFPULSE_PASSWORD_FILE (or PERFPULSE_PASSWORD) are set and
                readable (--env local: the replica's demo user); the password is never printed
  browser       the Chromium is found and its major version is the one Playwright expects
  url <role>    each URL role answers over HTTP (any status below 500); --env local starts the replica
  pushgateway   GET /api/v1/status answers 2xx with the configured credentials and CA (--env local
                without one: its prometheus-pushgateway binary is found)
  spool         the spool directory exists or can be made, and a file can be written in it
  k8s           only with probes.k8s in the profile: the Kubernetes config loads

Examples:
  $ perfpulse-journeys check --env local
  $ PERFPULSE_USERNAME=me PERFPULSE_PASSWORD_FILE=/run/secrets/cadc \\
      perfpulse-journeys check --env prod --pushgateway https://gw.example.org --pushgateway-ca /etc/ssl/gw-ca.pem

Exit codes: 0 every check passed, 2 a check failed (or a flag is bad).`;

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Runs `fn`, turning a UserError (or anything thrown) into a FAIL line. */
async function attempt(what: string, fn: () => Promise<string> | string): Promise<Outcome> {
  try {
    return { ok: true, what, detail: await fn() };
  } catch (err) {
    return { ok: false, what, detail: oneLine(err) };
  }
}

function checkCredentials(profile: EnvProfile): string {
  const creds = credentialsFromEnv(process.env, profile.replica ? DEMO_USER : undefined);
  if (!creds) {
    throw new UserError('none set: journeys that log in need PERFPULSE_USERNAME and PERFPULSE_PASSWORD_FILE (or PERFPULSE_PASSWORD)');
  }
  if (creds === DEMO_USER) return `the replica's demo user ${DEMO_USER.username}`;
  const from = process.env.PERFPULSE_PASSWORD_FILE ? `PERFPULSE_PASSWORD_FILE (${process.env.PERFPULSE_PASSWORD_FILE})` : 'PERFPULSE_PASSWORD';
  return `PERFPULSE_USERNAME and ${from} set and readable; the password is not printed`;
}

function checkBrowser(flag: string | undefined): string {
  const path = resolveBrowserPath(flag ?? process.env.PERFPULSE_BROWSER);
  const actual = browserVersion(path);
  const expected = expectedChromiumVersion();
  const major = (v: string) => v.split('.')[0];
  if (!actual) throw new UserError(`${path}: cannot read its version (\`${path} --version\`); Playwright ${playwrightVersion()} expects Chromium ${major(expected)}.x`);
  if (major(actual) !== major(expected)) {
    throw new UserError(`${path} is Chromium ${actual}, Playwright ${playwrightVersion()} expects ${major(expected)}.x: install Chromium ${major(expected)} or pass --browser <path>`);
  }
  return `${path}: Chromium ${actual}, the ${major(expected)}.x Playwright ${playwrightVersion()} expects`;
}

async function checkUrl(role: string, base: string, timeoutMs: number): Promise<string> {
  const t0 = performance.now();
  let res: Response;
  try {
    res = await fetch(`${base}/`, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${seconds(timeoutMs)}` : (e.cause?.code ?? oneLine(e.cause?.message ?? e.message));
    throw new UserError(`${redactUrl(base)}/ did not answer: ${why}`);
  }
  const took = performance.now() - t0;
  if (res.status >= 500) throw new UserError(`${redactUrl(base)}/ answered ${res.status} in ${seconds(took)}: the ${role} host is up but failing`);
  return `${redactUrl(base)}/ answered ${res.status} in ${seconds(took)}`;
}

async function checkGateway(gateway: string, access: GatewayAccess, timeoutMs: number): Promise<string> {
  const base = new URL(gateway);
  base.username = '';
  base.password = '';
  const url = new URL(`${base.origin}${base.pathname.replace(/\/+$/, '')}/api/v1/status`);
  const how = [access.authorization ? `${access.authorization.split(' ')[0]} auth` : 'no credentials', access.ca ? 'the --pushgateway-ca CA' : '', access.insecureSkipTlsVerify ? 'no TLS verification' : '']
    .filter(Boolean)
    .join(', ');
  const t0 = performance.now();
  let answer;
  try {
    answer = await exchange(url, { method: 'GET', deadlineMs: timeoutMs, access });
  } catch (err) {
    throw new UserError(`${redactUrl(gateway)} did not answer (${how}): ${oneLine(err)}`);
  }
  const took = performance.now() - t0;
  if (answer.status === 401 || answer.status === 403) {
    throw new UserError(`${redactUrl(gateway)} refused the credentials (${answer.status}, ${how}): check PERFPULSE_PUSHGATEWAY_USERNAME/_PASSWORD_FILE or _TOKEN_FILE`);
  }
  if (answer.status < 200 || answer.status >= 300) throw new UserError(`${redactUrl(gateway)}: GET /api/v1/status answered ${answer.status} (${how}): is this a Pushgateway?`);
  return `${redactUrl(gateway)} answered in ${seconds(took)} (${how})`;
}

/** Writes (and removes) a file in the spool directory; a directory made for that is removed again. */
function checkSpool(flags: CheckFlags): string {
  const spool = spoolFromFlags(flags, () => undefined);
  let made: string | undefined;
  try {
    made = mkdirSync(spool.dir, { recursive: true, mode: 0o700 });
    const probe = join(spool.dir, `.check-${process.pid}.tmp`);
    writeFileSync(probe, 'check\n', { mode: 0o600 });
    rmSync(probe, { force: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new UserError(`${spool.dir} is not writable (${code}): pass --spool-dir <dir> or set PERFPULSE_SPOOL_DIR to a directory this user can write`);
  } finally {
    // check leaves nothing behind: a run makes the directory when it first spools
    if (made) rmSync(made, { recursive: true, force: true });
  }
  return `${spool.dir} ${made ? 'can be made and written' : 'writable'} (keeps at most ${spool.limits.maxEntries} pushes, ${spool.limits.maxAgeMs / 3_600_000} hours)`;
}

async function checkK8s(profile: EnvProfile): Promise<string> {
  const { loadK8sTarget } = await import('../../probes/k8s/config.ts');
  const t = loadK8sTarget({ ...probeOptions(profile).k8s });
  return `${t.source}: cluster ${t.cluster}, namespace ${t.namespace}, server ${redactUrl(t.server)}`;
}

export async function checkCommand(flags: CheckFlags, print: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<ExitCode> {
  const timeoutMs = secondsFlag('--timeout', flags.timeout);
  const outcomes: Outcome[] = [];
  const report = (o: Outcome) => {
    outcomes.push(o);
    print(`${o.ok ? 'ok  ' : 'FAIL'}  ${o.what.padEnd(12)} ${o.detail}`);
  };

  let profile: EnvProfile | undefined;
  report(
    await attempt('profile', () => {
      const loaded = loadProfile(flags.env);
      const probes = Object.keys(probeOptions(loaded)); // each probe family's options, checked as a run checks them
      profile = loaded;
      return `env ${profile.name} (${profile.source}): ${URL_ROLES.length} URL roles${profile.replica ? ' on the bundled replica' : ''}, probes ${probes.length ? probes.join(' and ') : 'none'}`;
    }),
  );
  if (profile) report(await attempt('credentials', () => checkCredentials(profile as EnvProfile)));
  report(await attempt('browser', () => checkBrowser(flags.browser)));

  if (profile) {
    let stop: (() => Promise<void>) | undefined;
    let urls = profile;
    try {
      if (profile.replica) {
        const replica = await startReplica({});
        stop = replica.stop;
        urls = withReplicaOrigin(profile, replica.origin);
      }
      const target = urls;
      const answers = await Promise.all(URL_ROLES.map((role) => attempt(`url ${role}`, () => checkUrl(role, target.urls[role], timeoutMs))));
      answers.forEach(report);
    } finally {
      await stop?.();
    }
  }

  const gateway = flags.pushgateway;
  report(
    await attempt('pushgateway', async () => {
      if (!gateway) {
        if (profile?.replica) return `none given: a run on env ${profile.name} starts its own (${pushgatewayBinary()})`;
        throw new UserError('none given: pass --pushgateway <url> or set PERFPULSE_PUSHGATEWAY (a run would refuse to start)');
      }
      checkGatewayUrl(gateway);
      return checkGateway(gateway, gatewayAccess(gateway, flags), timeoutMs);
    }),
  );
  report(await attempt('spool', () => checkSpool(flags)));
  if (profile && probeOptions(profile).k8s) report(await attempt('k8s', () => checkK8s(profile as EnvProfile)));

  const failed = outcomes.filter((o) => !o.ok).length;
  print(`check: ${outcomes.length - failed} ok, ${failed} failed${failed ? ' (exit 2)' : ''}`);
  return failed ? ExitCode.badInput : ExitCode.ok;
}

export function checkCommandDefinition(): Command {
  const cmd = new Command('check')
    .description('check, without running a journey, that a run on an env would work: profile, credentials, browser, URLs, Pushgateway, spool')
    .addOption(new Option('-e, --env <name|file>', `env profile: ${builtinEnvNames().join(', ')}, or a .yaml file`).default('local'))
    .addOption(new Option('--pushgateway <url>', 'Pushgateway base URL to check; user-info becomes Basic auth').env('PERFPULSE_PUSHGATEWAY'))
    .addOption(new Option('--browser <path>', "Chromium executable (default: Playwright's own if installed, else /usr/bin/chromium)").env('PERFPULSE_BROWSER'))
    .option('--timeout <seconds>', withRange('--timeout', 'how long each URL and the Pushgateway may take to answer'), '10');
  return addDeliveryOptions(cmd)
    .addHelpText('after', CHECK_HELP)
    .action(async (flags: CheckFlags) => {
      process.exitCode = await checkCommand(flags);
    });
}
