/**
 * A real Pushgateway for the tests (Debian's prometheus-pushgateway on 127.0.0.1, a free port,
 * persistence off: src/push/local-gateway.ts). `suiteGateway()`, called inside a describe, starts
 * one before its tests and stops it after them; `withGateway(fn)` gives one to a single test and
 * stops it however the test ends.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../src/net.ts';
import { exchange } from '../../src/push/http.ts';
import { pushgatewayBinary, startLocalPushgateway, stopProcess, type LocalGateway } from '../../src/push/local-gateway.ts';
import { tmpDir } from './helpers.ts';

/** The gateway of the enclosing describe: its fields are read once `before` has started it. */
export function suiteGateway(): LocalGateway {
  let gw: LocalGateway | undefined;
  before(async () => {
    gw = await startLocalPushgateway();
  });
  after(async () => {
    await gw?.stop();
  });
  const started = (): LocalGateway => {
    if (!gw) throw new Error('the suite gateway is not started yet: read it inside a test or a later hook');
    return gw;
  };
  return {
    get url() {
      return started().url;
    },
    get port() {
      return started().port;
    },
    get process() {
      return started().process;
    },
    stop: () => started().stop(),
  };
}

/** Runs `fn` with a gateway of its own, stopped afterwards whether `fn` passes or throws. */
export async function withGateway<T>(fn: (gw: LocalGateway) => Promise<T>, opts: { port?: number } = {}): Promise<T> {
  const gw = await startLocalPushgateway(opts);
  try {
    return await fn(gw);
  } finally {
    await gw.stop();
  }
}

/**
 * A bcrypt hash (cost 4) of GUARDED_GATEWAY_PASSWORD, made once with Python's crypt (glibc's
 * blowfish); a test password, not a secret. The Pushgateway's web config wants a hash, not the password.
 */
export const GUARDED_GATEWAY_USER = 'pusher';
export const GUARDED_GATEWAY_PASSWORD = 'check-gateway-pw';
const GUARDED_GATEWAY_HASH = '$2b$04$g05QcvgDt9v6yMybD/qagOFG9GanwiUDOqTLmQFY860imQ.iTR5Z2';

/**
 * A real prometheus-pushgateway behind its own TLS and Basic auth (`--web.config.file`, Prometheus'
 * exporter-toolkit): https on 127.0.0.1, a certificate from `pki`, user GUARDED_GATEWAY_USER.
 */
export async function startGuardedGateway(pki: { caFile: string; certPem: string; keyPem: string }): Promise<LocalGateway> {
  const dir = tmpDir('perfpulse-guarded-gw-');
  writeFileSync(join(dir, 'srv.pem'), pki.certPem);
  writeFileSync(join(dir, 'srv.key'), pki.keyPem, { mode: 0o600 });
  writeFileSync(
    join(dir, 'web.yml'),
    `tls_server_config:\n  cert_file: ${join(dir, 'srv.pem')}\n  key_file: ${join(dir, 'srv.key')}\nbasic_auth_users:\n  ${GUARDED_GATEWAY_USER}: ${GUARDED_GATEWAY_HASH}\n`,
  );
  const port = await freePort();
  const child = spawn(pushgatewayBinary(), [`--web.listen-address=127.0.0.1:${port}`, '--persistence.file=', '--log.level=warn', `--web.config.file=${join(dir, 'web.yml')}`], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const url = `https://127.0.0.1:${port}`;
  const access = {
    ca: readFileSync(pki.caFile, 'utf8'),
    authorization: `Basic ${Buffer.from(`${GUARDED_GATEWAY_USER}:${GUARDED_GATEWAY_PASSWORD}`).toString('base64')}`,
  };
  for (let i = 0; i < 200 && child.exitCode === null; i++) {
    const ready = await exchange(new URL(`${url}/-/ready`), { method: 'GET', deadlineMs: 1000, access }).then((a) => a.status === 200, () => false);
    if (ready) return { url, port, process: child, stop: () => stopProcess(child) };
    await sleep(50);
  }
  await stopProcess(child);
  throw new Error('the guarded Pushgateway did not become ready');
}
