/**
 * The CANFAR Science Portal (opencadc/science-portal): a Next.js 15 app whose backend-for-frontend
 * lives under /science-portal/api. Run as its Dockerfile's runner stage runs it (`node server.js`
 * from the standalone output, with `.next/static` and `public` beside it), in CANFAR auth mode, with
 * every upstream service URL its server reads (src/app/api/lib/server-config.ts) pointing at the
 * replica. The clone must already be built as its Dockerfile builds it; this file never builds it.
 *
 * The standalone tree is arranged in a temporary directory (server.js, package.json and the small
 * `.next` server tree copied, node_modules/static/public linked) so the running server can never
 * write into the clone. The server's own log echoes request headers and bodies (tokens, the login
 * form), so it is never printed: only its last lines before it is ready, if it fails to start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForHttpOk } from '../../src/net.ts';
import type { FrontEnd, FrontEndStartOptions, RunningFrontEnd } from '../frontend.ts';

/** The Dockerfile's NEXT_PUBLIC_BASE_PATH: every page, asset and BFF route lives under it. */
export const BASE_PATH = '/science-portal';
const NOT_BUILT = 'not built: build it as its Dockerfile does';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

const standalone = (dir: string) => join(dir, '.next', 'standalone');

/** The upstream URLs and mode the BFF reads at run time (server-config.ts, auth-config.ts, api-utils.ts). */
export function portalEnv(replicaOrigin: string, publicOrigin: string, port: number): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    PORT: String(port),
    HOSTNAME: '127.0.0.1',
    NEXT_PUBLIC_BASE_PATH: BASE_PATH,
    // CANFAR mode (username/password dialog, Bearer token) as in docker-compose.canfar.example.yml;
    // api-utils.ts and the auth routes test the server-only NEXT_USE_CANFAR.
    NEXT_USE_CANFAR: 'true',
    NEXT_PUBLIC_USE_CANFAR: 'true',
    LOGIN_API: `${replicaOrigin}/ac`,
    NEXT_PUBLIC_LOGIN_API: `${replicaOrigin}/ac`,
    AC_API: `${replicaOrigin}/ac`,
    SKAHA_API: `${replicaOrigin}/skaha`,
    NEXT_PUBLIC_SKAHA_API: `${replicaOrigin}/skaha`,
    SERVICE_STORAGE_API: `${replicaOrigin}/arc/nodes/home/`,
    API_TIMEOUT: '30000',
    // NextAuth still wraps the middleware in CANFAR mode; it needs a secret and the public origin.
    AUTH_SECRET: randomBytes(32).toString('hex'),
    AUTH_TRUST_HOST: 'true',
    NEXTAUTH_URL: publicOrigin,
  };
}

export const sciencePortal: FrontEnd = {
  name: 'science-portal',
  repo: 'opencadc/science-portal',
  journeys: ['science_portal'],
  owns(_method, path) {
    const pathname = path.split('?')[0] ?? '';
    return pathname === BASE_PATH || pathname.startsWith(`${BASE_PATH}/`);
  },
  fromReplica: [
    'skaha (SKAHA_API, /skaha/v1/session, /image, /context, /repository): the science platform service the BFF calls, not part of this repository',
    'the login service (LOGIN_API, /ac/login and /ac/whoami → /ac/users/{name}): the CADC access-control service the BFF calls, not part of this repository',
    'home storage (SERVICE_STORAGE_API, /arc/nodes/home/{user}): the VOSpace service the BFF calls for the storage widget, not part of this repository',
  ],
  check(dir) {
    const server = join(standalone(dir), 'server.js');
    if (!existsSync(server) || !existsSync(join(dir, '.next', 'static'))) return NOT_BUILT;
    if (!readFileSync(server, 'utf8').includes(`"basePath":"${BASE_PATH}"`)) {
      return `built without NEXT_PUBLIC_BASE_PATH=${BASE_PATH}: ${NOT_BUILT}`;
    }
    return null;
  },
  async start(opts: FrontEndStartOptions): Promise<RunningFrontEnd> {
    const { dir } = opts.source;
    const problem = sciencePortal.check(dir);
    if (problem) throw new Error(`science-portal: ${problem}`);
    const root = mkdtempSync(join(tmpdir(), 'perfpulse-science-portal-'));
    let child: ChildProcess | undefined;
    try {
      const built = standalone(dir);
      cpSync(join(built, 'server.js'), join(root, 'server.js'));
      cpSync(join(built, 'package.json'), join(root, 'package.json'));
      cpSync(join(built, '.next'), join(root, '.next'), { recursive: true });
      symlinkSync(join(built, 'node_modules'), join(root, 'node_modules'));
      symlinkSync(join(dir, '.next', 'static'), join(root, '.next', 'static'));
      symlinkSync(join(dir, 'public'), join(root, 'public'));

      const port = await freePort();
      const proc = spawn(process.execPath, [join(root, 'server.js')], {
        cwd: root,
        env: portalEnv(opts.replicaOrigin, opts.publicOrigin, port),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = proc;
      let tail = '';
      let ready = false;
      const keep = (chunk: Buffer) => {
        if (!ready) tail = (tail + chunk.toString('utf8')).slice(-2000);
      };
      proc.stdout?.on('data', keep);
      proc.stderr?.on('data', keep);
      let exited = false;
      proc.once('exit', () => (exited = true));
      const origin = `http://127.0.0.1:${port}`;
      const up = await waitForHttpOk(`${origin}${BASE_PATH}/api/health`, START_TIMEOUT_MS, () => !exited);
      ready = true;
      if (!up) {
        const last = tail.trim().split('\n').slice(-3).join(' | ');
        throw new Error(`science-portal: its server did not answer ${BASE_PATH}/api/health${exited ? ` (exited ${proc.exitCode})` : ` within ${START_TIMEOUT_MS / 1000} s`}${last ? `: ${last}` : ''}`);
      }
      return {
        origin,
        stop: async () => {
          await stopChild(proc);
          rmSync(root, { recursive: true, force: true });
        },
      };
    } catch (err) {
      if (child) await stopChild(child);
      rmSync(root, { recursive: true, force: true });
      throw err;
    }
  },
};

/** SIGTERM, then SIGKILL if it has not exited within STOP_TIMEOUT_MS. */
async function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await gone;
  clearTimeout(timer);
}

export default sciencePortal;
