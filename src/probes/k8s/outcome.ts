/**
 * What one timed Kubernetes call gives: its wall time, the connection part of it, and a `result`
 * from a small fixed set (the label) plus a one-line reason (the log only).
 */
import { oneLine } from '../../errors.ts';
import { isTlsCertificateError } from '../../net.ts';
import type { K8sResult } from '../../metrics/catalog-probes.ts';
import type { K8sCall } from '../../results/probes.ts';

/** A call's outcome (src/results/probes.ts), its `result` one of the catalog's fixed set. */
export interface CallOutcome extends K8sCall {
  result: K8sResult;
}

/** TLS failures that are not about the certificate (which src/net.ts knows): wrong protocol. */
const TLS_PROTOCOL_CODES = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'EPROTO']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** The `result` of an HTTP status: 2xx ok, 401/403 forbidden, 5xx server_error, anything else other. */
export function resultOfStatus(status: number): K8sResult {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 401 || status === 403) return 'forbidden';
  if (status >= 500) return 'server_error';
  return 'other';
}

/** Classifies anything a client-node call or a fetch threw. */
export function classifyError(err: unknown, timedOut: boolean): { result: K8sResult; detail: string } {
  const e = err as Error & { code?: unknown; body?: unknown; cause?: { code?: string; message?: string; cause?: { code?: string } } };
  if (timedOut || e?.name === 'TimeoutError' || e?.name === 'AbortError') return { result: 'timeout', detail: 'no answer before the timeout' };
  if (typeof e?.code === 'number' && 'body' in e) {
    // client-node's ApiException: the server answered with a non-2xx status
    return { result: resultOfStatus(e.code), detail: `${e.code} ${statusReason(e.body)}`.trim() };
  }
  const code = e?.cause?.code ?? e?.cause?.cause?.code ?? (typeof e?.code === 'string' ? e.code : undefined);
  if (code && (isTlsCertificateError(code) || TLS_PROTOCOL_CODES.has(code))) return { result: 'tls', detail: `TLS: ${code}` };
  if (code && TIMEOUT_CODES.has(code)) return { result: 'timeout', detail: code };
  if (code && /^(E[A-Z]+|UND_ERR_SOCKET)$/.test(code)) return { result: 'network', detail: code };
  if (/certificate|ssl|tls/i.test(`${e?.cause?.message ?? ''} ${e?.message ?? ''}`)) {
    return { result: 'tls', detail: oneLine(e?.cause?.message ?? e?.message ?? '') };
  }
  return { result: 'other', detail: oneLine(e?.cause?.message ?? e?.message ?? String(err)) };
}

/** The `message` of a Kubernetes Status body, else its first 200 characters. */
function statusReason(body: unknown): string {
  if (typeof body === 'string') {
    try {
      return statusReason(JSON.parse(body));
    } catch {
      return oneLine(body).slice(0, 200);
    }
  }
  if (body && typeof body === 'object' && 'message' in body) return oneLine(String((body as { message: unknown }).message)).slice(0, 200);
  return '';
}

