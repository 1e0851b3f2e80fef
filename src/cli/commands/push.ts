/**
 * `perfpulse-journeys push --replay`: delivers what earlier runs spooled, and the delivery flags
 * shared with `run` (spool directory and limits, gateway TLS).
 */
import { Command, Option } from 'commander';
import { ExitCode, UserError } from '../../errors.ts';
import { healthBody } from '../../metrics/bodies.ts';
import { gatewayAccess, type AccessFlags } from '../../push/access.ts';
import { deliverHealth } from '../../push/deliver.ts';
import { checkGatewayUrl, redactUrl } from '../../push/pushgateway.ts';
import { replaySpool } from '../../push/replay.ts';
import { DEFAULT_SPOOL_LIMITS, Spool, defaultSpoolDir, envOf } from '../../push/spool.ts';
import { EXIT_CODES_HELP } from '../help.ts';

export interface DeliveryFlags extends AccessFlags {
  spoolDir?: string;
  spoolMaxAge?: string;
  spoolMaxEntries?: string;
}

/** Time `push --replay` may spend (it runs outside any SIGTERM grace period). */
const REPLAY_COMMAND_BUDGET_MS = 120_000;

const info = (line: string) => process.stderr.write(`${line}\n`);

/** The delivery flags, on `run` and on `push`. */
export function addDeliveryOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--pushgateway-ca <file>', 'PEM file with the CA certificate(s) that signed an https Pushgateway').env('PERFPULSE_PUSHGATEWAY_CA'))
    .option('--insecure-skip-tls-verify', 'accept any certificate from an https Pushgateway (tests only)', false)
    .addOption(new Option('--spool-dir <dir>', `where undelivered pushes wait for replay (default: ${defaultSpoolDir().replace(process.env.HOME ?? '\0', '~')})`).env('PERFPULSE_SPOOL_DIR'))
    .option('--spool-max-age <hours>', 'drop spooled pushes whose run is older than this', String(DEFAULT_SPOOL_LIMITS.maxAgeMs / 3_600_000))
    .option('--spool-max-entries <n>', 'keep at most this many spooled pushes (the oldest go first)', String(DEFAULT_SPOOL_LIMITS.maxEntries));
}

/** The spool the flags name; bad limits are bad input. */
export function spoolFromFlags(flags: DeliveryFlags, log: (line: string) => void = info): Spool {
  const hours = Number(flags.spoolMaxAge ?? DEFAULT_SPOOL_LIMITS.maxAgeMs / 3_600_000);
  const entries = Number(flags.spoolMaxEntries ?? DEFAULT_SPOOL_LIMITS.maxEntries);
  if (!(hours > 0)) throw new UserError(`--spool-max-age must be a number of hours > 0 (got ${JSON.stringify(flags.spoolMaxAge)})`);
  if (!Number.isInteger(entries) || entries < 1) throw new UserError(`--spool-max-entries must be a whole number ≥ 1 (got ${JSON.stringify(flags.spoolMaxEntries)})`);
  return new Spool(flags.spoolDir || defaultSpoolDir(), { maxAgeMs: hours * 3_600_000, maxEntries: entries }, log);
}

interface PushFlags extends DeliveryFlags {
  replay?: boolean;
  pushgateway?: string;
}

export async function pushCommand(flags: PushFlags): Promise<ExitCode> {
  if (!flags.replay) throw new UserError('nothing to do: `perfpulse-journeys push --replay` sends what earlier runs spooled');
  const gateway = flags.pushgateway;
  if (!gateway) throw new UserError('no Pushgateway: pass --pushgateway <url> or set PERFPULSE_PUSHGATEWAY');
  checkGatewayUrl(gateway);
  const access = gatewayAccess(gateway, flags);
  const spool = spoolFromFlags(flags);
  const envs = new Set([...spool.list().map((s) => envOf(s.entry)), ...Object.keys(spool.counters().failures)]);

  const abort = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    info(`received ${sig}: stopping the replay; what is not sent stays spooled`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const r = await replaySpool(spool, gateway, { access, deadlineAt: Date.now() + REPLAY_COMMAND_BUDGET_MS, signal: abort.signal, log: info });
    if (spool.exists()) await deliverHealth(gateway, await Promise.all([...envs].map((env) => healthBody(env, spool.health(env)))), { access, log: info });
    process.stdout.write(
      `replay to ${redactUrl(gateway)}: ${r.delivered} delivered, ${r.superseded} not sent (the gateway held that run or a newer one), ` +
        `${r.dropped} dropped (too old or too many), ${r.kept} still spooled in ${spool.dir}\n`,
    );
    if (abort.signal.aborted) return ExitCode.aborted;
    return r.kept > 0 ? ExitCode.notDelivered : ExitCode.ok;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export function pushCommandDefinition(): Command {
  const cmd = new Command('push')
    .description('deliver the pushes earlier runs spooled when the Pushgateway was unreachable')
    .option('--replay', 'send spooled pushes oldest first, each only if the gateway holds no newer run of its group; delete each once delivered', false)
    .addOption(new Option('--pushgateway <url>', 'Pushgateway base URL; user-info becomes Basic auth').env('PERFPULSE_PUSHGATEWAY'));
  return addDeliveryOptions(cmd)
    .addHelpText(
      'after',
      `
Examples:
  $ perfpulse-journeys push --replay --pushgateway http://pushgateway:9091
  $ PERFPULSE_PUSHGATEWAY_TOKEN_FILE=/run/secrets/gw-token \\
      perfpulse-journeys push --replay --pushgateway https://gw.example.org --pushgateway-ca /etc/ssl/gw-ca.pem

Gateway credentials come only from the environment or files: PERFPULSE_PUSHGATEWAY_USERNAME with
PERFPULSE_PUSHGATEWAY_PASSWORD_FILE (or _PASSWORD), or PERFPULSE_PUSHGATEWAY_TOKEN_FILE (or _TOKEN).
Exit 0 when the spool is empty afterwards, 3 when pushes are still spooled.
${EXIT_CODES_HELP}`,
    )
    .action(async (flags: PushFlags) => {
      process.exitCode = await pushCommand(flags);
    });
}
