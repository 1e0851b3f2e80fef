/**
 * The Science Portal front end of `npm run conformance` (conformance/frontends/science-portal.ts),
 * without a build: what it owns, what check() says about a clone, and the environment its server gets.
 * Running the built app is what `npm run conformance` itself does (docs/conformance.md).
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { portalEnv, sciencePortal } from '../conformance/frontends/science-portal.ts';
import { tmpDir } from './support/helpers.ts';

describe('conformance front end: science-portal', () => {
  it('owns /science-portal and everything under it (pages, _next assets, the BFF), nothing else', () => {
    for (const path of ['/science-portal', '/science-portal?tab=standard', '/science-portal/', '/science-portal/_next/static/chunks/x.js', '/science-portal/api/sessions?view=interactive']) {
      assert.equal(sciencePortal.owns('GET', path), true, path);
    }
    for (const path of ['/', '/science-portalx', '/skaha/v1/session', '/ac/login', '/arc/nodes/home/u', '/_next/static/x.js']) {
      assert.equal(sciencePortal.owns('GET', path), false, path);
    }
  });

  it('check(): a clone without the Dockerfile build is "not built", one built without the base path says so', () => {
    const dir = tmpDir('perfpulse-sp-clone-');
    assert.equal(sciencePortal.check(dir), 'not built: build it as its Dockerfile does');
    mkdirSync(join(dir, '.next', 'standalone'), { recursive: true });
    mkdirSync(join(dir, '.next', 'static'));
    writeFileSync(join(dir, '.next', 'standalone', 'server.js'), 'const nextConfig = {"basePath":""}');
    assert.equal(sciencePortal.check(dir), 'built without NEXT_PUBLIC_BASE_PATH=/science-portal: not built: build it as its Dockerfile does');
    writeFileSync(join(dir, '.next', 'standalone', 'server.js'), 'const nextConfig = {"basePath":"/science-portal"}');
    assert.equal(sciencePortal.check(dir), null);
  });

  it('its server runs in CANFAR mode with every upstream the BFF reads on the replica, and gets no secret of ours', () => {
    const before = process.env.PERFPULSE_PASSWORD;
    process.env.PERFPULSE_PASSWORD = 'not-for-the-portal';
    try {
      const env = portalEnv('http://127.0.0.1:1111', 'http://127.0.0.1:2222', 3333);
      assert.equal(env.NEXT_USE_CANFAR, 'true');
      assert.equal(env.LOGIN_API, 'http://127.0.0.1:1111/ac');
      assert.equal(env.SKAHA_API, 'http://127.0.0.1:1111/skaha');
      assert.equal(env.SERVICE_STORAGE_API, 'http://127.0.0.1:1111/arc/nodes/home/');
      assert.equal(env.NEXT_PUBLIC_BASE_PATH, '/science-portal');
      assert.equal(env.HOSTNAME, '127.0.0.1');
      assert.equal(env.PORT, '3333');
      assert.equal(env.NEXTAUTH_URL, 'http://127.0.0.1:2222');
      assert.deepEqual(Object.keys(env).filter((k) => k.startsWith('PERFPULSE_')), []);
      assert.ok(!Object.values(env).includes('not-for-the-portal'));
      assert.notEqual(portalEnv('a', 'b', 1).AUTH_SECRET, env.AUTH_SECRET, 'a fresh AUTH_SECRET per start');
    } finally {
      if (before === undefined) delete process.env.PERFPULSE_PASSWORD;
      else process.env.PERFPULSE_PASSWORD = before;
    }
  });
});
