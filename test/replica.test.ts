/** The replica's HTTP contract for the login (cadc-reference.md §2), checked without a browser. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { faultTable, parseFaultSpec } from '../src/replica/faults.ts';
import { startReplica } from '../src/replica/server.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { suiteReplica } from './support/replica.ts';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

describe('replica: CADC browser SSO', () => {
  const replica = suiteReplica();

  it('serves the login form with the real ids and names', async () => {
    const html = await (await fetch(`${replica.origin}/access/login`)).text();
    for (const piece of [
      '<form id="loginForm" class="access-control" method="post" action="/access/login">',
      'id="username" name="username" placeholder="CADC Username"',
      'id="password" name="password"',
      '<button type="submit" id="submitLogin"',
      'id="login_fail"',
      'class="user-authenticated canfar-authenticated',
      '<span class="auth-username">',
      '<a id="logout" href="/access/logout">',
    ]) {
      assert.ok(html.includes(piece), piece);
    }
  });

  it('answers a good POST with the relative SSO URL, then sets CADC_SSO and 303s to the target', async () => {
    const res = await fetch(`${replica.origin}/access/login`, form({ username: DEMO_USER.username, password: DEMO_USER.password, target: '/en/' }));
    assert.equal(res.status, 200);
    const ssoUrl = await res.text();
    assert.match(ssoUrl, /^\/access\/sso\?cookieValue=[^&]+&referer=%2Fen%2F&sites=$/);

    const sso = await fetch(`${replica.origin}${ssoUrl}`, { redirect: 'manual' });
    assert.equal(sso.status, 303);
    assert.equal(sso.headers.get('location'), '/en/');
    const cookie = sso.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^CADC_SSO="base64:[^"]+"; Secure; SameSite=None; HttpOnly; Max-Age=172800; Path=\/$/);

    const whoami = await fetch(`${replica.origin}/ac/whoami`, { headers: { cookie: cookie.split(';')[0] ?? '', accept: 'application/json' } });
    assert.equal(whoami.status, 200);
    assert.match(whoami.url, /\/ac\/users\/perfpulse-demo\?idType=HTTP$/);
    const doc = (await whoami.json()) as { user: { posixDetails: { username: { $: string } } } };
    assert.equal(doc.user.posixDetails.username.$, DEMO_USER.username);
  });

  it('refuses bad credentials with 401 and the real text, and anonymous whoami with 401', async () => {
    const res = await fetch(`${replica.origin}/access/login`, form({ username: DEMO_USER.username, password: 'wrong' }));
    assert.equal(res.status, 401);
    assert.equal(await res.text(), 'Your session has expired, or your username and password cannot be found.  Please go Back and try again.');
    assert.equal((await fetch(`${replica.origin}/ac/whoami`)).status, 401);
    const bad = await fetch(`${replica.origin}/access/sso?cookieValue=forged&referer=/`, { redirect: 'manual' });
    assert.equal(bad.status, 401);
    assert.equal(await bad.text(), 'Invalid or expired session.');
  });

  it('gives an API token on POST /ac/login with the x-vo headers', async () => {
    const res = await fetch(`${replica.origin}/ac/login`, form({ username: DEMO_USER.username, password: DEMO_USER.password }));
    assert.equal(res.status, 200);
    const token = await res.text();
    assert.equal(res.headers.get('x-vo-authenticated'), DEMO_USER.username);
    assert.equal(res.headers.get('x-vo-bearer'), token);
    const who = await fetch(`${replica.origin}/ac/whoami`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(who.status, 200);
    assert.equal((await fetch(`${replica.origin}/ac/login`, form({ username: 'x' }))).status, 400);
  });
});

describe('replica: fault injection', () => {
  it('stop() cancels an injected delay still pending, so no timer keeps the process alive', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const replica = await startReplica({ faults: faultTable(['GET /en/=delay:20000']) });
    const before = timers();
    const pending = fetch(`${replica.origin}/en/`).catch(() => 'cut');
    const deadline = Date.now() + 5000;
    while (timers() === before && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    assert.ok(timers() > before, 'the delayed request is waiting on its timer');
    await replica.stop();
    assert.equal(await pending, 'cut', 'the waiting client is cut off');
    assert.ok(timers() <= before, 'no timer of the delay is left after stop()');
  });

  it('parses fault specs and rejects bad ones with one line', () => {
    assert.deepEqual(parseFaultSpec('POST /access/login=delay:500'), ['POST /access/login', { delayMs: 500 }]);
    assert.deepEqual(parseFaultSpec('GET /en/=status:503,delay:10'), ['GET /en/', { status: 503, delayMs: 10 }]);
    assert.deepEqual(parseFaultSpec('GET /ac/whoami=hang'), ['GET /ac/whoami', { hang: true }]);
    for (const bad of ['/access/login=delay:5', 'POST /x=delay:-1', 'POST /x=status:99', 'POST /x=slow', 'POST /x']) {
      assert.throws(() => parseFaultSpec(bad), /bad replica fault/, bad);
    }
  });

  it('delays, fails and hangs exactly the route it names', async () => {
    const replica = await startReplica({
      faults: faultTable(['GET /access/login=delay:300', 'GET /en/=status:503', 'GET /ac/whoami=hang']),
    });
    try {
      const t = performance.now();
      assert.equal((await fetch(`${replica.origin}/access/login`)).status, 200);
      assert.ok(performance.now() - t >= 300, 'delayed by at least the injected 300 ms');
      assert.equal((await fetch(`${replica.origin}/en/login.html`)).status, 200);
      assert.equal((await fetch(`${replica.origin}/en/`)).status, 503);
      await assert.rejects(fetch(`${replica.origin}/ac/whoami`, { signal: AbortSignal.timeout(300) }), /TimeoutError|aborted/);
      assert.ok(replica.routeKeys.includes('POST /access/login'));
    } finally {
      await replica.stop();
    }
  });
});
