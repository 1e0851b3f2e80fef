/**
 * What an env profile's `probes.k8s` sets: which cluster and namespace the Kubernetes probes talk
 * to and the kinds they list. Strict: an unknown key is refused naming the nearest valid one. The
 * probe plan (../plan.ts) reads it; loading it does not load @kubernetes/client-node.
 *
 *   probes:
 *     k8s:                               # or `k8s: true` for every default
 *       context: keel-prod
 *       namespace: canfar-perfpulse
 *       kinds: [pods, jobs]
 *
 * Kind names are checked where they are known (./kinds.ts parseKinds).
 */
import { strict } from '../../config/schema.ts';
import { name, names, onOff } from '../options.ts';

const SECTION = strict({
  kubeconfig: name('a file path').optional().describe('kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account)'),
  context: name('a context name').optional().describe("kubeconfig context (default: its current-context)"),
  namespace: name('a namespace').optional().describe("namespace (default: the context's, else default)"),
  cluster: name('a cluster name').optional().describe("the cluster label (default: the context's cluster name)"),
  kinds: names('kinds', 'pods, jobs').optional().describe('kinds to list (default: pods, jobs, deployments, services, configmaps, events)'),
});

export interface K8sProbesConfig {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  cluster?: string;
  kinds?: string[];
}

/** `probes.k8s` as written (true, null, false or a mapping) → its config, or undefined when off. */
export const K8S_OPTIONS = onOff(SECTION, Object.keys(SECTION.shape).join(', ')).transform((v): K8sProbesConfig | undefined => {
  if (v === false) return undefined;
  const k = v === true || v === null ? {} : v;
  return { kubeconfig: k.kubeconfig, context: k.context, namespace: k.namespace, cluster: k.cluster, kinds: k.kinds };
});
