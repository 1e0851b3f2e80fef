/**
 * One push against fake gateways (node http/https on 127.0.0.1): which failures are retried, the
 * hard deadline (a hang and a trickling body), TLS trust and credentials.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { UserError } from '../src/errors.ts';
import { freePort } from '../src/net.ts';
import { gatewayAccess } from '../src/push/access.ts';
import { pushGroup } from '../src/push/pushgateway.ts';
import { DEFAULT_RETRY, backoffMs, pushWithRetry, type RetryPolicy } from '../src/push/retry.ts';
import { fakeGateway, fakeHttpsGateway, makeTestPki, type FakeServer } from './support/fake-gateway.ts';
import { tmpDir } from './support/helpers.ts';

const fast: RetryPolicy = { attempts: 3, attemptDeadlineMs: 1500, baseDelayMs: 50, maxDelayMs: 200 };
const body = 'perfpulse_test_value 1\n';
const req = (gateway: string) => ({ gateway, job: 'perfpulse_test', grouping: { env: 'lab' }, body });

describe('push retries (fake gateways)', () => {
  const servers: FakeServer[] = [];
  after(async () => {
    for (const s of servers) await s.stop();
  });

  it('connection refused: tried 3 times, then reported without throwing', async () => {
    const port = await freePort();
    const retries: number[] = [];
    const out = await pushWithRetry(req(`http://127.0.0.1:${port}`), { policy: fast, onRetry: (_f, n) => retries.push(n) });
    assert.equal(out.ok, false);
    assert.equal(out.attempts, 3);
    assert.deepEqual(retries, [1, 2]);
    assert.match(out.message, /ECONNREFUSED/);
  });

  it('500 then 200: retried, delivered on the 2nd attempt with the same body and grouping', async () => {
    const gw = await fakeGateway((_r, res, n) => {
      res.statusCode = n === 1 ? 500 : 200;
      res.end(n === 1 ? 'storage hiccup' : '');
    });
    servers.push(gw);
    const out = await pushWithRetry(req(gw.url), { policy: fast });
    assert.equal(out.ok, true, out.message);
    assert.equal(out.attempts, 2);
    assert.equal(gw.seen.length, 2);
    for (const r of gw.seen) {
      assert.equal(r.method, 'PUT');
      assert.equal(r.url, '/metrics/job/perfpulse_test/env/lab');
      assert.equal(r.body, body);
      assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    }
  });

  it('429 with Retry-After: retried', async () => {
    const gw = await fakeGateway((_r, res, n) => {
      res.statusCode = n === 1 ? 429 : 202;
      if (n === 1) res.setHeader('retry-after', '0');
      res.end();
    });
    servers.push(gw);
    const out = await pushWithRetry(req(gw.url), { policy: fast });
    assert.equal(out.ok, true, out.message);
    assert.equal(out.attempts, 2);
  });

  it('400: never retried; the gateway\'s reason comes back on one line', async () => {
    const gw = await fakeGateway((_r, res) => {
      res.statusCode = 400;
      res.end('pushed metrics are invalid or inconsistent with existing metrics:\ncollected metric "x" has help "a" but should have "b"\n');
    });
    servers.push(gw);
    const out = await pushWithRetry(req(gw.url), { policy: fast });
    assert.equal(out.ok, false);
    assert.equal(out.status, 400);
    assert.equal(out.attempts, 1);
    assert.equal(gw.seen.length, 1);
    assert.equal(out.message.split('\n').length, 1);
    assert.match(out.message, /^400 pushed metrics are invalid .* should have "b"$/);
  });

  it('a gateway that never answers: each attempt ends at its deadline', async () => {
    const gw = await fakeGateway(() => undefined); // reads the request, never answers
    servers.push(gw);
    const started = Date.now();
    const out = await pushWithRetry(req(gw.url), { policy: { ...fast, attempts: 2 } });
    assert.equal(out.ok, false);
    assert.equal(out.attempts, 2);
    assert.equal(gw.seen.length, 2);
    assert.match(out.message, /no complete answer within 1500 ms/);
    assert.ok(Date.now() - started >= 2 * 1500, 'both attempts waited for their deadline');
  });

  it('a gateway that trickles its answer one byte at a time: the deadline still hits', async () => {
    const timers: NodeJS.Timeout[] = [];
    const gw = await fakeGateway((_r, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const t = setInterval(() => res.write('.'), 100);
      timers.push(t);
      res.on('close', () => clearInterval(t));
    });
    servers.push(gw);
    const out = await pushGroup({ ...req(gw.url), deadlineMs: 1200 });
    for (const t of timers) clearInterval(t);
    assert.equal(out.ok, false, 'a 200 whose body never ends is not a delivery');
    assert.match(out.message, /no complete answer within 1200 ms/);
    assert.equal(out.retryable, true);
  });

  it('a gateway that closes the connection in the middle of its answer: an error, retried, not a hang', async () => {
    const gw = await fakeGateway((_r, res, n) => {
      if (n === 1) {
        res.writeHead(200, { 'content-length': '100' });
        res.write('partial');
        setTimeout(() => res.socket?.destroy(), 50);
      } else res.end();
    });
    servers.push(gw);
    const failures: string[] = [];
    const out = await pushWithRetry(req(gw.url), { policy: fast, onRetry: (f) => failures.push(f.message) });
    assert.equal(out.ok, true, out.message);
    assert.equal(out.attempts, 2, 'the cut-off answer did not count as delivered');
    assert.equal(failures.length, 1);
    assert.match(failures[0] as string, /ECONNRESET/, 'seen as a reset, not waited out until the deadline');
  });

  it('stops retrying when the overall deadline leaves no time', async () => {
    const port = await freePort();
    const out = await pushWithRetry(req(`http://127.0.0.1:${port}`), { policy: fast, deadlineAt: Date.now() + 100 });
    assert.equal(out.attempts, 0);
    assert.equal(out.ok, false);
  });

  it('backoff grows exponentially with jitter in [½, 1] and is capped', () => {
    assert.equal(backoffMs(DEFAULT_RETRY, 1, () => 0), 250);
    assert.equal(backoffMs(DEFAULT_RETRY, 1, () => 0.999999), 500);
    assert.equal(backoffMs(DEFAULT_RETRY, 2, () => 0.999999), 1000);
    assert.equal(backoffMs(DEFAULT_RETRY, 10, () => 0.999999), DEFAULT_RETRY.maxDelayMs);
    const worst = DEFAULT_RETRY.attempts * DEFAULT_RETRY.attemptDeadlineMs + backoffMs(DEFAULT_RETRY, 1, () => 0.999999) + backoffMs(DEFAULT_RETRY, 2, () => 0.999999);
    assert.ok(worst < 30_000, `3 attempts and their backoff (${worst} ms) fit a 30 s SIGTERM grace period`);
  });
});

describe('TLS and credentials', () => {
  const pki = makeTestPki();
  const servers: FakeServer[] = [];
  after(async () => {
    for (const s of servers) await s.stop();
  });
  const ok = (_r: unknown, res: import('node:http').ServerResponse) => {
    res.statusCode = 200;
    res.end();
  };

  it('an unknown CA: a clear one-line error, not retried; --pushgateway-ca or --insecure-skip-tls-verify fix it', async () => {
    const gw = await fakeHttpsGateway(pki, ok);
    servers.push(gw);
    const refused = await pushWithRetry(req(gw.url), { policy: fast });
    assert.equal(refused.ok, false);
    assert.equal(refused.attempts, 1, 'a certificate problem is not retried');
    assert.match(refused.message, /^TLS: the gateway's certificate is not trusted \([A-Z_]+\); pass --pushgateway-ca <file>/);
    assert.equal(gw.seen.length, 0, 'nothing was sent to an untrusted server');

    const withCa = await pushWithRetry({ ...req(gw.url), access: gatewayAccess(gw.url, { pushgatewayCa: pki.caFile }, {}) }, { policy: fast });
    assert.equal(withCa.ok, true, withCa.message);
    const insecure = await pushWithRetry({ ...req(gw.url), access: gatewayAccess(gw.url, { insecureSkipTlsVerify: true }, {}) }, { policy: fast });
    assert.equal(insecure.ok, true, insecure.message);
    assert.equal(gw.seen.length, 2);
  });

  it('Basic auth from a password file, a bearer token from a file, or the URL\'s user-info', async () => {
    const gw = await fakeGateway(ok);
    servers.push(gw);
    const dir = tmpDir();
    writeFileSync(join(dir, 'pw'), 's3cret-pw\n');
    writeFileSync(join(dir, 'token'), 'tok-123\n');
    const basic = gatewayAccess(gw.url, {}, { PERFPULSE_PUSHGATEWAY_USERNAME: 'pusher', PERFPULSE_PUSHGATEWAY_PASSWORD_FILE: join(dir, 'pw') });
    const bearer = gatewayAccess(gw.url, {}, { PERFPULSE_PUSHGATEWAY_TOKEN_FILE: join(dir, 'token') });
    const withUserInfo = gw.url.replace('http://', 'http://u%40x:p%3Aw@');
    for (const [gateway, access] of [[gw.url, basic], [gw.url, bearer], [withUserInfo, gatewayAccess(withUserInfo, {}, {})]] as const) {
      const out = await pushGroup({ ...req(gateway), access });
      assert.equal(out.ok, true, out.message);
    }
    assert.deepEqual(
      gw.seen.map((r) => r.headers.authorization),
      [`Basic ${Buffer.from('pusher:s3cret-pw').toString('base64')}`, 'Bearer tok-123', `Basic ${Buffer.from('u@x:p:w').toString('base64')}`],
    );
  });

  it('credentials given twice, a half pair or an unreadable file are bad input (exit 2)', () => {
    const cases: [NodeJS.ProcessEnv, RegExp][] = [
      [{ PERFPULSE_PUSHGATEWAY_TOKEN: 't', PERFPULSE_PUSHGATEWAY_USERNAME: 'u', PERFPULSE_PUSHGATEWAY_PASSWORD: 'p' }, /given twice/],
      [{ PERFPULSE_PUSHGATEWAY_USERNAME: 'u' }, /neither PERFPULSE_PUSHGATEWAY_PASSWORD_FILE/],
      [{ PERFPULSE_PUSHGATEWAY_TOKEN_FILE: '/nonexistent/token' }, /cannot read PERFPULSE_PUSHGATEWAY_TOKEN_FILE \(\/nonexistent\/token\): no such file/],
    ];
    for (const [env, message] of cases) {
      assert.throws(() => gatewayAccess('http://gw:9091', {}, env), (e: unknown) => e instanceof UserError && e.exitCode === 2 && message.test(e.message));
    }
    assert.throws(() => gatewayAccess('http://a:b@gw:9091', {}, { PERFPULSE_PUSHGATEWAY_TOKEN: 't' }), /given twice/);
    assert.throws(() => gatewayAccess('http://gw', { pushgatewayCa: '/nonexistent/ca.pem' }, {}), /cannot read --pushgateway-ca/);
  });
});
