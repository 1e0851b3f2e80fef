/**
 * Which Kubernetes API the probes talk to, and as whom. Explicit on purpose: `--kubeconfig`, then
 * `KUBECONFIG`, then `~/.kube/config` (as kubectl), then the in-cluster service account. When none
 * exists the probe stops with one line and exit 2; client-node's `loadFromDefault()` would instead
 * fall back silently to http://localhost:8080, which is never what an operator meant.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { UserError } from '../../errors.ts';

export interface K8sTargetOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  /** Value of the `cluster` label; default: the context's cluster name. */
  cluster?: string;
  env?: NodeJS.ProcessEnv;
  /** Root of the service-account files (tests); default `/`. */
  serviceAccountRoot?: string;
}

export interface K8sTarget {
  kc: KubeConfig;
  /** The `cluster` label. */
  cluster: string;
  namespace: string;
  /** API server URL (for logs; never a label). */
  server: string;
  /** Where the config came from, for the log: a file path or `in-cluster service account`. */
  source: string;
  /** The kubeconfig file, when there is one (kubectl mode needs it). */
  kubeconfigFile?: string;
  context?: string;
}

const SA_DIR = 'var/run/secrets/kubernetes.io/serviceaccount';
/** Label values we accept for cluster and namespace: short, no spaces, no URL. */
const LABEL_VALUE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

export function loadK8sTarget(opts: K8sTargetOptions = {}): K8sTarget {
  const env = opts.env ?? process.env;
  const kc = new KubeConfig();
  let source: string;
  let kubeconfigFile: string | undefined;
  const files = opts.kubeconfig ? [opts.kubeconfig] : (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  const home = env.HOME ?? homedir();
  const defaultFile = home ? join(home, '.kube', 'config') : '';
  const saRoot = opts.serviceAccountRoot ?? '/';
  const inCluster = Boolean(env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT && existsSync(join(saRoot, SA_DIR, 'token')));

  if (files.length) {
    const missing = files.filter((f) => !existsSync(f));
    if (missing.length === files.length) {
      throw new UserError(`kubeconfig ${missing.join(', ')} does not exist (from ${opts.kubeconfig ? '--kubeconfig' : 'KUBECONFIG'})`);
    }
    for (const file of files.filter((f) => existsSync(f))) {
      const one = new KubeConfig();
      try {
        one.loadFromFile(file);
      } catch (err) {
        throw new UserError(`cannot read kubeconfig ${file}: ${firstLine(err)}`);
      }
      if (!kubeconfigFile) {
        kc.loadFromFile(file);
        kubeconfigFile = file;
      } else kc.mergeConfig(one, true);
    }
    source = files.join(delimiter);
  } else if (defaultFile && existsSync(defaultFile)) {
    try {
      kc.loadFromFile(defaultFile);
    } catch (err) {
      throw new UserError(`cannot read kubeconfig ${defaultFile}: ${firstLine(err)}`);
    }
    kubeconfigFile = defaultFile;
    source = defaultFile;
  } else if (inCluster) {
    kc.loadFromCluster(saRoot === '/' ? '' : saRoot.replace(/\/+$/, ''));
    source = 'in-cluster service account';
  } else {
    throw new UserError(
      'no Kubernetes config: pass --kubeconfig <file>, set KUBECONFIG, create ~/.kube/config, or run in a pod with a service account',
    );
  }

  if (opts.context) {
    if (!kc.getContextObject(opts.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new UserError(`--context ${opts.context} is not in ${source} (contexts: ${known.join(', ') || 'none'})`);
    }
    kc.setCurrentContext(opts.context);
  }
  const ctx = kc.getContextObject(kc.getCurrentContext());
  const cluster = kc.getCurrentCluster();
  if (!ctx || !cluster?.server) {
    throw new UserError(`${source} has no current context with a cluster server: pass --context <name>`);
  }
  // in-cluster, client-node puts the service account's namespace file into the context
  const namespace = (opts.namespace ?? ctx.namespace ?? 'default').trim();
  const clusterLabel = opts.cluster ?? (cluster.name === 'inCluster' ? 'in_cluster' : cluster.name);
  if (!LABEL_VALUE.test(clusterLabel)) {
    throw new UserError(`cluster name ${JSON.stringify(clusterLabel)} is not usable as a label: pass --cluster <name> (e.g. keel-prod)`);
  }
  if (!LABEL_VALUE.test(namespace)) throw new UserError(`namespace ${JSON.stringify(namespace)} is not a Kubernetes namespace name`);
  return { kc, cluster: clusterLabel, namespace, server: cluster.server, source, kubeconfigFile, context: opts.context ?? kc.getCurrentContext() };
}

function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).split('\n')[0] ?? '';
}
