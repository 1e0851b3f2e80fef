/**
 * What a blackbox prober tells of every host the env profile names (the host_check probe and the
 * timed exchange under every HTTP probe): phases, TLS chain expiry and validity, HTTP version,
 * against the bundled replica serving HTTPS with certificates this test makes (openssl, never
 * committed), HTTP/2 too. Run as the real CLI where the exit code and the log line matter.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadProfile } from '../src/config/profile.ts';
import { HTTP_PHASES, PROBE_METRICS } from '../src/metrics/catalog-probes.ts';
import { formatFinding, lintExposition } from '../src/metrics/lint.ts';
import { parseExposition, samplesOf, type Family } from '../src/metrics/parse.ts';
import { httpProbesBody } from '../src/metrics/probe-bodies.ts';
import { exchange, ExchangeFailed } from '../src/probes/http/exchange.ts';
import { hostCheck } from '../src/probes/http/host-check.ts';
import { HTTP_PROBES } from '../src/probes/http/registry.ts';
import { runHttpProbes } from '../src/probes/http/run.ts';
import type { HttpProbeOutcome } from '../src/results/probes.ts';
import { startReplica } from '../src/replica/server.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { runCli, tmpDir } from './support/helpers.ts';
import { suiteReplica } from './support/replica.ts';
import { assertNamingGuide } from './support/naming.ts';
import { makeChain, notAfterSeconds, type Chain } from './support/tls-chain.ts';

const M = PROBE_METRICS;
const ROLES = ['www', 'canfar', 'ws_cadc', 'ws', 'ws_uv'];

/** An env profile file: `www` on `localhost` (a name to look up), every other role on 127.0.0.1. */
function profileFile(origin: string, probes = 'probes:\n  http: {}\n'): string {
  const named = origin.replace('127.0.0.1', 'localhost');
  const file = join(tmpDir(), 'tls.yaml');
  writeFileSync(file, `name: tls\nurls:\n  www: ${named}\n${ROLES.slice(1).map((r) => `  ${r}: ${origin}`).join('\n')}\n${probes}`);
  return file;
}

const byRole = (fams: Family[], name: string) => new Map(samplesOf(fams, name).map((s) => [s.labels.role as string, s.value]));
const phasesOf = (fams: Family[], role: string) =>
  new Map(samplesOf(fams, M.httpPhase.name).filter((s) => s.labels.role === role).map((s) => [s.labels.phase as string, s.value]));

describe('host_check over HTTPS: a chain the test made, its CA trusted through the profile', () => {
  // the intermediate expires first: the earliest notAfter of the chain is neither the leaf's nor the root's
  const chain: Chain = makeChain({ ca: 30, intermediate: 3, leaf: 10 });
  const replica = suiteReplica({ https: { key: chain.key, cert: chain.served } });

  it('reports the exact notAfter of the chain, a valid chain, http_1_1 and the phases, for every URL role', async () => {
    const caLine = `probes:\n  http:\n    ca: ${chain.caFile}\n`;
    const r = await runCli(['probe', 'http', '--env', profileFile(replica.origin, caLine), '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assertNamingGuide(r.stdout);
    assert.deepEqual(lintExposition(r.stdout).map(formatFinding), [], 'metrics lint finds nothing');
    const fams = parseExposition(r.stdout);
    const expiry = notAfterSeconds(chain.intermediate);
    assert.ok(expiry < notAfterSeconds(chain.leaf) && expiry < notAfterSeconds(chain.ca), 'the test chain: the intermediate expires first');
    assert.deepEqual(Object.fromEntries(byRole(fams, M.tlsCertExpiry.name)), Object.fromEntries(ROLES.map((r) => [r, expiry])));
    assert.deepEqual(Object.fromEntries(byRole(fams, M.tlsChainValid.name)), Object.fromEntries(ROLES.map((r) => [r, 1])));
    assert.deepEqual(Object.fromEntries(byRole(fams, M.hostCheckSuccess.name)), Object.fromEntries(ROLES.map((r) => [r, 1])));
    const versions = samplesOf(fams, M.httpVersion.name);
    assert.deepEqual(versions.map((s) => [s.labels.role, s.labels.http_version, s.value]), ROLES.map((r) => [r, 'http_1_1', 1]));
    const durations = byRole(fams, M.hostCheckDuration.name);
    for (const role of ROLES) {
      const phases = phasesOf(fams, role);
      // www is a name (localhost) to look up; the others are an IP, where nothing is looked up
      const want = role === 'www' ? HTTP_PHASES : HTTP_PHASES.filter((p) => p !== 'dns');
      assert.deepEqual([...phases.keys()], [...want], `${role}: phases present`);
      for (const [phase, v] of phases) assert.ok(v >= 0, `${role} ${phase} = ${v} >= 0`);
      const sum = [...phases.values()].reduce((a, b) => a + b, 0);
      assert.ok(sum <= (durations.get(role) ?? -1), `${role}: the phases (${sum} s) fit in the whole (${durations.get(role)} s)`);
    }
    // the CA reaches every probe: the service probes pass over https too, following https URLs the replica hands out
    const services = samplesOf(fams, M.apiProbeSuccess.name);
    assert.ok(services.length >= 10 && services.every((s) => s.value === 1), services.filter((s) => s.value !== 1).map((s) => `${s.labels.service}/${s.labels.probe}`).join(', '));
    assert.match(r.stderr, /http: ws host_check: ok [\d.]+ s, 200 over http_1_1, TLSv1\.3, chain valid until \d{4}-\d\d-\d\d/);
  });

  it('without the CA the same chain is invalid: class navigation, TLS in the line, the expiry still read, nothing sent', async () => {
    const r = await runCli(['probe', 'http', '--env', profileFile(replica.origin), '--dry-run']);
    assert.equal(r.code, 1, r.stderr);
    assertNamingGuide(r.stdout);
    const fams = parseExposition(r.stdout);
    assert.deepEqual(Object.fromEntries(byRole(fams, M.tlsChainValid.name)), Object.fromEntries(ROLES.map((r) => [r, 0])));
    assert.deepEqual(Object.fromEntries(byRole(fams, M.hostCheckSuccess.name)), Object.fromEntries(ROLES.map((r) => [r, 0])));
    assert.equal(byRole(fams, M.tlsCertExpiry.name).get('ws'), notAfterSeconds(chain.intermediate));
    for (const role of ROLES) {
      const phases = phasesOf(fams, role);
      assert.ok(phases.has('tls') && !phases.has('first_byte') && !phases.has('transfer'), `${role}: the handshake, then nothing sent (${[...phases.keys()]})`);
    }
    assert.equal(samplesOf(fams, M.httpVersion.name).length, 0, 'no answer, no HTTP version');
    assert.match(r.stderr, /http: ws host_check: FAILED \(navigation\) [\d.]+ s, TLS: UNABLE_TO_GET_ISSUER_CERT_LOCALLY$/m);
    assert.match(r.stderr, /http: reg availability: FAILED \(navigation\) [\d.]+ s, TLS: UNABLE_TO_GET_ISSUER_CERT_LOCALLY$/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });

  it('a CA file that cannot be read, or holds no certificate, is bad input: one line, exit 2', async () => {
    const notPem = join(tmpDir(), 'ca.pem');
    writeFileSync(notPem, 'not a certificate\n');
    for (const [file, message] of [
      ['/nonexistent/ca.pem', /probes\.http\.ca \(\/nonexistent\/ca\.pem\): ENOENT/],
      [notPem, /probes\.http\.ca .*ca\.pem holds no PEM certificate/],
    ] as const) {
      for (const args of [['probe', 'http'], ['--only', 'probes']]) {
        const r = await runCli([...args, '--env', profileFile(replica.origin, `probes:\n  http:\n    ca: ${file}\n`), '--dry-run']);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      }
    }
  });
});

describe('the replica’s throwaway certificate (https: true)', () => {
  const replica = suiteReplica({ https: true });

  it('is self-signed: invalid (DEPTH_ZERO_SELF_SIGNED_CERT) unless trusted, and its notAfter is what is reported', async () => {
    const certificate = replica.certificate ?? '';
    assert.match(certificate, /BEGIN CERTIFICATE/);
    const profile = loadProfile(profileFile(replica.origin));
    const run = (ca?: string) => runHttpProbes({ profile, services: [], probes: [hostCheck], timeoutMs: 10_000, concurrency: 2, log: () => undefined, ca });
    const untrusted = await run();
    for (const out of untrusted.outcomes) {
      assert.equal(out.ok, false, out.role);
      assert.equal(out.errorClass, 'navigation');
      assert.equal(out.detail, 'TLS: DEPTH_ZERO_SELF_SIGNED_CERT');
      assert.equal(out.tls?.valid, false);
      assert.equal((out.tls?.earliestNotAfterMs ?? 0) / 1000, notAfterSeconds(certificate));
    }
    const trusted = await run(certificate);
    assert.deepEqual(trusted.outcomes.map((o) => [o.role, o.ok, o.tls?.valid]), ROLES.map((r) => [r, true, true]));
    const fams = parseExposition((await httpProbesBody(trusted)).body);
    assert.equal(byRole(fams, M.tlsCertExpiry.name).get('canfar'), notAfterSeconds(certificate));
  });
});

describe('phases move where the delay is', () => {
  const replica = suiteReplica();

  it('a first-byte delay D lands in first_byte of that role only; the phases sum to the whole, less than D apart', async () => {
    const D = 300;
    replica.faults.set('GET /reg/availability', { delayMs: D }); // ws's landing document
    try {
      const r = await runHttpProbes({ profile: loadProfile(profileFile(replica.origin)), services: [], probes: [hostCheck], timeoutMs: 10_000, concurrency: 1, log: () => undefined, replicaServes: replica.serves });
      const by = new Map(r.outcomes.map((o) => [o.role, o]));
      for (const role of ROLES) {
        const out = by.get(role) as HttpProbeOutcome;
        assert.equal(out.ok, true, `${role}: ${out.detail}`);
        const p = out.phases ?? {};
        assert.equal(p.tls, undefined, `${role}: no TLS phase on http`);
        assert.equal(out.tls, undefined);
        assert.equal(out.httpVersion, 'http_1_1');
        const sum = Object.values(p).reduce((a, b) => a + b, 0);
        const ms = out.ms ?? NaN;
        assert.ok(sum <= ms && ms - sum < D, `${role}: phases ${sum.toFixed(1)} ms of ${ms.toFixed(1)} ms`);
        if (role === 'ws') {
          assert.ok((p.first_byte ?? 0) >= D, `ws: first_byte ${p.first_byte} ms >= D`);
          assert.ok((p.connect ?? Infinity) < D && (p.transfer ?? Infinity) < D, 'ws: the delay is in first_byte, not in connect or transfer');
        } else assert.ok((p.first_byte ?? Infinity) < D, `${role}: first_byte ${p.first_byte} ms, not delayed`);
      }
      // on http no TLS series at all: absent, never 0
      const fams = parseExposition((await httpProbesBody(r)).body);
      assert.equal(samplesOf(fams, M.tlsChainValid.name).length + samplesOf(fams, M.tlsCertExpiry.name).length, 0);
    } finally {
      replica.faults.clear();
    }
  });

  it('a slow body lands in transfer: at least the time the replica takes to trickle it', async () => {
    const rate = 20_000; // bytes per second, in ticks of 100 ms (src/replica/throttle.ts)
    replica.faults.set('GET /en/', { bytesPerSecond: rate });
    try {
      const x = await exchange(`${replica.origin}/en/`, {}, { timeoutMs: 10_000 });
      const bytes = Number(x.headers.get('content-length'));
      const ticks = Math.ceil(bytes / ((rate * 100) / 1000));
      assert.ok(ticks >= 2, `${bytes} bytes take ${ticks} ticks`);
      assert.ok((x.phases.transfer ?? 0) >= (ticks - 1) * 100, `transfer ${x.phases.transfer} ms >= ${(ticks - 1) * 100} ms`);
      assert.ok((x.phases.first_byte ?? Infinity) < (x.phases.transfer ?? 0), 'the headers came at once');
      assert.equal(Buffer.byteLength(x.body), bytes, 'the whole body was read');
    } finally {
      replica.faults.clear();
    }
  });

  it('a hang ends at the deadline as timeout, with the phases until then; a refused port is navigation', async () => {
    replica.faults.set('GET /en/', { hang: true });
    try {
      await assert.rejects(exchange(`${replica.origin}/en/`, {}, { timeoutMs: 1000 }), (err: ExchangeFailed) => {
        assert.equal(err.errorClass, 'timeout');
        assert.equal(err.detail, 'no answer before the timeout');
        assert.ok(err.phases.connect !== undefined && err.phases.first_byte === undefined, JSON.stringify(err.phases));
        return true;
      });
    } finally {
      replica.faults.clear();
    }
    const closed = await startReplica();
    const origin = closed.origin;
    await closed.stop();
    await assert.rejects(exchange(`${origin}/en/`, {}, { timeoutMs: 5000 }), (err: ExchangeFailed) => err.errorClass === 'navigation' && err.detail === 'ECONNREFUSED');
  });
});

describe('HTTP/2: the replica offering h2 over its HTTPS', () => {
  const chain: Chain = makeChain({ ca: 30, intermediate: 20, leaf: 10 });
  const replica = suiteReplica({ https: { key: chain.key, cert: chain.served }, http2: true });

  it('the host check reports http_2 and every service probe passes over it, the login too', async () => {
    const r = await runHttpProbes({
      profile: loadProfile(profileFile(replica.origin)),
      services: ['access', 'reg', 'argus', 'data', 'ac', 'skaha', 'arc'],
      probes: HTTP_PROBES,
      timeoutMs: 10_000,
      concurrency: 2,
      log: () => undefined,
      ca: chain.ca,
      credentials: { username: DEMO_USER.username, password: DEMO_USER.password },
    });
    const failed = r.outcomes.filter((o) => o.ok === false);
    assert.deepEqual(failed.map((o) => `${o.service ?? o.role} ${o.probe}: ${o.detail}`), []);
    const fams = parseExposition((await httpProbesBody(r)).body);
    assert.deepEqual(samplesOf(fams, M.httpVersion.name).map((s) => [s.labels.role, s.labels.http_version]), ROLES.map((role) => [role, 'http_2']));
    assert.equal(byRole(fams, M.tlsCertExpiry.name).get('ws_uv'), notAfterSeconds(chain.leaf), 'here the leaf expires first');
    const ran = r.outcomes.filter((o) => o.service && o.ok);
    assert.ok(ran.some((o) => o.probe === 'session_list'), 'the login and the session list ran');
    assert.ok(ran.length >= 10 && ran.every((o) => o.httpVersion === 'http_2'), 'the service probes spoke h2 too');
  });
});
