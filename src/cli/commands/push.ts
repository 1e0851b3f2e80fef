/** `perfpulse-journeys push --replay`: delivers what earlier runs spooled. */
import { Command, Option } from 'commander';
import { ExitCode, UserError } from '../../errors.ts';
import { healthBody } from '../../metrics/bodies.ts';
import { gatewayAccess } from '../../push/access.ts';
import { deliverHealth } from '../../push/deliver.ts';
import { checkGatewayUrl, redactUrl } from '../../push/pushgateway.ts';
import { replaySpool } from '../../push/replay.ts';
import { envOf } from '../../push/spool.ts';
import { addDeliveryOptions, spoolFromFlags, type DeliveryFlags } from '../flags.ts';
import { EXIT_CODES_HELP } from '../help.ts';
import { listenForStop } from '../signals.ts';

/** Time `push --replay` may spend (it runs outside any SIGTERM grace period). */
const REPLAY_COMMAND_BUDGET_MS = 120_000;

const info = (line: string) => process.stderr.write(`${line}\n`);

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

  const stop = listenForStop((sig) => info(`received ${sig}: stopping the replay; what is not sent stays spooled`));
  try {
    const r = await replaySpool(spool, gateway, { access, deadlineAt: Date.now() + REPLAY_COMMAND_BUDGET_MS, signal: stop.signal, log: info });
    if (spool.exists()) await deliverHealth(gateway, await Promise.all([...envs].map((env) => healthBody(env, spool.health(env)))), { access, log: info });
    process.stdout.write(
      `replay to ${redactUrl(gateway)}: ${r.delivered} delivered, ${r.superseded} not sent (the gateway held that run or a newer one), ` +
        `${r.dropped} dropped (too old or too many), ${r.kept} still spooled in ${spool.dir}\n`,
    );
    if (stop.signal.aborted) return ExitCode.aborted;
    return r.kept > 0 ? ExitCode.notDelivered : ExitCode.ok;
  } finally {
    stop.dispose();
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
