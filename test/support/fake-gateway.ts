/**
 * Fake Pushgateways for the failure cases a real one will not produce on demand: node:http(s)
 * servers on 127.0.0.1 whose handler the test writes. Each records the requests it saw.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { tmpDir } from './helpers.ts';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FakeServer {
  url: string;
  seen: SeenRequest[];
  stop(): Promise<void>;
}

export type Handler = (req: SeenRequest, res: ServerResponse, n: number) => void;

async function listen(server: Server, scheme: 'http' | 'https', handler: Handler): Promise<FakeServer> {
  const seen: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(r);
      handler(r, res, seen.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    seen,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function fakeGateway(handler: Handler): Promise<FakeServer> {
  return listen(createServer(), 'http', handler);
}

export interface TestPki {
  caFile: string;
  certPem: string;
  keyPem: string;
}

/** A CA and a server certificate for 127.0.0.1, made with openssl now (never committed). */
export function makeTestPki(): TestPki {
  const dir = tmpDir('perfpulse-pki-');
  const f = (n: string) => join(dir, n);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  execFileSync('openssl', ['req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '1', '-subj', '/CN=perfpulse test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], { stdio: 'ignore' });
  execFileSync('openssl', ['req', ...ec, '-keyout', f('srv.key'), '-out', f('srv.csr'), '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
  writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  execFileSync('openssl', ['x509', '-req', '-in', f('srv.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial',
    '-out', f('srv.pem'), '-days', '1', '-extfile', f('ext.cnf')], { stdio: 'ignore' });
  return { caFile: f('ca.pem'), certPem: readFileSync(f('srv.pem'), 'utf8'), keyPem: readFileSync(f('srv.key'), 'utf8') };
}

export function fakeHttpsGateway(pki: TestPki, handler: Handler): Promise<FakeServer> {
  return listen(createHttpsServer({ cert: pki.certPem, key: pki.keyPem }), 'https', handler);
}

/**
 * Passes a request a fake server saw on to a real gateway and its answer back: a misbehaving
 * network peer in front of a real Pushgateway (slow, or failing only some groups) still lets what it
 * passes reach the real one.
 */
export function relay(gatewayUrl: string, req: SeenRequest, res: ServerResponse): void {
  const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : req.body;
  const type = req.headers['content-type'];
  fetch(`${gatewayUrl}${req.url}`, { method: req.method, ...(body !== undefined ? { body } : {}), headers: type ? { 'content-type': type } : {} }).then(
    async (answer) => {
      const text = await answer.text();
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' }).end(text);
    },
    (err: Error) => res.writeHead(502).end(`relay: ${err.message}`),
  );
}
