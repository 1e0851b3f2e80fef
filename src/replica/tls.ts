/**
 * A throwaway certificate for the replica's HTTPS mode: a new key and a self-signed certificate for
 * 127.0.0.1, ::1 and localhost, made with openssl when the replica starts (node:crypto makes keys
 * but no certificates), valid for one day. Nothing is committed and nothing is kept: the files
 * live in a temporary folder removed before this returns.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyAndCert {
  /** PEM private key. */
  key: string;
  /** PEM certificate chain, leaf first. */
  cert: string;
}

export function throwawayCertificate(): KeyAndCert {
  const dir = mkdtempSync(join(tmpdir(), 'perfpulse-replica-tls-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '1',
        '-subj', '/CN=perfpulse-journeys replica', '-addext', 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost', '-addext', 'extendedKeyUsage=serverAuth'],
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
    const why = e.code === 'ENOENT' ? 'openssl is not installed' : String(e.stderr ?? e.message).split('\n')[0];
    throw new Error(`replica: cannot make a throwaway certificate: ${why}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
