import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { URL_ROLES, builtinEnvNames, loadProfile, parseProfile, withReplicaOrigin } from '../src/config/profile.ts';
import { credentialsFromEnv } from '../src/config/credentials.ts';
import { UserError } from '../src/errors.ts';
import { tmpDir } from './support/helpers.ts';

describe('env profiles', () => {
  it('ships local, prod and staging, each with every URL role', () => {
    assert.deepEqual(builtinEnvNames(), ['local', 'prod', 'staging']);
    for (const name of builtinEnvNames()) {
      const p = loadProfile(name);
      assert.equal(p.name, name);
      for (const role of URL_ROLES) assert.ok(p.urls[role], `${name}.${role}`);
    }
  });

  it('prod points at the real CADC and CANFAR hosts', () => {
    const prod = loadProfile('prod');
    assert.equal(prod.replica, false);
    assert.equal(prod.urls.www, 'https://www.cadc-ccda.hia-iha.nrc-cnrc.gc.ca');
    assert.equal(prod.urls.canfar, 'https://www.canfar.net');
    assert.equal(prod.urls.ws_cadc, 'https://ws-cadc.canfar.net');
    assert.equal(prod.urls.ws_uv, 'https://ws-uv.canfar.net');
  });

  it('local uses the bundled replica and fills in its origin', () => {
    const local = loadProfile('local');
    assert.equal(local.replica, true);
    const filled = withReplicaOrigin(local, 'http://127.0.0.1:1234');
    for (const role of URL_ROLES) assert.equal(filled.urls[role], 'http://127.0.0.1:1234');
  });

  it('rejects an unknown env with one line naming the choices', () => {
    assert.throws(() => loadProfile('nope'), (err: Error) => {
      assert.ok(err instanceof UserError);
      assert.match(err.message, /unknown env 'nope'.*local, prod, staging/);
      assert.ok(!err.message.includes('\n'));
      return true;
    });
  });

  it('loads a user file and explains what is wrong with a bad one', () => {
    const dir = tmpDir();
    const good = join(dir, 'mine.yaml');
    writeFileSync(good, `name: mine\nurls:\n${URL_ROLES.map((r) => `  ${r}: https://${r}.example.org/`).join('\n')}\n`);
    const p = loadProfile(good);
    assert.equal(p.name, 'mine');
    assert.equal(p.urls.www, 'https://www.example.org', 'trailing slash removed');

    const cases: [string, RegExp][] = [
      ['name: Bad Name\nurls: {}', /env profile f\.yaml: name: must be a lower-case slug such as "prod" \(got "Bad Name"\)$/],
      ['name: x\n', /env profile f\.yaml: urls: missing$/],
      ['name: x\nurls:\n  www: ftp://x', /env profile f\.yaml: urls\.www: must be an http\(s\) URL \(got ftp:\)$/],
      [`name: x\nurls:\n${URL_ROLES.map((r) => `  ${r}: "{replica}"`).join('\n')}`, /env profile f\.yaml: urls\.www: uses \{replica\} but replica is not true$/],
      ['name: [unclosed', /not valid YAML/],
    ];
    for (const [text, pattern] of cases) assert.throws(() => parseProfile(text, 'f.yaml'), pattern);
    assert.throws(() => loadProfile(join(dir, 'missing.yaml')), /cannot read env profile .*no such file/);
  });
});

describe('credentials', () => {
  it('prefers the password file and never needs a flag', () => {
    const file = join(tmpDir(), 'pw');
    writeFileSync(file, 's3cret\nignored second line\n');
    assert.deepEqual(credentialsFromEnv({ PERFPULSE_USERNAME: 'u', PERFPULSE_PASSWORD_FILE: file, PERFPULSE_PASSWORD: 'other' }), {
      username: 'u',
      password: 's3cret',
    });
    assert.deepEqual(credentialsFromEnv({ PERFPULSE_USERNAME: 'u', PERFPULSE_PASSWORD: 'p' }), { username: 'u', password: 'p' });
  });

  it('falls back only when nothing is set, and rejects half a pair', () => {
    const demo = { username: 'd', password: 'p' };
    assert.equal(credentialsFromEnv({}, demo), demo);
    assert.equal(credentialsFromEnv({}), undefined);
    assert.throws(() => credentialsFromEnv({ PERFPULSE_USERNAME: 'u' }), /neither PERFPULSE_PASSWORD/);
    assert.throws(() => credentialsFromEnv({ PERFPULSE_PASSWORD: 'p' }), /PERFPULSE_USERNAME is not/);
    assert.throws(() => credentialsFromEnv({ PERFPULSE_USERNAME: 'u', PERFPULSE_PASSWORD_FILE: '/nonexistent/pw' }), /cannot read PERFPULSE_PASSWORD_FILE \(\/nonexistent\/pw\): no such file/);
  });
});
