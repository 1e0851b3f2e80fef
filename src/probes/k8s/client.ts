/**
 * Timed Kubernetes list calls through @kubernetes/client-node 2.x. Every call carries a hard
 * deadline (an AbortSignal set by a request middleware: the client has no timeout of its own) and
 * closes the connection it opened afterwards.
 *
 * client-node 2.0.1 builds a new undici Agent for every request, so each call opens a new TCP+TLS
 * connection, as every `kubectl` run does; the connect part is measured (connect-timing.ts).
 */
import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  Observable,
  VersionApi,
  type V1Job,
  type ConfigurationOptions,
  type ObservableMiddleware,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import { UserError } from '../../errors.ts';
import { startConnectTiming, takeConnectMs } from '../connect-timing.ts';
import type { K8sTarget } from './config.ts';
import { Deadline } from './deadline.ts';
import { LIST_LIMIT, type KindName } from './kinds.ts';
import { classifyError, type CallOutcome } from './outcome.ts';

interface Apis {
  version: VersionApi;
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
}

type Lister = (apis: Apis, namespace: string, options: ConfigurationOptions) => Promise<{ items: unknown[] }>;

/** The kinds the latency probe can list: name → the client call (and what kubectl runs). */
export const KINDS: Record<KindName, { list: Lister; namespaced: boolean }> = {
  pods: { list: (a, namespace, o) => a.core.listNamespacedPod({ namespace, limit: LIST_LIMIT }, o), namespaced: true },
  jobs: { list: (a, namespace, o) => a.batch.listNamespacedJob({ namespace, limit: LIST_LIMIT }, o), namespaced: true },
  deployments: { list: (a, namespace, o) => a.apps.listNamespacedDeployment({ namespace, limit: LIST_LIMIT }, o), namespaced: true },
  services: { list: (a, namespace, o) => a.core.listNamespacedService({ namespace, limit: LIST_LIMIT }, o), namespaced: true },
  configmaps: { list: (a, namespace, o) => a.core.listNamespacedConfigMap({ namespace, limit: LIST_LIMIT }, o), namespaced: true },
  events: { list: (a, namespace, o) => a.core.listNamespacedEvent({ namespace, limit: LIST_LIMIT }, o), namespaced: true },
  replicasets: { list: (a, namespace, o) => a.apps.listNamespacedReplicaSet({ namespace, limit: LIST_LIMIT }, o), namespaced: true },
  statefulsets: { list: (a, namespace, o) => a.apps.listNamespacedStatefulSet({ namespace, limit: LIST_LIMIT }, o), namespaced: true },
  nodes: { list: (a, _namespace, o) => a.core.listNode({ limit: LIST_LIMIT }, o), namespaced: false },
};

export class K8sClient {
  readonly target: K8sTarget;
  private readonly apis: Apis;

  constructor(target: K8sTarget) {
    this.target = target;
    this.apis = {
      version: target.kc.makeApiClient(VersionApi),
      core: target.kc.makeApiClient(CoreV1Api),
      apps: target.kc.makeApiClient(AppsV1Api),
      batch: target.kc.makeApiClient(BatchV1Api),
    };
    startConnectTiming();
  }

  /** Lists `kind` once with a hard deadline; never throws. `items` only when it succeeded. */
  async list(kind: string, timeoutMs: number): Promise<CallOutcome & { items?: unknown[] }> {
    const def = KINDS[kind as KindName];
    if (!def) throw new UserError(`unknown kind ${kind}`);
    const out = await this.call((o) => def.list(this.apis, this.target.namespace, o), timeoutMs);
    return out.value ? { ...out, detail: `${out.value.items.length} items`, items: out.value.items } : out;
  }

  /**
   * One untimed tiny request (GET /api/v1, through the same CoreV1Api code path) so that the first timed call does not carry the
   * process's one-off costs (module loading, JIT, reading the credentials).
   */
  async warmUp(timeoutMs: number): Promise<CallOutcome> {
    return this.call((o) => this.apis.core.getAPIResources(o), timeoutMs);
  }

  /** Every Job of the namespace, page by page (at most `maxPages` pages of LIST_LIMIT). */
  async allJobs(timeoutMs: number, maxPages = 20): Promise<CallOutcome & { items?: V1Job[] }> {
    const items: V1Job[] = [];
    let cont: string | undefined;
    let ms = 0;
    for (let page = 0; page < maxPages; page++) {
      const out = await this.call(
        (o) => this.apis.batch.listNamespacedJob({ namespace: this.target.namespace, limit: LIST_LIMIT, _continue: cont }, o),
        timeoutMs,
      );
      ms += out.ms;
      if (!out.value) return { ...out, ms };
      items.push(...out.value.items);
      cont = out.value.metadata?._continue || undefined;
      if (!cont) break;
    }
    return { result: 'ok', ms, detail: `${items.length} jobs`, items };
  }

  /** Runs one client call with a hard deadline and times it; never throws. */
  private async call<T>(fn: (options: ConfigurationOptions) => Promise<T>, timeoutMs: number): Promise<CallOutcome & { value?: T }> {
    // counted from t0 until the request is sent, then from when it is sent: the same start and
    // the same clock as the time reported, so a timeout is never reported below its deadline
    const t0 = performance.now();
    const deadline = new Deadline(timeoutMs, t0);
    const dispatchers: Array<{ destroy(): Promise<void> }> = [];
    let url = '';
    let sent: number | undefined;
    const middleware: ObservableMiddleware = {
      pre: (ctx: RequestContext) => {
        // the clock starts when the request leaves the client library for the network: building
        // it (and the JIT of a method's first call in this process) is harness time, not the API's
        sent = deadline.restart();
        ctx.setSignal(deadline.signal);
        url = ctx.getUrl();
        const d = ctx.getDispatcher();
        if (d) dispatchers.push(d);
        return new Observable(Promise.resolve(ctx));
      },
      post: (res: ResponseContext) => new Observable(Promise.resolve(res)),
    };
    const options: ConfigurationOptions = { middleware: [middleware], middlewareMergeStrategy: 'append' };
    try {
      const value = await fn(options);
      const ms = performance.now() - (sent ?? t0);
      return { result: 'ok', ms, connectMs: takeConnectMs(url), detail: 'ok', value };
    } catch (err) {
      const ms = performance.now() - (sent ?? t0);
      const { result, detail } = classifyError(err, deadline.expired);
      return { result, ms, connectMs: url ? takeConnectMs(url) : undefined, detail };
    } finally {
      deadline.clear();
      // the Agent is this call's alone: close its connection now rather than at keep-alive timeout
      for (const d of dispatchers) await d.destroy().catch(() => undefined);
    }
  }
}
