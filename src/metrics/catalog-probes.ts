/**
 * The probe half of the metric catalog: every metric the API probes emit (`perfpulse-journeys
 * probe k8s|http`), named, typed, documented and labeled here and nowhere else. `allMetrics()` in
 * ./catalog.ts includes them.
 *
 * Naming follows the seed guide: `perfpulse_k8s_` for Kubernetes, `perfpulse_<area>_` for the CADC
 * web services (`perfpulse_vosi_`, `perfpulse_api_`) and for what a blackbox prober tells of their
 * hosts (`perfpulse_http_`), base unit in the name, `_total` only on counters, one name reused
 * with labels. Labels come from small fixed sets or from our own configuration (cluster,
 * namespace, env, the profile's URL role: never the host name), never from URLs, users or error texts.
 */

export type ProbeLabelName = 'cluster' | 'namespace' | 'kind' | 'result' | 'service' | 'probe' | 'role' | 'phase' | 'http_version';

/**
 * The `phase` label of an HTTP request (src/probes/http/exchange.ts), blackbox_exporter's
 * `probe_http_duration_seconds{phase}` split under our words: resolve → dns, processing → first_byte.
 */
export const HTTP_PHASES = ['dns', 'connect', 'tls', 'first_byte', 'transfer'] as const;

/** The `result` label of a Kubernetes call: a small fixed set, details go to the log. */
export const K8S_RESULTS = ['ok', 'timeout', 'forbidden', 'server_error', 'tls', 'network', 'other'] as const;
export type K8sResult = (typeof K8S_RESULTS)[number];

/** Pushgateway job of the kubectl-latency probe, as in the seed; grouping {cluster, namespace}. */
export const KUBECTL_LATENCY_JOB = 'perfpulse_kubectl_latency';
/** Pushgateway job of the terminating-jobs probe; grouping {cluster, namespace}. */
export const JOBS_TERMINATING_JOB = 'perfpulse_k8s_jobs_terminating';
/** Pushgateway job of the CADC service probes; grouping {env}. */
export const API_PROBES_JOB = 'perfpulse_api_probes';
/** Pushgateway job of the VOSpace transfer probe; grouping {env}. */
export const VOS_TRANSFERS_JOB = 'perfpulse_vos_transfers';
/** Pushgateway job of the headless batch-job probe; grouping {env}. */
export const HEADLESS_JOBS_JOB = 'perfpulse_skaha_headless';

/** Histogram buckets (seconds) of the looped kubectl latency, as the seed's comment suggests. */
export const KUBECTL_LATENCY_BUCKETS = [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10] as const;

const CLIENT_NOTE =
  'With --via client (default) it runs from the request leaving the client library to the reply parsed, and each call opens a new TCP+TLS connection, as each kubectl run does, which the figure includes (perfpulse_k8s_api_connect_seconds gives that part); with --via kubectl it is the wall time of the whole kubectl process.';

/**
 * The probes that act for the user (src/probes/ops/): VOSpace transfers, one name reused with
 * `kind` (vos_push, vos_pull, vos_delete, the seed's own example) and `phase`, and headless batch
 * jobs, their milestones under one name with `phase` and their counts beside the expected one
 * (upstream perfpulse's perfpulse_jobs_expected, cadc-reference.md §8). docs/probes.md says what
 * each phase includes.
 */
const TRANSFER_AND_JOB_METRICS = {
  vosTransferDuration: {
    name: 'perfpulse_vos_transfer_duration_seconds',
    type: 'gauge',
    help: 'Wall time of one phase of a VOSpace operation on the test file: phase="negotiate" (POST <svc>/synctrans through its 303s to the transfer document, and the job phase check), "transfer" (the PUT or GET of the bytes, request sent to the last byte in), "whole" (the operation from its first request to its last check; a vos_delete has only whole); kind = vos_push, vos_pull, vos_delete. Includes new TCP/TLS connections.',
    labels: ['env', 'service', 'kind', 'phase'],
    clock: 'wall',
  },
  vosTransferBytes: {
    name: 'perfpulse_vos_transfer_bytes',
    type: 'gauge',
    help: 'Bytes the transfer phase of a VOSpace push or pull moved (the test file size when it succeeded).',
    labels: ['env', 'service', 'kind'],
  },
  vosTransferThroughput: {
    name: 'perfpulse_vos_transfer_throughput_bytes_per_second',
    type: 'gauge',
    help: 'Bytes moved divided by the wall time of the transfer phase of a VOSpace push or pull.',
    labels: ['env', 'service', 'kind'],
    clock: 'wall',
  },
  vosTransferSuccess: {
    name: 'perfpulse_vos_transfer_success',
    type: 'gauge',
    help: '1 when the VOSpace operation succeeded (a pull: its bytes match their Digest and the bytes pushed), 0 when it failed or could not run because an earlier step of this run failed (the failure line on stderr says why).',
    labels: ['env', 'service', 'kind'],
  },
  vosTransfers: {
    name: 'perfpulse_vos_transfers_total',
    type: 'counter',
    help: 'VOSpace operations of this run by result: ok, or the failure class (timeout, http_4xx, http_5xx, auth, navigation, download for a digest or size mismatch, assertion, interrupted, harness); an operation an earlier failure prevented counts under that failure\'s class.',
    labels: ['env', 'service', 'kind', 'result'],
  },
  headlessJobDuration: {
    name: 'perfpulse_skaha_headless_job_duration_seconds',
    type: 'gauge',
    help: 'Wall time from sending the POST /skaha/v1/session of a headless batch job to each milestone: phase="submit" (its id answered), "visible" (first listed by GET /skaha/v1/session), "running" (status Running first seen), "completed" (Completed or Succeeded first seen), "whole" (the session deleted, DELETE answered). Seen by polling, so the resolution is the poll interval; a milestone never seen is absent.',
    labels: ['env', 'phase'],
    clock: 'wall',
  },
  headlessJobsExpected: {
    name: 'perfpulse_skaha_headless_jobs_expected_count',
    type: 'gauge',
    help: 'Headless batch jobs this run meant to complete (1; 0 when the probe was skipped): the denominator beside perfpulse_skaha_headless_jobs_total{result="completed"}, so missing work stays visible.',
    labels: ['env'],
  },
  headlessJobs: {
    name: 'perfpulse_skaha_headless_jobs_total',
    type: 'counter',
    help: 'Headless batch jobs of this run by result: completed (Completed/Succeeded before the deadline), timeout (not completed within the deadline, e.g. stuck Pending, or a request that got no answer), or the class of another failure that kept it from completing (auth, http_4xx, http_5xx, navigation, assertion for a job that ended Failed, interrupted, harness). completed and timeout are always sent.',
    labels: ['env', 'result'],
  },
} as const;

export const PROBE_METRICS = {
  kubectlLatency: {
    name: 'perfpulse_k8s_kubectl_latency_seconds',
    type: 'histogram',
    help: `Latency distribution of listing one kind of resource in the namespace (kind="get_pods" ~ kubectl get pods), kept across a --count loop as the seed did. ${CLIENT_NOTE}`,
    labels: ['cluster', 'namespace', 'kind'],
  },
  kubectlLastLatency: {
    name: 'perfpulse_k8s_kubectl_last_latency_seconds',
    type: 'gauge',
    help: `Latency of the last successful list of one kind of resource in the namespace (kind="get_pods" ~ kubectl get pods), from a single-shot probe. ${CLIENT_NOTE}`,
    labels: ['cluster', 'namespace', 'kind'],
  },
  apiConnect: {
    name: 'perfpulse_k8s_api_connect_seconds',
    type: 'gauge',
    help: 'Time to open the new TCP+TLS connection to the Kubernetes API that the last list of this kind used (client mode only); part of the latency.',
    labels: ['cluster', 'namespace', 'kind'],
  },
  kubectlRequests: {
    name: 'perfpulse_k8s_kubectl_requests_total',
    type: 'counter',
    help: 'List calls made by the kubectl-latency probe in this run, by result: ok, timeout, forbidden (401/403), server_error (5xx), tls, network, other.',
    labels: ['cluster', 'namespace', 'kind', 'result'],
  },
  jobsTerminating: {
    name: 'perfpulse_k8s_jobs_terminating_count',
    type: 'gauge',
    help: 'Number of Jobs in the namespace that are terminating: deletion requested (deletionTimestamp set) but the Job still exists. Seed: k8s-jobs-terminating count.',
    labels: ['cluster', 'namespace'],
  },
  jobsTerminatingAvgAge: {
    name: 'perfpulse_k8s_jobs_terminating_avg_age_seconds',
    type: 'gauge',
    help: 'Average time the terminating Jobs of the namespace have been terminating (now minus deletionTimestamp); absent when none are. Seed: k8s-jobs-terminating average age.',
    labels: ['cluster', 'namespace'],
  },
  jobsTerminatingSuccess: {
    name: 'perfpulse_k8s_jobs_terminating_probe_success',
    type: 'gauge',
    help: '1 when the terminating-jobs probe could list the Jobs of the namespace, 0 when the list failed (the reason is in the log).',
    labels: ['cluster', 'namespace'],
  },
  vosiAvailable: {
    name: 'perfpulse_vosi_available',
    type: 'gauge',
    help: 'VOSI availability of a CADC service as it reports it: 1 when <vosi:available> is true, 0 when false or when /availability answers 5xx; absent when no answer came.',
    labels: ['env', 'service'],
  },
  apiProbeDuration: {
    name: 'perfpulse_api_probe_duration_seconds',
    type: 'gauge',
    help: 'Wall time of one service probe call (request sent to body read, redirects not followed), including a new TCP/TLS connection; probe = availability, capabilities, resource_caps, token_login, tap_sync_query, data_pub_redirect, session_list.',
    labels: ['env', 'service', 'probe'],
  },
  apiProbeSuccess: {
    name: 'perfpulse_api_probe_success',
    type: 'gauge',
    help: '1 when the service probe got the answer the reference documents (status and shape), 0 otherwise (the reason is in the log).',
    labels: ['env', 'service', 'probe'],
  },
  hostCheckSuccess: {
    name: 'perfpulse_http_probe_success',
    type: 'gauge',
    help: '1 when the host of this URL role of the env profile answered its landing document (any status below 400) over a certificate chain that verified, 0 otherwise (the reason and its class are in the log); what blackbox_exporter calls probe_success.',
    labels: ['env', 'role'],
  },
  hostCheckDuration: {
    name: 'perfpulse_http_probe_duration_seconds',
    type: 'gauge',
    help: 'Wall time of the host check of this URL role: a GET on a new connection, from the look-up to the last byte of the body (or until it failed); the sum of its phases.',
    labels: ['env', 'role'],
  },
  httpPhase: {
    name: 'perfpulse_http_phase_duration_seconds',
    type: 'gauge',
    help: 'Time the host check of this URL role spent in each phase of its request, as blackbox_exporter\'s probe_http_duration_seconds: dns (host name looked up; absent for an IP), connect (TCP, failed addresses included), tls (handshake), first_byte (request written until the status line and headers are in: server time plus a round trip), transfer (body read); the phases follow each other without gaps.',
    labels: ['env', 'role', 'phase'],
  },
  httpVersion: {
    name: 'perfpulse_http_version_info',
    type: 'gauge',
    help: 'Always 1; its http_version label is the HTTP version the host of this URL role answered with (http_1_1, http_2: ALPN offers h2 and http/1.1 on https, plain http is http_1_1).',
    labels: ['env', 'role', 'http_version'],
  },
  tlsCertExpiry: {
    name: 'perfpulse_http_tls_cert_expiry_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time (seconds) of the earliest notAfter among the certificates the host of this URL role presented (and the trusted issuer completing its chain), read even when the chain does not verify; https only. blackbox_exporter: probe_ssl_earliest_cert_expiry.',
    labels: ['env', 'role'],
  },
  tlsChainValid: {
    name: 'perfpulse_http_tls_chain_valid',
    type: 'gauge',
    help: '1 when the certificate chain the host of this URL role presented verified against the trusted CAs (the system\'s, plus the profile\'s probes.http.ca) and names the host, 0 when not (no request is then sent); https only.',
    labels: ['env', 'role'],
  },
  apiProbeRunTimestamp: {
    name: 'perfpulse_api_probe_run_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time at which this run of the service probes started (seconds); tells a fresh value from a stale one.',
    labels: ['env'],
  },
  ...TRANSFER_AND_JOB_METRICS,
} as const satisfies Record<
  string,
  { name: string; type: 'gauge' | 'counter' | 'histogram'; help: string; labels: readonly (ProbeLabelName | 'env')[]; clock?: 'wall' }
>;

export type ProbeMetricKey = keyof typeof PROBE_METRICS;
