/**
 * `metrics lint`: the seed guide's counter-examples fail with one finding each, good text passes,
 * the project's own `--dry-run` output (real Chromium on the replica) passes, and the CLI's exit
 * codes tell clean (0), findings (5) and unreadable input (2) apart.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ExitCode } from '../src/errors.ts';
import { allMetrics } from '../src/metrics/catalog.ts';
import { LINT_RULES, lintExposition } from '../src/metrics/lint.ts';
import { parseExposition } from '../src/metrics/parse.ts';
import { PROJECT_ROOT } from '../src/runtime/runner/journeys.ts';
import { startReplica } from '../src/replica/server.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { profilePointingAt, runCli, tmpDir } from './support/helpers.ts';
import { withGateway } from './support/gateway.ts';

const fixture = (name: string) => join(PROJECT_ROOT, 'test', 'fixtures', name);

describe('metrics lint rules', () => {
  it('every metric in the catalog passes, so no run of ours can emit a name the lint refuses', () => {
    // one sample per metric; 0/1 states (help says "1 when/for ...") get 1, everything else 2,
    // so the 0/1 exemption cannot hide a missing unit
    const text = allMetrics()
      .map((m) => {
        const labels = m.labels.map((l) => `${l}="some_${l}"`).join(',');
        const value = /(^|: )1 (when|for) /.test(m.help) ? 1 : 2;
        const head = `# HELP ${m.name} ${m.help}\n# TYPE ${m.name} ${m.type}\n`;
        if (m.type !== 'histogram') return `${head}${m.name}{${labels}} ${value}\n`;
        const sep = labels ? ',' : '';
        return `${head}${m.name}_bucket{${labels}${sep}le="+Inf"} 2\n${m.name}_sum{${labels}} 0.5\n${m.name}_count{${labels}} 2\n`;
      })
      .join('');
    assert.deepEqual(lintExposition(text), []);
  });

  it('the seed guide counter-examples: one finding each, with the rule the fixture names', () => {
    const text = readFileSync(fixture('lint-seed-counterexamples.prom'), 'utf8');
    const expected = new Map<string, string>(); // metric -> rule, from the comment line above its HELP/TYPE
    let rule = '';
    for (const line of text.split('\n')) {
      const c = /^# ([a-z-]+)[ ,]/.exec(line);
      if (c && c[1] && c[1] in LINT_RULES) rule = c[1];
      const t = /^# TYPE (\S+)/.exec(line);
      if (t && t[1]) expected.set(t[1], rule);
    }
    const findings = lintExposition(text);
    const seen = new Map<string, string[]>();
    for (const f of findings) seen.set(f.metric, [...(seen.get(f.metric) ?? []), f.rule]);
    // the one-name-per-concept pair yields one finding for both names
    expected.delete('perfpulse_k8s_kubectl_get_nodes_latency_seconds');
    assert.equal(findings.length, expected.size, findings.map((f) => `${f.metric} ${f.rule}`).join('\n'));
    for (const [metric, want] of expected) assert.deepEqual(seen.get(metric), [want], metric);
    // every rule is exercised by at least one counter-example
    assert.deepEqual(new Set(findings.map((f) => f.rule)), new Set(Object.keys(LINT_RULES)));
  });

  it('good text, histograms and the seed example pass', () => {
    assert.deepEqual(lintExposition(readFileSync(fixture('lint-good.prom'), 'utf8')), []);
  });

  it('a Pushgateway-style dump is judged, not crashed on', () => {
    const findings = lintExposition('# HELP push_time_seconds Last push.\n# TYPE push_time_seconds gauge\npush_time_seconds{instance="",job="x"} 1.7e9\n');
    assert.deepEqual(findings.map((f) => f.rule), ['prefix']);
  });
});

describe('perfpulse-journeys metrics lint (CLI)', () => {
  it('exits 5 with one line per finding, 0 on clean text, 2 on unreadable or malformed input', async () => {
    const bad = await runCli(['metrics', 'lint', fixture('lint-seed-counterexamples.prom')]);
    assert.equal(bad.code, ExitCode.lintFindings, bad.stderr);
    const lines = bad.stdout.trim().split('\n');
    assert.equal(lines.length, lintExposition(readFileSync(fixture('lint-seed-counterexamples.prom'), 'utf8')).length);
    for (const l of lines) assert.match(l, /^\S+: \[[a-z-]+\] \S/);
    const good = await runCli(['metrics', 'lint', fixture('lint-good.prom')]);
    assert.equal(good.code, ExitCode.ok, good.stderr);
    assert.equal(good.stdout, '');
    const missing = await runCli(['metrics', 'lint', join(tmpDir(), 'nope.prom')]);
    assert.equal(missing.code, ExitCode.badInput);
    assert.match(missing.stderr, /cannot read .*nope\.prom: ENOENT/);
    const junk = join(tmpDir(), 'junk.prom');
    writeFileSync(junk, 'this is not {exposition\n');
    const malformed = await runCli(['metrics', 'lint', junk]);
    assert.equal(malformed.code, ExitCode.badInput);
    assert.match(malformed.stderr, /is not Prometheus exposition text/);
  });

  it('the project own --dry-run output passes it (real Chromium on the replica)', async () => {
    const replica = await startReplica();
    try {
      const run = await runCli(['--env', profilePointingAt(replica.origin), '--dry-run'], {
        PERFPULSE_USERNAME: DEMO_USER.username,
        PERFPULSE_PASSWORD: DEMO_USER.password,
      });
      assert.equal(run.code, 0, run.stderr);
      assert.ok(parseExposition(run.stdout).length > 10, 'a real exposition');
      const file = join(tmpDir(), 'dry-run.prom');
      writeFileSync(file, run.stdout);
      const lint = await runCli(['metrics', 'lint', file]);
      assert.equal(lint.code, ExitCode.ok, lint.stdout);
      assert.deepEqual(lintExposition(run.stdout), []);
    } finally {
      await replica.stop();
    }
  });
});

describe('perfpulse-journeys metrics lint: other sources', () => {
  it('reads stdin (-) and an http URL such as a real Pushgateway /metrics', async () => {
    const text = readFileSync(fixture('lint-good.prom'), 'utf8');
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'perfpulse-journeys.js'), 'metrics', 'lint', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.end(text);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, ExitCode.ok, out);

    await withGateway(async (gw) => {
      const r = await runCli(['metrics', 'lint', `${gw.url}/metrics`]);
      // a Pushgateway's own metrics (go_*, process_*, pushgateway_*) do not carry our prefix
      assert.equal(r.code, ExitCode.lintFindings, r.stderr);
      assert.match(r.stdout, /^go_goroutines: \[prefix\]/m);
    });
    const refused = await runCli(['metrics', 'lint', 'http://127.0.0.1:1/metrics']);
    assert.equal(refused.code, ExitCode.badInput);
    assert.match(refused.stderr, /cannot read http:\/\/127\.0\.0\.1:1\/metrics/);
  });
});
