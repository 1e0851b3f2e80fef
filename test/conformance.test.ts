/**
 * `npm run conformance` (issue 13): the proxy that puts the real front ends and the replica behind
 * one origin, and the orchestrator that runs the real CLI through it. Real servers only: the
 * replica, small front-end servers defined here, Debian Chromium and a real Pushgateway for the
 * end-to-end runs (with a test-only front end; the real front ends need clones that CI has not).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, get as httpGet, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadProfile } from '../src/config/profile.ts';
import { startReplica, type Replica } from '../src/replica/server.ts';
import { availableJourneys, PROJECT_ROOT } from '../src/runtime/runner/journeys.ts';
import type { FrontEnd } from '../conformance/frontend.ts';
import { FRONT_ENDS, frontEnd } from '../conformance/frontends/index.ts';
import { startProxy, type Proxy } from '../conformance/proxy.ts';
import { byRouteKey, CONFORMANCE_EXIT, conformanceProfileYaml, runConformance, type ConformanceIo } from '../conformance/run.ts';
import { descendants, stillRunning } from './support/processes.ts';
import { tmpDir } from './support/helpers.ts';

interface TestServer {
  origin: string;
  server: Server;
  sockets: Set<Socket>;
  /** Requests it received, `METHOD url`. */
  seen: string[];
  close(): Promise<void>;
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    server,
    sockets,
    seen,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const readAll = (req: IncomingMessage) =>
  new Promise<string>((r) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => r(body));
  });

describe('conformance proxy', () => {
  let replica: Replica;
  let fe: TestServer;
  let proxy: Proxy;
  const BIG = 'CFHT/big-conformance.fits.fz';
  const BIG_SIZE = 48 * 1024 * 1024 + 17;

  before(async () => {
    replica = await startReplica({ fileSizes: { [BIG]: BIG_SIZE, 'CFHT/1722795p.fits.fz': 1024 } });
    fe = await serve((req, res) => {
      const path = req.url ?? '/';
      if (path.startsWith('/fe/echo')) {
        void readAll(req).then((body) => {
          res.writeHead(200, { 'content-type': 'text/plain', 'x-seen-host': req.headers.host ?? '', 'x-seen-cookie': req.headers.cookie ?? '' });
          res.end(`front end got ${req.method} ${path}: ${body}`);
        });
      } else if (path === '/fe/redirect-own') {
        res.writeHead(302, { location: `${fe.origin}/fe/next?x=1`, 'set-cookie': ['A=1; Path=/; HttpOnly', 'B=2; Path=/fe'] });
        res.end();
      } else if (path === '/fe/redirect-foreign') {
        res.writeHead(303, { location: 'http://foreign.invalid/page' });
        res.end();
      } else if (path === '/fe/redirect-relative') {
        res.writeHead(307, { location: '/fe/elsewhere' });
        res.end();
      } else if (path === '/fe/hang') {
        // never answers
      } else if (path === '/fe/short') {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '1000' });
        res.write(Buffer.alloc(10));
        setTimeout(() => res.socket?.destroy(), 50);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    proxy = await startProxy({ replicaOrigin: replica.origin });
    proxy.addUpstream({ name: 'fe', origin: fe.origin, owns: (_m, p) => p.startsWith('/fe/') });
  });
  after(async () => {
    await proxy.stop();
    await fe.close();
    await replica.stop();
  });

  it('routes what a front end owns to it, with body, query, Host and cookies, and the rest to the replica', async () => {
    const before = proxy.counts();
    const res = await fetch(`${proxy.origin}/fe/echo?q=1`, { method: 'POST', body: 'hello', headers: { cookie: 'CADC_SSO=abc' } });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'front end got POST /fe/echo?q=1: hello');
    assert.equal(res.headers.get('x-seen-host'), new URL(proxy.origin).host, 'Host stays the public origin');
    assert.equal(res.headers.get('x-seen-cookie'), 'CADC_SSO=abc');
    const login = await fetch(`${proxy.origin}/access/login`);
    assert.equal(login.status, 200);
    assert.match(await login.text(), /id="loginForm"/, 'the replica answers what no front end owns');
    assert.ok(!fe.seen.includes('GET /access/login'));
    const counts = proxy.counts();
    assert.equal((counts.get('fe')?.requests ?? 0) - (before.get('fe')?.requests ?? 0), 1);
    assert.equal((counts.get('replica')?.requests ?? 0) - (before.get('replica')?.requests ?? 0), 1);
  });

  it('streams a large download byte-exactly, and keeps the replica\'s redirect on the public origin', async () => {
    const first = await fetch(`${proxy.origin}/data/pub/${BIG}`, { redirect: 'manual' });
    assert.equal(first.status, 303);
    const location = first.headers.get('location') ?? '';
    assert.ok(location.startsWith(`${proxy.origin}/minoc/files/`), `Location on the proxy: ${location.slice(0, 60)}`);
    const hash = async (url: string) => {
      const res = await fetch(url);
      assert.equal(res.status, 200);
      const h = createHash('sha256');
      let n = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        h.update(chunk);
        n += chunk.length;
      }
      return { sha: h.digest('hex'), n, length: res.headers.get('content-length') };
    };
    const via = await hash(location);
    const direct = await hash(location.replace(proxy.origin, replica.origin));
    assert.equal(via.n, BIG_SIZE);
    assert.equal(via.length, String(BIG_SIZE));
    assert.deepEqual(via, direct);
  });

  it('passes Set-Cookie and status, rewrites only a Location on the front end\'s own origin, follows no redirect', async () => {
    const own = await fetch(`${proxy.origin}/fe/redirect-own`, { redirect: 'manual' });
    assert.equal(own.status, 302);
    assert.equal(own.headers.get('location'), `${proxy.origin}/fe/next?x=1`);
    assert.deepEqual(own.headers.getSetCookie(), ['A=1; Path=/; HttpOnly', 'B=2; Path=/fe']);
    const foreign = await fetch(`${proxy.origin}/fe/redirect-foreign`, { redirect: 'manual' });
    assert.equal(foreign.status, 303);
    assert.equal(foreign.headers.get('location'), 'http://foreign.invalid/page');
    const relative = await fetch(`${proxy.origin}/fe/redirect-relative`, { redirect: 'manual' });
    assert.equal(relative.status, 307);
    assert.equal(relative.headers.get('location'), '/fe/elsewhere');
    assert.ok(!fe.seen.includes('GET /fe/next?x=1'), 'the proxy followed no redirect');
  });

  it('breaks the browser\'s response off when the front end breaks off mid-body (never a short body that looks whole)', async () => {
    const res = await fetch(`${proxy.origin}/fe/short`);
    assert.equal(res.status, 200);
    await assert.rejects(res.arrayBuffer());
  });

  it('answers 502 with one line naming an upstream that is not listening', async () => {
    const gone = await serve(() => undefined);
    await gone.close();
    const p = await startProxy({ replicaOrigin: replica.origin });
    p.addUpstream({ name: 'gone', origin: gone.origin, owns: () => true });
    try {
      const res = await fetch(`${p.origin}/anything?token=secret`);
      assert.equal(res.status, 502);
      const text = await res.text();
      assert.match(text, /^conformance proxy: gone at http:\/\/127\.0\.0\.1:\d+ did not answer GET \/anything: ECONNREFUSED\n$/);
      assert.equal(p.counts().get('gone')?.errors, 1);
      assert.deepEqual(p.counts().get('gone')?.errorKinds, new Map([['GET /anything 502', 1]]), 'counted without the query');
    } finally {
      await p.stop();
    }
  });

  it('stops cleanly while an upstream hangs: the browser\'s request fails and the upstream\'s connection closes', async () => {
    const p = await startProxy({ replicaOrigin: replica.origin });
    p.addUpstream({ name: 'fe', origin: fe.origin, owns: (_m, path) => path.startsWith('/fe/') });
    const reached = fe.seen.filter((s) => s === 'GET /fe/hang').length;
    const failed = new Promise<string>((resolve) => {
      const req = httpGet(`${p.origin}/fe/hang`, () => resolve('answered'));
      req.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    });
    while (fe.seen.filter((s) => s === 'GET /fe/hang').length === reached) await new Promise((r) => setTimeout(r, 10));
    const upstreamSockets = [...fe.sockets];
    await p.stop();
    assert.equal(await failed, 'ECONNRESET');
    for (const s of upstreamSockets) if (!s.destroyed) await new Promise((r) => s.once('close', r));
    assert.equal([...upstreamSockets].filter((s) => !s.destroyed).length, 0);
  });
});

describe('conformance report', () => {
  it('names the replica\'s answers ≥ 400 by route key, never by a path holding a token', async () => {
    const replica = await startReplica();
    try {
      const kinds = new Map([
        ['GET /minoc/files/0123456789abcdef/cadc:CFHT/x.fits 404', 2],
        ['GET /ac/whoami 401', 3],
        ['GET /no/such/route 404', 1],
      ]);
      assert.deepEqual(
        byRouteKey(kinds, replica.routeKeys),
        new Map([
          ['GET /minoc/files/{token}/{uri+} 404', 2],
          ['GET /ac/whoami 401', 3],
          ['GET /no/such/route 404', 1],
        ]),
      );
    } finally {
      await replica.stop();
    }
  });
});

describe('conformance front-end registry', () => {
  it('lists front ends with unique folder-safe names, known journeys and a repository each', () => {
    const names = FRONT_ENDS.map((f) => f.name);
    assert.equal(new Set(names).size, names.length, `unique names: ${names.join(', ')}`);
    for (const f of FRONT_ENDS) {
      assert.match(f.name, /^[a-z0-9][a-z0-9-]*$/, f.name);
      assert.match(f.repo, /^[\w.-]+\/[\w.-]+$/, f.repo);
      assert.ok(f.journeys.length && f.journeys.every((j) => availableJourneys().includes(j)), `${f.name}: ${f.journeys.join(', ')}`);
      assert.ok(f.fromReplica.every((l) => l.trim() && !l.includes('\n')), `${f.name}: one line each`);
    }
  });
  it('takes a module\'s default export, else its one FrontEnd export, and refuses anything else', () => {
    const fe = loginFrontEnd((h) => h);
    assert.equal(frontEnd({ default: fe }), fe);
    assert.equal(frontEnd({ fake: fe, VERSION: '1' }), fe);
    assert.throws(() => frontEnd({ VERSION: '1' }), /must export one FrontEnd \(found 0\)/);
    assert.throws(() => frontEnd({ a: fe, b: { ...fe } }), /found 2/);
  });
});

describe('conformance profile', () => {
  it('gives every URL role the proxy origin, needs no replica, runs no probes, and loads as a profile', async () => {
    const file = join(tmpDir(), 'conformance.yaml');
    writeFileSync(file, await conformanceProfileYaml('http://127.0.0.1:4321'));
    const p = loadProfile(file);
    assert.equal(p.replica, false);
    assert.deepEqual(Object.values(p.urls), Array(5).fill('http://127.0.0.1:4321'));
    assert.equal(p.probes, undefined);
    assert.equal(p.journeys.search?.target, 'M101');
    assert.equal(p.journeys.science_portal?.launch, undefined, 'launching comes from --launch-sessions');
  });
});

function capture(env: NodeJS.ProcessEnv = {}): ConformanceIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PERFPULSE_'))), ...env },
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
  };
  return io;
}

/** A git work tree with one commit, as a front end's clone. */
function fakeClone(sources: string, name: string): string {
  const dir = join(sources, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'README'), 'a test front end\n');
  const git = (...args: string[]) => {
    const r = spawnSync('git', ['-C', dir, '-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  };
  git('init', '-q');
  git('add', 'README');
  git('commit', '-q', '-m', 'test front end');
  return git('rev-parse', 'HEAD');
}

/** A test-only front end: owns GET /access/login and answers it with `page(replicaLoginHtml)` from its own server. */
function loginFrontEnd(page: (replicaHtml: string) => string, check: FrontEnd['check'] = () => null): FrontEnd & { served: () => number } {
  let served = 0;
  return {
    name: 'fake-login',
    repo: 'example/fake-login',
    journeys: ['login'],
    fromReplica: ['everything but the login page (a test front end)'],
    owns: (method, path) => method === 'GET' && path.split('?')[0] === '/access/login',
    check,
    served: () => served,
    async start(opts) {
      assert.match(opts.publicOrigin, /^http:\/\/127\.0\.0\.1:\d+$/);
      const s = await serve((req, res) => {
        served++;
        void fetch(`${opts.replicaOrigin}${req.url}`).then(async (r) => {
          const html = page(await r.text());
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
          res.end(html);
        });
      });
      return { origin: s.origin, stop: s.close };
    },
  };
}

describe('npm run conformance', () => {
  it('with no sources prints exactly one line and exits 0 (counts as no test)', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PERFPULSE_')));
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'conformance', 'run.ts')], { cwd: tmpDir(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('close', r));
    assert.equal(code, 0);
    assert.equal(out, '');
    assert.equal(err.split('\n').filter(Boolean).length, 1, err);
    assert.match(err, /^conformance: .*nothing run \(counts as no test\)\n$/);

    // the same with the registry holding a front end: the line says what was looked for and how to give it
    const io = capture();
    assert.equal(await runConformance([], [loginFrontEnd((h) => h)], io), CONFORMANCE_EXIT.ok);
    assert.equal(io.out, '');
    assert.equal(io.err, 'conformance: no front-end sources: give --sources <dir> or $PERFPULSE_CONFORMANCE_SOURCES, a directory holding git clones <dir>/<name> of fake-login; nothing run (counts as no test)\n');
  });

  it('with a sources directory but no clone in it prints one line and exits 0', async () => {
    const sources = tmpDir();
    const io = capture({ PERFPULSE_CONFORMANCE_SOURCES: sources });
    assert.equal(await runConformance([], [loginFrontEnd((h) => h)], io), CONFORMANCE_EXIT.ok);
    assert.equal(io.err, `conformance: no clone of fake-login under ${sources} (looked for ${sources}/<name>, each a git work tree); nothing run (counts as no test)\n`);
  });

  it('names a clone that fails check, runs nothing that needs it, and exits 3', async () => {
    const sources = tmpDir();
    fakeClone(sources, 'fake-login');
    const out = join(tmpDir(), 'conformance.md');
    const io = capture();
    const fe = loginFrontEnd((h) => h, (dir) => `not built: no ${dir}/dist (build it in the clone first)`);
    const code = await runConformance(['--sources', sources, '--only', 'login', '--out', out], [fe], io);
    assert.equal(code, CONFORMANCE_EXIT.notServed);
    assert.ok(io.err.includes(`conformance: fake-login: not built: no ${sources}/fake-login/dist (build it in the clone first)\n`), io.err);
    assert.equal(fe.served(), 0);
    assert.ok(!existsSync(out), 'no report when nothing ran');
  });

  it('names a front end that does not start, runs nothing that needs it, and exits 3', async () => {
    const sources = tmpDir();
    fakeClone(sources, 'fake-login');
    const io = capture();
    const fe = { ...loginFrontEnd((h) => h), start: () => Promise.reject(new Error('its server exited 1 before it was ready')) };
    assert.equal(await runConformance(['--sources', sources, '--only', 'login', '--out', join(tmpDir(), 'c.md')], [fe], io), CONFORMANCE_EXIT.notServed);
    assert.ok(io.err.includes('conformance: fake-login: did not start: its server exited 1 before it was ready\n'), io.err);
    assert.ok(io.err.endsWith('conformance: nothing can run: every selected journey needs a front end that could not be served\n'), io.err);
    assert.deepEqual(stillRunning(descendants(process.pid)).map((p) => p.comm), [], 'nothing left running');
  });

  it('refuses bad input with one line and exit code 2', async () => {
    for (const [args, line] of [
      [['--bogus'], /^conformance: Unknown option '--bogus' \(see --help\)\n$/],
      [['--only', 'nope'], /^conformance: --only: unknown nope: journeys are download, login, science_portal, search, storage; front ends are fake-login\n$/],
      [['--sources', '/nonexistent/conformance-sources'], /^conformance: --sources \/nonexistent\/conformance-sources is not a directory\n$/],
    ] as const) {
      const io = capture();
      assert.equal(await runConformance([...args], [loginFrontEnd((h) => h)], io), CONFORMANCE_EXIT.badInput, args.join(' '));
      assert.match(io.err, line);
    }
    const help = capture();
    assert.equal(await runConformance(['--help'], [loginFrontEnd((h) => h)], help), 0);
    assert.match(help.out, /Exit codes:\n {2}0 {3}every journey passed/);
  });

  it('end to end: the real CLI runs login in Chromium through the proxy on a test front end, and the report says so', async () => {
    const sources = tmpDir();
    const commit = fakeClone(sources, 'fake-login');
    const out = join(tmpDir(), 'docs', 'conformance.md');
    const io = capture();
    const fe = loginFrontEnd((html) => html);
    const code = await runConformance(['--sources', sources, '--only', 'login', '--out', out, '--artifacts', tmpDir()], [fe], io);
    assert.equal(code, CONFORMANCE_EXIT.ok, io.err.slice(-3000));
    assert.ok(fe.served() >= 1, 'the front end served the login page');
    assert.match(io.err, /conformance: fake-login [0-9a-f]{7} started on http:\/\/127\.0\.0\.1:\d+, for login\n/);
    assert.match(io.err, /▶ login/, "the CLI's progress is shown");
    const doc = readFileSync(out, 'utf8');
    assert.match(doc, /^<!-- Generated by `npm run conformance`/);
    assert.match(doc, /\*\*Result: 1 of 1 journeys passed\*\* \(exit code 0: every journey passed\)/);
    assert.ok(doc.includes(`| fake-login | example/fake-login | \`${commit}\` | HEAD of the clone, tracked files clean, no origin/HEAD | login | ${fe.served()} (0 with status ≥ 400) |`), doc);
    assert.ok(doc.includes('- fake-login: everything but the login page (a test front end)'));
    assert.match(doc, /\| login \| passed \| \d+\.\d{3} \| fake-login \(real\) \|/);
    for (const step of ['open_login_page', 'submit_credentials', 'see_user_menu', 'token_login']) assert.match(doc, new RegExp(`\\| ${step} \\| ok \\| \\d+\\.\\d{3} \\|`));
    assert.match(doc, /- Machine: linux \w+, \d+ cores, load average [\d.]+ [\d.]+ [\d.]+/);
    assert.match(doc, /Chromium \d+\.\d+\.\d+\.\d+ .*Playwright 1\.64\.1/);
    assert.match(io.out, /^login +\(journey\) +passed +\d+\.\d{3}$/m);
    assert.ok(!io.err.includes('demo-password-not-secret') && !doc.includes('demo-password-not-secret'), 'no password in logs or report');
    assert.deepEqual(stillRunning(descendants(process.pid)).map((p) => p.comm), [], 'nothing left running');
  });

  it('end to end: a journey that fails on the front end exits 1 and the report holds its failure line', async () => {
    const sources = tmpDir();
    fakeClone(sources, 'fake-login');
    const out = join(tmpDir(), 'conformance.md');
    const io = capture();
    fakeClone(sources, 'fake-search');
    const fe = loginFrontEnd(() => '<!doctype html><html><body><h1>No login form here</h1></body></html>');
    // a second front end, for search, that is not servable: search does not run, login still does
    const unbuilt: FrontEnd = { ...loginFrontEnd((h) => h), name: 'fake-search', repo: 'example/fake-search', journeys: ['search'], check: () => 'not built' };
    const code = await runConformance(['--sources', sources, '--only', 'fake-login,search', '--out', out, '--artifacts', tmpDir()], [fe, unbuilt], io);
    assert.equal(code, CONFORMANCE_EXIT.journeyFailed, io.err.slice(-3000));
    assert.ok(io.err.includes('conformance: fake-search: not built\n'), io.err);
    const doc = readFileSync(out, 'utf8');
    assert.match(doc, /\*\*Result: 0 of 2 journeys passed\*\* \(exit code 1: a journey failed\)/);
    assert.ok(doc.includes('| fake-search | example/fake-search | `'), doc);
    assert.ok(doc.includes('| NOT SERVED: not built | search | - |'), doc);
    assert.ok(doc.includes('| search | not run: fake-search not served | - | fake-search (not served) |'), doc);
    assert.match(io.out, /^search +\(journey\) +not run: fake-search not served +-$/m);
    assert.match(doc, /\| open_login_page \| FAILED \| \d+\.\d{3} \|/);
    // the failure line is the CLI's own (run --json), the same in the report and on stdout
    const line = /\nFailure: `(.+)`\n/.exec(doc)?.[1];
    assert.ok(line, 'a failure line in the report');
    assert.ok(io.out.includes(`\nlogin: ${line}\n`), io.out);
    assert.deepEqual(stillRunning(descendants(process.pid)).map((p) => p.comm), [], 'nothing left running');
  });

  it('on SIGINT stops the CLI first, then every server it started, writes no report and exits 4', async () => {
    const sources = tmpDir();
    fakeClone(sources, 'fake-login');
    const out = join(tmpDir(), 'conformance.md');
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PERFPULSE_')));
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'test', 'support', 'conformance-fake.ts'), '--sources', sources, '--only', 'login,science_portal', '--out', out, '--artifacts', tmpDir()], {
      cwd: tmpDir(),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    const started = new Promise<void>((resolve) =>
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        if (err.includes('▶ science_portal')) resolve();
      }),
    );
    const exited = new Promise<number | null>((r) => child.once('close', r));
    await Promise.race([started, exited]);
    const procs = descendants(child.pid as number);
    assert.ok(procs.some((p) => p.comm.startsWith('prometheus-push')), `the Pushgateway runs: ${procs.map((p) => p.comm).join(', ')}`);
    assert.ok(procs.some((p) => p.comm.startsWith('chromium')), 'Chromium runs');
    child.kill('SIGINT');
    assert.equal(await exited, CONFORMANCE_EXIT.aborted, err.slice(-2000));
    assert.match(err, /conformance: stopping: the CLI first, then every server\n/);
    assert.match(err, /conformance: aborted: no report written\n$/);
    assert.ok(!existsSync(out));
    assert.deepEqual(stillRunning(procs).map((p) => p.comm), [], 'nothing it started is left running');
  });
});
