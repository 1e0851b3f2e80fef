/**
 * A fake HTTPS Kubernetes API on 127.0.0.1 — the one stand-in the project allows. Its CA and
 * server certificate are made with `openssl` at test time (never committed), and `kubeconfig()`
 * writes a kubeconfig pointing at it. It serves list calls for the probe's kinds, enough discovery
 * for a real `kubectl get`, and per-kind faults: delay before the first byte, a status, or a hang.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpDir } from './helpers.ts';

export interface KindFault {
  delayMs?: number;
  status?: number;
  hang?: boolean;
}

export interface FakeK8s {
  origin: string;
  port: number;
  /** PEM of the CA that signed the server certificate. */
  caCert: string;
  /** Faults per resource plural (`pods`, `jobs`, ...); tests change it while it runs. */
  faults: Map<string, KindFault>;
  /** Jobs the jobs list returns. */
  jobs: unknown[];
  /** Every request path seen, in order. */
  requests: string[];
  /** Writes a kubeconfig for this server; `wrongCa` trusts another CA instead of ours. */
  kubeconfig(opts?: { wrongCa?: boolean; namespace?: string; context?: string; cluster?: string }): string;
  stop(): Promise<void>;
}

interface Certs {
  dir: string;
  caCert: string;
  otherCaCert: string;
  key: string;
  cert: string;
}

/** A CA, a server certificate for 127.0.0.1 signed by it, and an unrelated second CA. */
export function makeCerts(): Certs {
  const dir = tmpDir('perfpulse-fake-k8s-');
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  for (const ca of ['ca', 'other-ca']) {
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${ca}.key`, '-out', `${ca}.crt`, '-days', '2', '-subj', `/CN=perfpulse-test-${ca}`);
  }
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.ext');
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return { dir, caCert: read('ca.crt'), otherCaCert: read('other-ca.crt'), key: read('server.key'), cert: read('server.crt') };
}

const LIST_KIND: Record<string, [string, string]> = {
  pods: ['v1', 'PodList'],
  services: ['v1', 'ServiceList'],
  configmaps: ['v1', 'ConfigMapList'],
  events: ['v1', 'EventList'],
  nodes: ['v1', 'NodeList'],
  deployments: ['apps/v1', 'DeploymentList'],
  replicasets: ['apps/v1', 'ReplicaSetList'],
  statefulsets: ['apps/v1', 'StatefulSetList'],
  jobs: ['batch/v1', 'JobList'],
};

function resourceList(groupVersion: string): unknown {
  const resources = Object.entries(LIST_KIND)
    .filter(([, [gv]]) => gv === groupVersion)
    .map(([plural, [, list]]) => ({
      name: plural,
      singularName: plural.replace(/s$/, ''),
      namespaced: plural !== 'nodes',
      kind: list.replace(/List$/, ''),
      verbs: ['get', 'list', 'watch'],
    }));
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}

export async function startFakeK8s(certs: Certs = makeCerts()): Promise<FakeK8s> {
  const faults = new Map<string, KindFault>();
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const state = { jobs: [] as unknown[] };
  let port = 0;

  const json = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  const server: Server = createServer({ key: certs.key, cert: certs.cert }, (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      requests.push(url.pathname);
      const p = url.pathname;
      if (p === '/version') return json(res, 200, { major: '1', minor: '32', gitVersion: 'v1.32.0-fake' });
      if (p === '/api') {
        return json(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${port}` }] });
      }
      if (p === '/apis') {
        const group = (name: string) => ({ name, versions: [{ groupVersion: `${name}/v1`, version: 'v1' }], preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' } });
        return json(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [group('apps'), group('batch')] });
      }
      if (p === '/api/v1') return json(res, 200, resourceList('v1'));
      if (p === '/apis/apps/v1') return json(res, 200, resourceList('apps/v1'));
      if (p === '/apis/batch/v1') return json(res, 200, resourceList('batch/v1'));
      const m = /^\/(?:api\/v1|apis\/(?:apps|batch)\/v1)(?:\/namespaces\/([^/]+))?\/([a-z]+)$/.exec(p);
      const plural = m?.[2] ?? '';
      const kind = LIST_KIND[plural];
      if (!m || !kind) return json(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `${p} not found` });
      const fault = faults.get(plural);
      if (fault?.hang) return; // never answer; stop() destroys the socket
      if (fault?.delayMs) await sleep(fault.delayMs);
      if (fault?.status) {
        const reason = fault.status === 403 ? 'Forbidden' : fault.status === 401 ? 'Unauthorized' : 'InternalError';
        const message =
          fault.status === 403
            ? `${plural} is forbidden: User "system:serviceaccount:perfpulse:probe" cannot list resource "${plural}" in the namespace "${m[1] ?? ''}"`
            : `Internal error occurred: fake fault ${fault.status}`;
        return json(res, fault.status, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code: fault.status });
      }
      const items = plural === 'jobs' ? state.jobs : [];
      json(res, 200, { kind: kind[1], apiVersion: kind[0], metadata: { resourceVersion: '1' }, items });
    })().catch(() => res.destroy());
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `https://127.0.0.1:${port}`;

  return {
    origin,
    port,
    caCert: certs.caCert,
    faults,
    get jobs() {
      return state.jobs;
    },
    set jobs(v: unknown[]) {
      state.jobs = v;
    },
    requests,
    kubeconfig(opts = {}) {
      const ca = Buffer.from(opts.wrongCa ? certs.otherCaCert : certs.caCert).toString('base64');
      const context = opts.context ?? 'fake';
      const cluster = opts.cluster ?? 'fake-cluster';
      const file = join(tmpDir('perfpulse-kubeconfig-'), 'config');
      writeFileSync(
        file,
        `apiVersion: v1
kind: Config
clusters:
- name: ${cluster}
  cluster:
    server: ${origin}
    certificate-authority-data: ${ca}
users:
- name: probe
  user:
    token: fake-token-not-secret
contexts:
- name: ${context}
  context:
    cluster: ${cluster}
    user: probe
    namespace: ${opts.namespace ?? 'perfpulse'}
current-context: ${context}
`,
        { mode: 0o600 },
      );
      return file;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
