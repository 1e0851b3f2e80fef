/**
 * Fault and latency injection for the replica. A fault is keyed by a route's key, which is
 * `"METHOD /path"` exactly as the route table lists it (e.g. `POST /access/login`).
 *
 * Text form (CLI `--replica-fault`, env profile `replica_faults`):
 *   "POST /access/login=delay:500"        first byte delayed by 500 ms
 *   "GET /ac/whoami=status:503"            answer 503 instead of the page
 *   "GET /en/=hang"                        never answer
 *   "GET /minoc/files/{token}/{uri+}=slowbody:65536"   body trickles at 64 KiB per second
 *   "GET /en/=wrongpage"                   200 with the wrong page (the login form, as when a session is lost)
 *   "POST /access/login=delay:200,status:500"
 *   "GET /arc/files/{path+}=corrupt"        the body's first byte flipped, headers (Digest) unchanged
 *   "POST /skaha/v1/session=stuck"          what the route creates never leaves its first state (a
 *                                           session stays Pending), as the route's handler defines
 *   "GET /access/sso=nocookie"              the real answer, its Set-Cookie headers dropped (the login cookie is never set)
 */
import { UserError } from '../errors.ts';

export interface Fault {
  /** Milliseconds to wait before the first byte of the answer. */
  delayMs?: number;
  /** Answer with this status and a short text body instead of the real handler. */
  status?: number;
  /** Never answer (the connection stays open until the client gives up or the replica stops). */
  hang?: boolean;
  /** Send the real answer's body at most this many bytes per second (headers go out at once). */
  bytesPerSecond?: number;
  /** Answer 200 with the wrong page: the login form, what a user sees when a session is lost. */
  wrongPage?: boolean;
  /** Send the real answer with the first byte of its body flipped: the bytes no longer match their Digest. */
  corrupt?: boolean;
  /** The route's handler keeps what it creates in its first state (skaha: a session stuck Pending). */
  stuck?: boolean;
  /** The real answer without its Set-Cookie headers: the login cookie is never set. */
  noCookie?: boolean;
}

export type FaultTable = Map<string, Fault>;

/** Parses `"<METHOD> <path>=<kind>[:<value>][,<kind>[:<value>]…]"`. */
export function parseFaultSpec(spec: string): [string, Fault] {
  const eq = spec.lastIndexOf('=');
  const route = spec.slice(0, eq).trim();
  const body = spec.slice(eq + 1).trim();
  if (eq < 0 || !/^(GET|POST|PUT|DELETE|HEAD) \/\S*$/.test(route) || !body) {
    throw new UserError(`bad replica fault ${JSON.stringify(spec)}: expected e.g. "POST /access/login=delay:500"`);
  }
  const fault: Fault = {};
  for (const part of body.split(',')) {
    const [kind, value = ''] = part.split(':').map((s) => s.trim());
    const n = Number(value);
    if (kind === 'delay' && Number.isFinite(n) && n >= 0 && value !== '') fault.delayMs = n;
    else if (kind === 'status' && Number.isInteger(n) && n >= 100 && n <= 599) fault.status = n;
    else if (kind === 'hang' && value === '') fault.hang = true;
    else if (kind === 'slowbody' && Number.isFinite(n) && n >= 1 && value !== '') fault.bytesPerSecond = n;
    else if (kind === 'wrongpage' && value === '') fault.wrongPage = true;
    else if (kind === 'corrupt' && value === '') fault.corrupt = true;
    else if (kind === 'stuck' && value === '') fault.stuck = true;
    else if (kind === 'nocookie' && value === '') fault.noCookie = true;
    else {
      throw new UserError(
        `bad replica fault ${JSON.stringify(spec)}: unknown or invalid "${part}" (use delay:<ms>, status:<code>, hang, slowbody:<bytes/s>, wrongpage, corrupt, stuck, nocookie)`,
      );
    }
  }
  return [route, fault];
}

export function faultTable(specs: readonly string[] = []): FaultTable {
  return new Map(specs.map(parseFaultSpec));
}
