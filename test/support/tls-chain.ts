/**
 * A certificate chain made with `openssl` at test time (never committed): a root CA, an
 * intermediate CA and a server certificate for 127.0.0.1 and localhost, each valid for the days
 * asked, so a test knows which one expires first. `notAfterSeconds` reads a certificate's
 * notAfter back with `openssl x509 -enddate`, independently of what the probes read.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpDir } from './helpers.ts';

export interface Chain {
  dir: string;
  /** PEM of the root CA: what a client trusts. */
  ca: string;
  caFile: string;
  intermediate: string;
  leaf: string;
  /** The server's key (PEM). */
  key: string;
  /** What the server serves: leaf then intermediate (PEM). */
  served: string;
}

export function makeChain(days: { ca: number; intermediate: number; leaf: number }): Chain {
  const dir = tmpDir('perfpulse-tls-chain-');
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', String(days.ca), '-subj', '/CN=perfpulse-test-root');
  ssl('req', ...ec, '-keyout', 'int.key', '-out', 'int.csr', '-subj', '/CN=perfpulse-test-intermediate');
  writeFileSync(join(dir, 'int.ext'), 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n');
  ssl('x509', '-req', '-in', 'int.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'int.crt', '-days', String(days.intermediate), '-extfile', 'int.ext');
  ssl('req', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'leaf.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  ssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'int.crt', '-CAkey', 'int.key', '-CAcreateserial', '-out', 'leaf.crt', '-days', String(days.leaf), '-extfile', 'leaf.ext');
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return { dir, ca: read('ca.crt'), caFile: join(dir, 'ca.crt'), intermediate: read('int.crt'), leaf: read('leaf.crt'), key: read('leaf.key'), served: read('leaf.crt') + read('int.crt') };
}

/** The notAfter of a PEM certificate in Unix seconds, as `openssl x509 -enddate` prints it. */
export function notAfterSeconds(pem: string): number {
  const out = execFileSync('openssl', ['x509', '-noout', '-enddate'], { input: pem, encoding: 'utf8' });
  const m = /^notAfter=(.+)$/m.exec(out.trim());
  if (!m) throw new Error(`openssl printed no notAfter: ${out}`);
  const ms = Date.parse((m[1] as string).replace(/\s+/g, ' '));
  if (!Number.isFinite(ms)) throw new Error(`cannot read the date ${m[1]}`);
  return ms / 1000;
}
