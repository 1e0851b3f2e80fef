/**
 * `perfpulse-journeys check` as the real CLI, against the bundled replica, a real Pushgateway and a
 * real Pushgateway behind TLS and Basic auth, all on 127.0.0.1: every check passes on a good set-up,
 * and each check fails alone, with its one line, when its part is broken. Nothing is pushed, nothing
 * spooled, no secret printed.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../src/net.ts';
import { startReplica, type Replica } from '../src/replica/server.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { exchange, type GatewayAccess } from '../src/push/http.ts';
import type { LocalGateway } from '../src/push/local-gateway.ts';
import { fakeGateway, makeTestPki, type FakeServer } from './support/fake-gateway.ts';
import { GUARDED_GATEWAY_PASSWORD, GUARDED_GATEWAY_USER, startGuardedGateway, suiteGateway } from './support/gateway.ts';
import { profilePointingAt, runCli, tmpDir } from './support/helpers.ts';

const SENTINEL_PASSWORD = 'Sentinel-Portal-Pw-4471';
const CHECKS = ['profile', 'credentials', 'browser', 'url www', 'url canfar', 'url ws_cadc', 'url ws', 'url ws_uv', 'pushgateway', 'spool'];

/** `check` lines (`ok  |FAIL`, two spaces, the check padded to 12, a space, the detail): name → ok, detail. */
function linesOf(stdout: string): Map<string, { ok: boolean; detail: string }> {
  const out = new Map<string, { ok: boolean; detail: string }>();
  for (const line of stdout.trim().split('\n').slice(0, -1)) {
    assert.match(line, /^(ok  |FAIL)  \S/, `a check line: ${line}`);
    out.set(line.slice(6, 18).trim(), { ok: line.startsWith('ok'), detail: line.slice(19) });
  }
  return out;
}

describe('perfpulse-journeys check (replica, real Pushgateways)', () => {
  const gw = suiteGateway();
  let guarded: LocalGateway;
  let replica: Replica;
  let failing: FakeServer;
  let profile: string;
  let pki: ReturnType<typeof makeTestPki>;
  let pwFile: string;
  let gwPwFile: string;
  const dir = tmpDir('perfpulse-check-');
  before(async () => {
    pki = makeTestPki();
    guarded = await startGuardedGateway(pki);
    replica = await startReplica();
    failing = await fakeGateway((_r, res) => {
      res.statusCode = 500;
      res.end('down');
    });
    profile = profilePointingAt(replica.origin, 'lab');
    pwFile = join(dir, 'password');
    writeFileSync(pwFile, `${SENTINEL_PASSWORD}\n`, { mode: 0o600 });
    gwPwFile = join(dir, 'gateway-password');
    writeFileSync(gwPwFile, `${GUARDED_GATEWAY_PASSWORD}\n`, { mode: 0o600 });
  });
  after(async () => {
    await guarded?.stop();
    await replica?.stop();
    await failing?.stop();
  });

  const userEnv = () => ({ PERFPULSE_USERNAME: 'someone', PERFPULSE_PASSWORD_FILE: pwFile });
  const guardedEnv = () => ({ PERFPULSE_PUSHGATEWAY_USERNAME: GUARDED_GATEWAY_USER, PERFPULSE_PUSHGATEWAY_PASSWORD_FILE: gwPwFile });

  async function gatewayIsEmpty(url: string, access?: GatewayAccess): Promise<void> {
    const answer = await exchange(new URL(`${url}/api/v1/metrics`), { method: 'GET', deadlineMs: 5000, access });
    assert.equal(answer.status, 200);
    assert.deepEqual(JSON.parse(answer.text).data, [], 'nothing was pushed');
  }

  it('--env local with a real Pushgateway: every check ok, exit 0, nothing pushed or left behind', async () => {
    const state = tmpDir('perfpulse-state-');
    const r = await runCli(['check', '--env', 'local', '--pushgateway', gw.url], { XDG_STATE_HOME: state });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const lines = linesOf(r.stdout);
    assert.deepEqual([...lines.keys()], CHECKS);
    for (const [name, l] of lines) assert.ok(l.ok, `${name}: ${l.detail}`);
    assert.match(lines.get('credentials')?.detail ?? '', new RegExp(`demo user ${DEMO_USER.username}`));
    assert.match(lines.get('url www')?.detail ?? '', /^http:\/\/127\.0\.0\.1:\d+\/ answered \d{3} in [\d.]+ s$/);
    assert.match(lines.get('pushgateway')?.detail ?? '', /^http:\/\/127\.0\.0\.1:\d+ answered in [\d.]+ s \(no credentials\)$/);
    assert.match(r.stdout, /\ncheck: 10 ok, 0 failed\n$/);
    await gatewayIsEmpty(gw.url);
    assert.deepEqual(readdirSync(state), [], 'the spool directory check leaves nothing behind');
    assert.equal(r.stderr, '');
  });

  it('a profile of your own, credentials from files, a Pushgateway behind TLS and Basic auth: all ok, no secret printed', async () => {
    const r = await runCli(['check', '--env', profile, '--pushgateway', guarded.url, '--pushgateway-ca', pki.caFile], { ...userEnv(), ...guardedEnv() });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const lines = linesOf(r.stdout);
    for (const [name, l] of lines) assert.ok(l.ok, `${name}: ${l.detail}`);
    assert.match(lines.get('credentials')?.detail ?? '', /PERFPULSE_USERNAME and PERFPULSE_PASSWORD_FILE \(.*\) set and readable; the password is not printed/);
    assert.match(lines.get('pushgateway')?.detail ?? '', /^https:\/\/127\.0\.0\.1:\d+ answered in [\d.]+ s \(Basic auth, the --pushgateway-ca CA\)$/);
    for (const secret of [SENTINEL_PASSWORD, GUARDED_GATEWAY_PASSWORD, Buffer.from(`${GUARDED_GATEWAY_USER}:${GUARDED_GATEWAY_PASSWORD}`).toString('base64')]) {
      assert.ok(!`${r.stdout}${r.stderr}`.includes(secret), 'no secret printed');
    }
  });

  // each case breaks one part; exactly that check fails, with its line
  type Case = [what: string, check: string, args: () => string[], env: () => Record<string, string>, line: RegExp];
  const wrongMajor = () => {
    const f = join(dir, 'old-chromium');
    writeFileSync(f, '#!/bin/sh\necho "Chromium 120.0.6099.71 built on Debian GNU/Linux 12 (bookworm)"\n');
    chmodSync(f, 0o755);
    return f;
  };
  const unknownKeyProfile = () => {
    const f = join(dir, 'typo.yaml');
    writeFileSync(f, `name: lab\nurls:\n${['www', 'canfar', 'ws_cadc', 'ws', 'ws_uv'].map((r) => `  ${r}: ${replica.origin}`).join('\n')}\nprobe:\n  http: {}\n`);
    return f;
  };
  const probeTypoProfile = () => {
    const f = join(dir, 'probe-typo.yaml');
    writeFileSync(f, `name: lab\nurls:\n${['www', 'canfar', 'ws_cadc', 'ws', 'ws_uv'].map((r) => `  ${r}: ${replica.origin}`).join('\n')}\nprobes:\n  http:\n    data-file: x\n`);
    return f;
  };
  const rolesAt = (name: string, role: string, origin: string) => {
    const f = join(dir, `${name}.yaml`);
    writeFileSync(f, `name: lab\nurls:\n${['www', 'canfar', 'ws_cadc', 'ws', 'ws_uv'].map((r) => `  ${r}: ${r === role ? origin : replica.origin}`).join('\n')}\n`);
    return f;
  };
  const k8sProfile = () => {
    const f = join(dir, 'k8s.yaml');
    writeFileSync(f, `name: lab\nurls:\n${['www', 'canfar', 'ws_cadc', 'ws', 'ws_uv'].map((r) => `  ${r}: ${replica.origin}`).join('\n')}\nprobes:\n  k8s:\n    kubeconfig: ${join(dir, 'no-kubeconfig')}\n`);
    return f;
  };
  const emptyFile = () => {
    const f = join(dir, 'empty-password');
    writeFileSync(f, '\n');
    return f;
  };
  const aDirectory = () => {
    const d = join(dir, 'password-dir');
    mkdirSync(d, { recursive: true });
    return d;
  };
  const ok = (extra: string[] = []) => () => ['--pushgateway', gw.url, ...extra];
  const cases: Case[] = [
    ['an unknown key in the profile', 'profile', () => ['check', '--env', unknownKeyProfile(), ...ok()()], userEnv, /: probe: unknown key; did you mean probes\?$/],
    // config passes probes: through; the check reads each family's options as a run's plan does
    ['an unknown key of a probe family', 'profile', () => ['check', '--env', probeTypoProfile(), ...ok()()], userEnv, /: probes\.http\.data-file: unknown key; did you mean data_file\?$/],
    ['no credentials', 'credentials', () => ['check', '--env', profile, ...ok()()], () => ({}), /^none set: journeys that log in need PERFPULSE_USERNAME and PERFPULSE_PASSWORD_FILE/],
    ['an empty password file', 'credentials', () => ['check', '--env', profile, ...ok()()], () => ({ PERFPULSE_USERNAME: 'someone', PERFPULSE_PASSWORD_FILE: emptyFile() }), /PERFPULSE_PASSWORD_FILE \(.*\) is empty: its first line must be the password$/],
    ['a password file that is a directory', 'credentials', () => ['check', '--env', profile, ...ok()()], () => ({ PERFPULSE_USERNAME: 'someone', PERFPULSE_PASSWORD_FILE: aDirectory() }), /cannot read PERFPULSE_PASSWORD_FILE \(.*\): a directory, not a file$/],
    ['a Chromium of another major', 'browser', () => ['check', '--env', profile, '--browser', wrongMajor(), ...ok()()], userEnv, /is Chromium 120\.0\.6099\.71, Playwright [\d.]+ expects \d+\.x: install Chromium \d+ or pass --browser <path>$/],
    ['no such browser', 'browser', () => ['check', '--env', profile, '--browser', join(dir, 'nope'), ...ok()()], userEnv, /does not exist \(from --browser or PERFPULSE_BROWSER\)$/],
    ['a role nobody listens on', 'url ws', () => ['check', '--env', rolesAt('closed', 'ws', `http://127.0.0.1:${closedPort}`), ...ok()()], userEnv, /^http:\/\/127\.0\.0\.1:\d+\/ did not answer: ECONNREFUSED$/],
    ['a role answering 500', 'url ws_uv', () => ['check', '--env', rolesAt('failing', 'ws_uv', failing.url), ...ok()()], userEnv, /answered 500 in [\d.]+ s: the ws_uv host is up but failing$/],
    ['a Pushgateway nobody listens on', 'pushgateway', () => ['check', '--env', profile, '--pushgateway', `http://127.0.0.1:${closedPort}`], userEnv, /^http:\/\/127\.0\.0\.1:\d+ did not answer \(no credentials\): ECONNREFUSED$/],
    ['the wrong gateway password', 'pushgateway', () => ['check', '--env', profile, '--pushgateway', guarded.url, '--pushgateway-ca', pki.caFile], () => ({ ...userEnv(), PERFPULSE_PUSHGATEWAY_USERNAME: GUARDED_GATEWAY_USER, PERFPULSE_PUSHGATEWAY_PASSWORD: 'not-it' }), /refused the credentials \(401, Basic auth, the --pushgateway-ca CA\)/],
    ['a gateway CA not given', 'pushgateway', () => ['check', '--env', profile, '--pushgateway', guarded.url], () => ({ ...userEnv(), ...guardedEnv() }), /did not answer \(Basic auth\): TLS: the gateway's certificate is not trusted \([A-Z_]+\); pass --pushgateway-ca <file>/],
    ['no Pushgateway for a portal of your own', 'pushgateway', () => ['check', '--env', profile], userEnv, /^none given: pass --pushgateway <url> or set PERFPULSE_PUSHGATEWAY/],
    ['a spool directory that cannot be made', 'spool', () => ['check', '--env', profile, '--spool-dir', join(pwFile, 'spool'), ...ok()()], userEnv, /is not writable \(ENOTDIR\): pass --spool-dir <dir> or set PERFPULSE_SPOOL_DIR/],
    ['a kubeconfig that does not exist', 'k8s', () => ['check', '--env', k8sProfile(), ...ok()()], userEnv, /kubeconfig .*no-kubeconfig does not exist \(from --kubeconfig\)$/],
  ];
  let closedPort = 0;
  before(async () => {
    closedPort = await freePort();
  });
  for (const [what, check, args, env, line] of cases) {
    it(`${what}: "${check}" fails alone, exit 2`, async () => {
      const state = tmpDir('perfpulse-state-');
      const r = await runCli(args(), { XDG_STATE_HOME: state, ...env() });
      assert.equal(r.code, 2, r.stdout + r.stderr);
      const lines = linesOf(r.stdout);
      const failed = [...lines].filter(([, l]) => !l.ok).map(([name]) => name);
      assert.deepEqual(failed, [check], r.stdout);
      assert.match(lines.get(check)?.detail ?? '', line);
      assert.match(r.stdout, new RegExp(`\\ncheck: ${lines.size - 1} ok, 1 failed \\(exit 2\\)\\n$`));
      assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /, 'no stack trace');
      assert.ok(!`${r.stdout}${r.stderr}`.includes(SENTINEL_PASSWORD), 'the password is never printed');
      assert.ok(!existsSync(join(state, 'perfpulse-journeys')), 'nothing spooled');
    });
  }

  it('nothing reached either gateway', async () => {
    await gatewayIsEmpty(gw.url);
    await gatewayIsEmpty(guarded.url, { ca: readFileSync(pki.caFile, 'utf8'), authorization: `Basic ${Buffer.from(`${GUARDED_GATEWAY_USER}:${GUARDED_GATEWAY_PASSWORD}`).toString('base64')}` });
  });

  it('--help says what each check does, with examples', async () => {
    const r = await runCli(['check', '--help']);
    assert.equal(r.code, 0);
    for (const piece of ['profile', 'credentials', 'browser', 'url <role>', 'pushgateway', 'spool', 'Examples:', 'Exit codes: 0']) assert.ok(r.stdout.includes(piece), piece);
    const top = await runCli(['--help']);
    assert.match(top.stdout, /check \[options\]/);
  });
});
