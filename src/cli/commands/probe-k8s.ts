/** `perfpulse-journeys probe k8s [probes...]`: the Kubernetes probes. Flags and help here; the probes live in src/probes/k8s. */
import { Command, Option } from 'commander';
import { ExitCode, UserError } from '../../errors.ts';
import { DEFAULT_KINDS, KIND_NAMES, parseKinds } from '../../probes/k8s/kinds.ts';
import { resolveKubectl } from '../../probes/k8s/kubectl.ts';
import { K8S_PROBE_NAMES } from '../../probes/k8s/registry.ts';
import { addDeliveryOptions, numberFlag, secondsFlag, withRange, type DeliveryFlags } from '../flags.ts';
import { PROBE_EXIT_CODES } from '../help.ts';
import { finishProbes, k8sProbesDelivered, sinkFor } from '../probe-runs.ts';
import { k8sTable } from '../probe-tables.ts';
import { withStop } from '../signals.ts';

const info = (line: string) => process.stderr.write(`${line}\n`);

const K8S_HELP = `
What it measures:
  kubectl-latency   lists each kind in the namespace and times it (kind label get_<kind>, as the seed).
                    --via client (default): @kubernetes/client-node; each call opens a NEW TCP+TLS
                    connection (as every kubectl run does) and the figure includes it; the connect part is
                    also exported (perfpulse_k8s_api_connect_seconds). One untimed GET /api/v1 warms up first.
                    --via kubectl: wall time of the real 'kubectl get <kind> -o name' process.
  jobs-terminating  Jobs with a deletionTimestamp that still exist: count and average time terminating.

Config: --kubeconfig, else KUBECONFIG, else ~/.kube/config, else the in-cluster service account;
with none of them: one line and exit 2 (never a silent fallback to localhost:8080).

Examples:
  $ perfpulse-journeys probe k8s --context keel-prod -n canfar-perfpulse --pushgateway http://pushgateway:9091
      one shot: gauges perfpulse_k8s_kubectl_last_latency_seconds, pushed to job perfpulse_kubectl_latency
  $ perfpulse-journeys probe k8s kubectl-latency --count -1 --sleep 60 --pushgateway http://pushgateway:9091
      the seed's loop: histogram perfpulse_k8s_kubectl_latency_seconds pushed after every round, until stopped
  $ perfpulse-journeys probe k8s kubectl-latency --via kubectl --kinds pods,jobs --dry-run
  $ perfpulse-journeys probe k8s jobs-terminating -n canfar-workloads --dry-run
${PROBE_EXIT_CODES}`;

interface K8sFlags extends DeliveryFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  cluster?: string;
  kinds?: string;
  count: string;
  sleep: string;
  timeout: string;
  concurrency: string;
  via: 'client' | 'kubectl';
  kubectl?: string;
  pushgateway?: string;
  dryRun?: boolean;
}

export async function probeK8sCommand(what: string[], flags: K8sFlags): Promise<ExitCode> {
  const unknown = what.filter((w) => !K8S_PROBE_NAMES.includes(w));
  if (unknown.length) throw new UserError(`unknown k8s probe ${unknown.join(', ')}: use ${K8S_PROBE_NAMES.join(' and/or ')}`);
  const probes = what.length ? K8S_PROBE_NAMES.filter((name) => what.includes(name)) : K8S_PROBE_NAMES;
  const latency = probes.includes('kubectl-latency');
  const kinds = parseKinds(flags.kinds);
  const count = numberFlag('--count', flags.count);
  const sleepMs = secondsFlag('--sleep', flags.sleep);
  const timeoutMs = secondsFlag('--timeout', flags.timeout);
  const concurrency = numberFlag('--concurrency', flags.concurrency);
  if (!['client', 'kubectl'].includes(flags.via)) throw new UserError(`--via must be client or kubectl (got ${flags.via})`);
  const kubectl = flags.via === 'kubectl' && latency ? resolveKubectl(flags.kubectl) : undefined;
  const sink = sinkFor(flags);
  // loaded here, not at start: importing @kubernetes/client-node takes seconds
  const { loadK8sTarget } = await import('../../probes/k8s/config.ts');
  const target = loadK8sTarget({ kubeconfig: flags.kubeconfig, context: flags.context, namespace: flags.namespace, cluster: flags.cluster });

  const [run, aborted] = await withStop(
    (sig) => info(`received ${sig}: stopping after this round, then delivering what was measured`),
    (signal) => k8sProbesDelivered({ target, probes, kinds, count, sleepMs, timeoutMs, concurrency, via: flags.via, kubectl, log: info, signal }, sink),
  );
  info(k8sTable(run.results));
  return finishProbes(run, aborted);
}

export function k8sProbeCommand(): Command {
  return addDeliveryOptions(new Command('k8s'))
    .description('time the Kubernetes API as its users feel it: kubectl-latency and jobs-terminating (default: both)')
    .argument('[probes...]', `${K8S_PROBE_NAMES.join(', ')} (default: both)`)
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account)')
    .option('--context <name>', 'kubeconfig context (default: its current-context)')
    .option('-n, --namespace <ns>', "namespace (default: the context's, else default)")
    .option('--cluster <name>', "value of the cluster label (default: the context's cluster name), e.g. keel-prod")
    .option('--kinds <list>', `kinds to list, comma-separated: ${KIND_NAMES.join(', ')}`, DEFAULT_KINDS.join(','))
    .option('--count <n>', withRange('--count', 'rounds: 1 = single shot (gauges); N > 1 or -1 (until stopped) = loop keeping a histogram'), '1')
    .option('--sleep <seconds>', withRange('--sleep', 'pause between rounds of a loop'), '60')
    .option('--timeout <seconds>', withRange('--timeout', 'hard deadline of every call (a call still running then counts as result="timeout")'), '10')
    .option('--concurrency <n>', withRange('--concurrency', 'kinds listed at once (keep it gentle on a production API server)'), '2')
    .addOption(new Option('--via <how>', 'client (@kubernetes/client-node) or kubectl (the real binary)').choices(['client', 'kubectl']).default('client'))
    .option('--kubectl <path>', 'kubectl binary for --via kubectl (default: $PERFPULSE_KUBECTL, else kubectl on PATH)')
    .addOption(new Option('--pushgateway <url>', 'Pushgateway base URL; user-info becomes Basic auth').env('PERFPULSE_PUSHGATEWAY'))
    .option('--dry-run', 'print the Prometheus exposition text to stdout and push nothing', false)
    .addHelpText('after', K8S_HELP)
    .action(async (what: string[], flags: K8sFlags) => {
      process.exitCode = await probeK8sCommand(what, flags);
    });
}
