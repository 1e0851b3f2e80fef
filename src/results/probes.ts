/**
 * What the API probes produced, before it becomes metrics (src/metrics/probe-bodies.ts), a table or
 * `--json`. The probes (src/probes) write it; like the journeys' results it imports nothing, and
 * everything here was measured: a value that was not is left out, never a default.
 * A failed probe call has an error class of the journeys' fixed set (./error-class.ts).
 */
import type { ErrorClass } from './error-class.ts';

/**
 * The phases of an HTTP request, as blackbox_exporter's http prober splits it (the `phase` label):
 * look-up, TCP connect, TLS handshake, request sent until the headers are in, body read.
 */
export type HttpPhase = 'dns' | 'connect' | 'tls' | 'first_byte' | 'transfer';
/** Milliseconds per phase; a phase that did not happen (no look-up of an IP, no TLS on http) is absent. */
export type HttpPhases = Partial<Record<HttpPhase, number>>;

/**
 * Why an HTTP request got no answer, in the words of the failure taxonomy (issue 16):
 * `navigation` (DNS, refused, reset, TLS), `timeout`, and for an answer that is not one:
 * `http_4xx`, `http_5xx`.
 */
export type HttpErrorClass = Extract<ErrorClass, 'navigation' | 'timeout' | 'http_4xx' | 'http_5xx'>;

/** What the TLS handshake showed (https only). */
export interface TlsSeen {
  /** The chain verified against the trusted CAs and names the host. */
  valid: boolean;
  /** Node's reason when it did not (`SELF_SIGNED_CERT_IN_CHAIN`, `ERR_TLS_CERT_ALTNAME_INVALID`, ...). */
  error?: string;
  /** The earliest notAfter of the chain the server presented, epoch ms. */
  earliestNotAfterMs?: number;
  /** `TLSv1.3`, for the log. */
  protocol?: string;
}

/**
 * One CADC service probe on one service (src/probes/http/), or one host check on one URL role of
 * the profile: exactly one of `service` and `role` is set.
 */
export interface HttpProbeOutcome {
  /** The `service` label: a service the probes know (src/probes/http/services.ts). */
  service?: string;
  /** The `role` label: a URL role of the env profile (www, canfar, ws_cadc, ws, ws_uv), for a per-host probe. */
  role?: string;
  /** The `probe` label: the probe's name (one file each in src/probes/http/). */
  probe: string;
  /** Undefined when the probe was skipped (no credentials, route not on the replica). */
  ok?: boolean;
  ms?: number;
  /** VOSI availability as read (availability probe only). */
  available?: boolean;
  /** The phases of the probe's requests, summed over them (as blackbox sums over redirects). */
  phases?: HttpPhases;
  /** What the (last) TLS handshake of the probe showed. */
  tls?: TlsSeen;
  /** The HTTP version of the (last) answer: `http_1_1`, `http_2`. */
  httpVersion?: string;
  /** A failed probe's class (./error-class.ts): from what its request threw, or the answer's status. */
  errorClass?: ErrorClass;
  /** One line for the log: never a label. */
  detail: string;
}

/**
 * The class of a failed Kubernetes call, from its `result` (K8S_RESULTS) and its detail line: timeout,
 * forbidden → auth, server_error → http_5xx, tls and network → navigation, another 4xx → http_4xx (1xx-3xx: assertion),
 * anything else (kubectl did not start, an unknown error) → harness; undefined for `ok`.
 */
export function k8sErrorClass(call: Pick<K8sCall, 'result' | 'detail'>): ErrorClass | undefined {
  switch (call.result) {
    case 'ok':
      return undefined;
    case 'timeout':
      return 'timeout';
    case 'forbidden':
      return 'auth';
    case 'server_error':
      return 'http_5xx';
    case 'tls':
    case 'network':
      return 'navigation';
    default:
      return /^4\d\d\b/.test(call.detail) ? 'http_4xx' : /^[1-3]\d\d\b/.test(call.detail) ? 'assertion' : 'harness';
  }
}

/** One run of the CADC service probes of an env. */
export interface HttpProbeResults {
  /** The `env` label. */
  env: string;
  /** Epoch ms at which the run started. */
  startedAtMs: number;
  /** In the order the probes were scheduled (availability and capabilities per service first). */
  outcomes: HttpProbeOutcome[];
  /** Outcomes that ran and did not succeed. */
  failures: number;
}

/**
 * One timed Kubernetes call: its wall time, the connection part of it, and a `result` from the
 * small fixed set of the catalog (K8S_RESULTS, the label) plus a one-line reason (the log only).
 */
export interface K8sCall {
  result: string;
  /** Wall time of the whole call in ms (request built → reply parsed, or until it failed). */
  ms: number;
  /** TCP+TLS connect part of `ms`, when the call opened a new connection that could be timed. */
  connectMs?: number;
  /** One line for the log: status and server reason, or the network/TLS error code. */
  detail: string;
}

/** One round of the kubectl-latency probe: one list call per kind, in the order of the kinds. */
export type KubectlRound = Array<{ kind: string; call: K8sCall }>;

/** The kubectl-latency probe's calls of one kind, over every round so far. */
export interface KindSummary {
  /** The `kind` label, e.g. `get_pods`. */
  kind: string;
  /** How many calls ended with each `result`. */
  results: Partial<Record<string, number>>;
  /** Seconds of the successful calls. */
  seconds: number[];
}

/** The jobs-terminating probe: Jobs deleted but still there, and for how long on average. */
export interface TerminatingJobs {
  ok: boolean;
  /** Jobs terminating. */
  count?: number;
  avgAgeSeconds?: number;
  /** Jobs listed in all. */
  listed?: number;
  /** `<n> jobs listed`, or the failed call's `<result>: <reason>`. */
  detail: string;
}

/** What `probe k8s` (or a run's k8s probes) measured. */
export interface K8sProbeResults {
  /** The grouping of its Pushgateway groups: the `cluster` and `namespace` labels. */
  target: { cluster: string; namespace: string };
  kinds: KindSummary[];
  terminating?: TerminatingJobs;
  /** Calls that did not end `ok`. */
  failures: number;
  rounds: number;
}

/**
 * Why a probe operation failed, from the small fixed set of issue 16's taxonomy (a label value
 * may be one of these, never the message): `timeout` (no answer, or not done, before the deadline),
 * `http_4xx`, `http_5xx`, `auth` (no login, 401/403), `navigation` (connection refused/reset, DNS,
 * TLS), `download` (the bytes do not match their size or digest), `assertion` (an answer of the
 * wrong shape or a job that ended Failed), `interrupted` (the run was stopped by a signal),
 * `harness` (our own failure).
 */
export const FAILURE_CLASSES = ['timeout', 'http_4xx', 'http_5xx', 'auth', 'navigation', 'download', 'assertion', 'interrupted', 'harness'] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];

/** A failed operation: its class and one line for the log (never a label). */
export interface ProbeFailure {
  class: FailureClass;
  /** One line: what was expected and what came instead. */
  line: string;
}

/** The `kind` of a VOSpace operation (the seed's own example, `kind="vos_pull"`). */
export const VOS_KINDS = ['vos_push', 'vos_pull', 'vos_delete'] as const;
export type VosKind = (typeof VOS_KINDS)[number];

/** The timed parts of a VOSpace operation (the `phase` label): see docs/probes.md. */
export const VOS_PHASES = ['negotiate', 'transfer', 'whole'] as const;
export type VosPhase = (typeof VOS_PHASES)[number];

/** One push, pull or delete of the test file on one service. */
export interface VosOperation {
  kind: VosKind;
  ok: boolean;
  /** Wall time of each phase that ran to its end, ms (a delete has `whole` only). */
  phasesMs: Partial<Record<VosPhase, number>>;
  /** Bytes the transfer phase moved (push, pull), when it moved them all. */
  bytes?: number;
  failure?: ProbeFailure;
}

/** The VOSpace probe on one service (`vault`, `arc`). */
export interface VosServiceOutcome {
  /** The `service` label. */
  service: string;
  /** Undefined when it was skipped (no credentials); else every operation succeeded. */
  ok?: boolean;
  /** In the order they ran: push, pull, delete (an operation that never started is absent). */
  operations: VosOperation[];
  /** What went wrong first (the failure line), also when it was before any operation (login, resolve, set-up). */
  failure?: ProbeFailure;
  /** A test node left by an earlier run, found and deleted before this one. */
  leftoverDeleted: boolean;
  /** Nodes this run created and could not delete (its failure line says which). */
  leftBehind: string[];
  /** One line for the log. */
  detail: string;
}

/** One run of the VOSpace probe. */
export interface VospaceProbeResults {
  env: string;
  startedAtMs: number;
  /** Size of the test file, bytes. */
  sizeBytes: number;
  services: VosServiceOutcome[];
  /** Services whose probe ran and did not succeed. */
  failures: number;
}

/** The milestones of a headless job (the `phase` label), each timed from the submission: see docs/probes.md. */
export const HEADLESS_PHASES = ['submit', 'visible', 'running', 'completed', 'whole'] as const;
export type HeadlessPhase = (typeof HEADLESS_PHASES)[number];

/** One headless batch job submitted to skaha, watched to its end and deleted. */
export interface HeadlessJobResult {
  env: string;
  startedAtMs: number;
  /** Undefined when it was skipped (no credentials); else whether the job completed. */
  ok?: boolean;
  /** Jobs this run meant to complete (1, or 0 when skipped). */
  expected: number;
  /** Jobs that reached Completed (Succeeded) before the deadline. */
  completed: number;
  /** Jobs that did not complete before the deadline (stuck Pending, still Running). */
  timedOut: number;
  /** ms from the POST being sent to each milestone that was seen. */
  phasesMs: Partial<Record<HeadlessPhase, number>>;
  /** The last status seen (Pending, Running, Completed, Failed, ...). */
  lastStatus?: string;
  failure?: ProbeFailure;
  /** Whether the session is gone (deleted by this run), or there was none to delete. */
  deleted: boolean;
  /** Sessions of an earlier run of the probe (same name), found and deleted first. */
  leftoversDeleted: number;
  detail: string;
}
