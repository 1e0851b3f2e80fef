/**
 * Where one command's bodies go, one group at a time: a Pushgateway (through ./deliver.ts: PUT so
 * the group is replaced whole, bounded retries, and the spool when it still fails) or, with
 * --dry-run, stdout. The API probes' commands push each body as it is made (a `--count` loop after
 * every round), so what they are given is a sink, and they need not know which.
 */
import type { PushItem } from '../metrics/bodies.ts';
import { deliverItems, type DeliverOptions } from './deliver.ts';
import { groupUrl, type PushOutcome } from './pushgateway.ts';

/** How one group's body went. */
export interface GroupDelivery extends PushOutcome {
  job: string;
  grouping: Record<string, string>;
  /** Where it went, safe to print: the group's URL, or `stdout`. */
  where: string;
}

export type Sink = (item: PushItem) => Promise<GroupDelivery>;

/** Pushes each body to its group on `gateway`, retrying and spooling as `opts` say. */
export function gatewaySink(gateway: string, opts: DeliverOptions = {}): Sink {
  return async (item) => {
    const { job, grouping } = item;
    const [d] = await deliverItems(gateway, [item], opts);
    const where = groupUrl(gateway, job, grouping);
    if (!d) return { ok: false, message: 'not sent', job, grouping, where };
    const message = d.spooledTo ? `${d.message}; spooled for \`perfpulse-journeys push --replay\`` : d.message;
    return { ok: d.ok, ...(d.status !== undefined ? { status: d.status } : {}), message, job, grouping, where };
  };
}

/** --dry-run: writes each body's exposition text to stdout. */
export function stdoutSink(write: (text: string) => void = (t) => process.stdout.write(t)): Sink {
  return async ({ job, grouping, body }) => {
    write(body);
    return { ok: true, message: 'printed', job, grouping, where: 'stdout' };
  };
}
