/**
 * The replica's HTTP contract for download, skaha and the Science Portal's BFF (cadc-reference.md §4–§6,
 * §11), checked without a browser, plus the new fault kinds. Advanced Search: replica-search.test.ts; storage:
 * replica-storage.test.ts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { generateFiles, generateObservations } from '../src/replica/data.ts';
import { faultTable, parseFaultSpec } from '../src/replica/faults.ts';
import type { ReplicaImage } from '../src/replica/images.ts';
import { startReplica, type Replica } from '../src/replica/server.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import type { RunHandoff } from '../src/runtime/runner/handoff.ts';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

describe('replica: download, skaha', () => {
  let replica: Replica;
  let token: string;
  before(async () => {
    replica = await startReplica({ sessionPendingMs: 300, sessionTerminatingMs: 300 });
    token = await (await fetch(`${replica.origin}/ac/login`, form({ username: DEMO_USER.username, password: DEMO_USER.password }))).text();
  });
  after(() => replica.stop());

  it('generates the same observations and bytes on every start', () => {
    assert.deepEqual(generateObservations(), generateObservations());
    const a = generateFiles().get('CFHT/1722800p.fits.fz');
    const b = generateFiles().get('CFHT/1722800p.fits.fz');
    assert.ok(a && b);
    assert.equal(a.md5(), b.md5());
    assert.equal(a.bytes().subarray(0, 6).toString('latin1'), 'SIMPLE');
  });

  // Advanced Search and the Download Manager: test/replica-search.test.ts.

  it('/data/pub 303s to minoc, which streams the bytes with Content-Length, Digest, Content-Disposition, Last-Modified', async () => {
    const first = await fetch(`${replica.origin}/data/pub/CFHT/1722800p.fits.fz`, { redirect: 'manual' });
    assert.equal(first.status, 303);
    const location = first.headers.get('location') ?? '';
    assert.match(location, /\/minoc\/files\/[\w-]+\/cadc:CFHT\/1722800p\.fits\.fz$/);
    const file = await fetch(location);
    assert.equal(file.status, 200);
    const bytes = Buffer.from(await file.arrayBuffer());
    assert.equal(bytes.length, 256 * 1024);
    assert.equal(file.headers.get('content-length'), String(256 * 1024));
    assert.equal(file.headers.get('digest'), `md5=${createHash('md5').update(bytes).digest('base64')}`);
    assert.equal(file.headers.get('content-disposition'), 'inline; filename="1722800p.fits.fz"');
    assert.ok(Date.parse(file.headers.get('last-modified') ?? '') > 0);

    const head = await fetch(`${replica.origin}/data/pub/CFHT/1722800p.fits.fz`, { method: 'HEAD', redirect: 'manual' });
    assert.equal(head.status, 200, 'HEAD answers metadata without a redirect');
    assert.equal(head.headers.get('content-length'), String(256 * 1024));
    assert.equal((await fetch(`${replica.origin}/data/pub/CFHT/nope.fits`)).status, 404);
    const priv = await fetch(`${replica.origin}/data/pub/CFHT/2000001p.fits.fz`);
    assert.equal(priv.status, 401, 'private file: 303 to /data/auth, then 401');
    assert.match(priv.headers.get('www-authenticate') ?? '', /^Basic realm="CADC"/);
    assert.equal((await fetch(location.replace(/files\/[\w-]+\//, 'files/forged/'))).status, 403);
  });

  it('skaha v1: text id on create (query params, empty form body), Pending → Running → Terminating → 404', async () => {
    const auth = { authorization: `Bearer ${token}`, 'x-skaha-authentication-type': 'RUNTIME-TOKEN' };
    assert.equal((await fetch(`${replica.origin}/skaha/v1/session`)).status, 401);
    const q = new URLSearchParams({ name: 'probe1', image: 'images.canfar.net/skaha/astroml:latest', cores: '1', ram: '1' });
    const created = await fetch(`${replica.origin}/skaha/v1/session?${q}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(created.status, 200);
    const id = (await created.text()).trim();
    assert.match(id, /^[a-z0-9]{8}$/);
    const status = async () => ((await (await fetch(`${replica.origin}/skaha/v1/session/${id}`, { headers: auth })).json()) as { status: string }).status;
    assert.equal(await status(), 'Pending');
    await sleep(400);
    assert.equal(await status(), 'Running');
    const list = (await (await fetch(`${replica.origin}/skaha/v1/session`, { headers: auth })).json()) as Array<{ id: string }>;
    assert.ok(list.some((s) => s.id === id));
    const deleted = await fetch(`${replica.origin}/skaha/v1/session/${id}`, { method: 'DELETE', headers: auth });
    assert.equal(deleted.status, 200, 'skaha DeleteAction sets no status');
    assert.equal(await deleted.text(), '');
    assert.equal(await status(), 'Terminating');
    await sleep(400);
    assert.equal((await fetch(`${replica.origin}/skaha/v1/session/${id}`, { headers: auth })).status, 404);
    const badImage = await fetch(`${replica.origin}/skaha/v1/session?name=x&image=nope`, { method: 'POST', headers: auth });
    assert.equal(badImage.status, 400);
  });
});

describe('replica: the Science Portal BFF as the real routes answer (science-portal f6823b5 src/app/api)', () => {
  const images: ReplicaImage[] = [
    { id: 'images.canfar.net/skaha/astroml:24.07', types: ['notebook', 'headless'] },
    { id: 'images.canfar.net/skaha/astroml:23.11', types: ['notebook'] },
    { id: 'images.canfar.net/skaha/alpha:2', types: ['notebook', 'desktop'] },
    { id: 'images.canfar.net/other/tool:1', types: ['carta'] },
    { id: 'images.canfar.net/skaha/stress-ng:latest', types: ['headless'] },
    { id: 'not-an-image-id', types: ['notebook'] },
  ];
  let replica: Replica;
  let auth: Record<string, string>;
  before(async () => {
    replica = await startReplica({ images, sessionPendingMs: 300, sessionTerminatingMs: 300 });
    const token = (await (await fetch(`${replica.origin}/ac/login`, form({ username: DEMO_USER.username, password: DEMO_USER.password }))).text()).trim();
    auth = { authorization: `Bearer ${token}` };
  });
  after(() => replica.stop());

  it('skaha offers exactly the configured images; the BFF groups them by type and project, sorted, headless and bad ids left out', async () => {
    assert.deepEqual(await (await fetch(`${replica.origin}/skaha/v1/image`, { headers: auth })).json(), images);
    const grouped = (await (await fetch(`${replica.origin}/science-portal/api/sessions/images`, { headers: auth })).json()) as Record<string, Record<string, Array<{ label: string; id: string }>>>;
    assert.deepEqual(Object.keys(grouped).sort(), ['carta', 'desktop', 'notebook']);
    assert.deepEqual(grouped.notebook?.skaha?.map((i) => i.label), ['alpha:2', 'astroml:24.07', 'astroml:23.11']);
    assert.deepEqual(grouped.carta?.other?.[0], { id: 'images.canfar.net/other/tool:1', registry: 'images.canfar.net', project: 'other', name: 'tool:1', imageName: 'tool', version: '1', label: 'tool:1' });
    assert.deepEqual(await (await fetch(`${replica.origin}/science-portal/api/sessions/repository`, { headers: auth })).json(), [{ host: 'images.canfar.net' }]);
    assert.deepEqual(((await (await fetch(`${replica.origin}/science-portal/api/sessions/context`, { headers: auth })).json()) as { gpus: unknown }).gpus, { options: [0, 1] });
    assert.equal((await fetch(`${replica.origin}/science-portal/api/sessions/images`)).status, 401);
  });

  it('POST sessions: 201 with skaha\'s id text as it came (newline included); refusals carry skaha\'s text as message; DELETE 204', async () => {
    const post = (doc: unknown) => fetch(`${replica.origin}/science-portal/api/sessions`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(doc) });
    const created = await post({ sessionType: 'notebook', sessionName: 'bff1', containerImage: 'images.canfar.net/skaha/astroml:24.07' });
    assert.equal(created.status, 201);
    const doc = (await created.json()) as { id: string; name: string };
    assert.match(doc.id, /^[a-z0-9]{8}\n$/);
    assert.equal(doc.name, 'bff1');
    const refused = await post({ sessionType: 'notebook', sessionName: 'bff2', containerImage: 'images.canfar.net/skaha/astroml:latest' });
    assert.equal(refused.status, 400);
    assert.deepEqual(await refused.json(), { error: 'Bad Request', message: 'image not found: images.canfar.net/skaha/astroml:latest', status: 400, details: 'image not found: images.canfar.net/skaha/astroml:latest' });
    assert.equal((await post({ sessionType: 'notebook' })).status, 400);
    const deleted = await fetch(`${replica.origin}/science-portal/api/sessions/${doc.id.trim()}`, { method: 'DELETE', headers: auth });
    assert.equal(deleted.status, 204);
    assert.equal((await fetch(`${replica.origin}/science-portal/api/sessions/nosuch00`, { method: 'DELETE', headers: auth })).status, 404);
  });

  it('auth: login answers the typed username and the token; status reads whoami; anonymous status is "not authenticated", not an error', async () => {
    const login = await fetch(`${replica.origin}/science-portal/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: DEMO_USER.username, password: DEMO_USER.password }) });
    const doc = (await login.json()) as { user: unknown; token: string };
    assert.deepEqual(doc.user, { username: DEMO_USER.username, displayName: DEMO_USER.username });
    const status = await (await fetch(`${replica.origin}/science-portal/api/auth/status`, { headers: { authorization: `Bearer ${doc.token}` } })).json();
    assert.deepEqual(status, {
      authenticated: true,
      user: {
        username: DEMO_USER.username, email: DEMO_USER.email, displayName: 'Demo Observer', firstName: 'Demo', lastName: 'Observer', institute: DEMO_USER.institute,
        internalID: `ivo://cadc.nrc.ca/gms?${DEMO_USER.uid}`, numericID: '', uid: DEMO_USER.uid, gid: DEMO_USER.uid, homeDirectory: `/home/${DEMO_USER.username}`,
        identities: [{ type: 'HTTP', value: DEMO_USER.username }, { type: 'POSIX', value: String(DEMO_USER.uid) }],
      },
    });
    assert.deepEqual(await (await fetch(`${replica.origin}/science-portal/api/auth/status`)).json(), { authenticated: false });
    const refused = await fetch(`${replica.origin}/science-portal/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: DEMO_USER.username, password: 'wrong' }) });
    assert.equal(refused.status, 401);
  });
});

describe('replica faults: slow body and wrong page', () => {
  it('parses slowbody:<bytes/s> and wrongpage, and refuses nonsense', () => {
    assert.deepEqual(parseFaultSpec('GET /minoc/files/{token}/{uri+}=slowbody:65536'), ['GET /minoc/files/{token}/{uri+}', { bytesPerSecond: 65536 }]);
    assert.deepEqual(parseFaultSpec('GET /en/=wrongpage'), ['GET /en/', { wrongPage: true }]);
    assert.throws(() => parseFaultSpec('GET /en/=slowbody:0'), /slowbody:<bytes\/s>/);
    assert.throws(() => parseFaultSpec('GET /en/=wrongpage:1'), /unknown or invalid/);
  });

  it('a slow body keeps the status and headers prompt and stretches the body to size / rate', async () => {
    const replica = await startReplica({ faults: faultTable(['GET /minoc/files/{token}/{uri+}=slowbody:131072']) });
    try {
      const location = (await fetch(`${replica.origin}/data/pub/CFHT/1722800p.fits.fz`, { redirect: 'manual' })).headers.get('location') ?? '';
      const t0 = performance.now();
      const res = await fetch(location);
      const headersAfter = performance.now() - t0;
      const bytes = Buffer.from(await res.arrayBuffer());
      const total = performance.now() - t0;
      assert.equal(bytes.length, 256 * 1024, 'every byte arrives');
      assert.ok(total >= 1800, `256 KiB at 128 KiB/s took ${total.toFixed(0)} ms (>= 1800)`);
      assert.ok(headersAfter < total - 1000, `headers after ${headersAfter.toFixed(0)} ms, body done after ${total.toFixed(0)} ms`);
    } finally {
      await replica.stop();
    }
  });

  it('a wrong page answers 200 with the login form instead of the real page', async () => {
    const replica = await startReplica({ faults: faultTable(['GET /en/=wrongpage']) });
    try {
      const res = await fetch(`${replica.origin}/en/`);
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.ok(html.includes('<form id="loginForm"'));
      assert.ok(!html.includes('Offline replica of the CADC portal'));
    } finally {
      await replica.stop();
    }
  });
});

describe('trace redaction and the saved login', () => {
  it('rewrites a trace zip without the password, cookie values or tokens, and keeps it a valid zip', async () => {
    const { readZip, redactTrace, writeZip } = await import('../src/runtime/browser/trace-redact.ts');
    const { mkdtempSync, writeFileSync, readFileSync } = await import('node:fs');
    const { deflateRawSync } = await import('node:zlib');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const token = 'base64:ZXhwaXJ5dGltZT0xNzk1NTkwMjg0ODE3JnVzZXJpZD1wZXJmcHVsc2UtZGVtbw==';
    const network = JSON.stringify({
      snapshot: {
        request: { headers: [{ name: 'Cookie', value: `CADC_SSO="${token}"` }], postData: { text: 'username=u&password=s3cret%21pw' } },
        response: { headers: [{ name: 'x-vo-bearer', value: token }] },
      },
    });
    const file = join(mkdtempSync(join(tmpdir(), 'perfpulse-redact-')), 'trace.zip');
    writeFileSync(file, writeZip([
      { name: 'trace.network', data: Buffer.from(network) },
      { name: 'trace.trace', data: Buffer.from('{"params":{"value":"s3cret!pw"}} /access/sso?cookieValue=' + encodeURIComponent(token)) },
      { name: 'resources/abc.dat', data: Buffer.from(token) },
    ]));
    // A deflated entry (as Playwright writes them) must be readable too.
    const deflated = readZip(writeZip([{ name: 'x', data: Buffer.from('hello') }]));
    assert.equal(deflated[0]?.data.toString(), 'hello');
    assert.ok(deflateRawSync(Buffer.from('x')).length > 0);
    redactTrace(file, ['s3cret!pw']);
    const all = readZip(readFileSync(file)).map((e) => e.data.toString('latin1')).join('\n');
    for (const secret of ['s3cret!pw', 's3cret%21pw', token, encodeURIComponent(token)]) assert.ok(!all.includes(secret), secret);
    assert.ok(all.includes('[redacted]'));
    assert.ok(all.includes('username=u'), 'what is not secret stays');
  });

  it('saves the storage state with mode 0600 next to the run results and discards it', async () => {
    const { mkdtempSync, statSync, existsSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { chromium } = await import('playwright-core');
    const dir = mkdtempSync(join(tmpdir(), 'perfpulse-auth-'));
    const handoff = { profile: { name: 'x', urls: {}, journeys: {}, replicaFaults: [] }, browserPath: '/usr/bin/chromium', resultsFile: join(dir, 'results.json'), outputDir: dir } as unknown as RunHandoff;
    const { authStatePath, discardAuthState, saveAuthState } = await import('../src/runtime/browser/auth-state.ts');
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
    try {
      const context = await browser.newContext();
      await context.addCookies([{ name: 'CADC_SSO', value: '"tok"', url: 'http://127.0.0.1:1/' }]);
      const file = await saveAuthState(context, authStatePath(handoff));
      assert.equal(file, join(dir, 'perfpulse-auth-state.json'), 'next to the run results');
      assert.equal(statSync(file).mode & 0o777, 0o600);
      discardAuthState(undefined, file);
      assert.equal(existsSync(file), false);
    } finally {
      await browser.close();
    }
  });
});
