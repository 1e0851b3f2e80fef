/**
 * Where probe metrics go: a Pushgateway group (through src/push's pushGroup, PUT so the group is
 * replaced whole) or, with --dry-run, stdout. One function type so the probes need not know which.
 */
import { pushGroup, redactUrl, type PushOutcome } from '../push/pushgateway.ts';

export interface ProbeDelivery extends PushOutcome {
  job: string;
  grouping: Record<string, string>;
  /** Where it went, safe to print. */
  where: string;
}

export type Deliver = (job: string, grouping: Record<string, string>, body: string) => Promise<ProbeDelivery>;

/** Pushes each group with PUT to `gateway`. */
export function gatewayDelivery(gateway: string, deadlineMs?: number): Deliver {
  return async (job, grouping, body) => {
    const outcome = await pushGroup({ gateway, job, grouping, body, method: 'PUT', deadlineMs });
    const path = [`job/${job}`, ...Object.entries(grouping).map(([k, v]) => `${k}/${v}`)].join('/');
    return { ...outcome, job, grouping, where: `${redactUrl(gateway)}/metrics/${path}` };
  };
}

/** --dry-run: writes the exposition text to stdout. */
export function stdoutDelivery(write: (text: string) => void = (t) => process.stdout.write(t)): Deliver {
  return async (job, grouping, body) => {
    write(body);
    return { ok: true, message: 'printed', job, grouping, where: 'stdout' };
  };
}
