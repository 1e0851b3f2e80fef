/**
 * Where probe metrics go: a Pushgateway group (through src/push's deliverItems: PUT so the group is
 * replaced whole, bounded retries, and the spool when it still fails) or, with --dry-run, stdout.
 * One function type so the probes need not know which.
 */
import { deliverItems, type DeliverOptions } from '../push/deliver.ts';
import { groupUrl, type PushOutcome } from '../push/pushgateway.ts';

export interface ProbeDelivery extends PushOutcome {
  job: string;
  grouping: Record<string, string>;
  /** Where it went, safe to print. */
  where: string;
}

export type Deliver = (job: string, grouping: Record<string, string>, body: string) => Promise<ProbeDelivery>;

/** Pushes each group with PUT to `gateway`, retrying and spooling as `opts` say. */
export function gatewayDelivery(gateway: string, opts: DeliverOptions = {}): Deliver {
  return async (job, grouping, body) => {
    const [d] = await deliverItems(gateway, [{ job, grouping, body, method: 'PUT', runTimestampMs: Date.now() }], opts);
    const where = groupUrl(gateway, job, grouping);
    if (!d) return { ok: false, message: 'not sent', job, grouping, where };
    const message = d.spooledTo ? `${d.message}; spooled for \`perfpulse-journeys push --replay\`` : d.message;
    return { ok: d.ok, ...(d.status !== undefined ? { status: d.status } : {}), message, job, grouping, where };
  };
}

/** --dry-run: writes the exposition text to stdout. */
export function stdoutDelivery(write: (text: string) => void = (t) => process.stdout.write(t)): Deliver {
  return async (job, grouping, body) => {
    write(body);
    return { ok: true, message: 'printed', job, grouping, where: 'stdout' };
  };
}
