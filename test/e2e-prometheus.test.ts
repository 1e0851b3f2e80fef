/**
 * End to end, all real: the CLI runs the login journey in Chromium against the replica and pushes
 * to a prometheus-pushgateway; a prometheus scrapes that gateway (honor_labels) every second and
 * loads deploy/prometheus/perfpulse-rules.yaml. Then every query of the Grafana dashboard
 * (deploy/grafana/perfpulse-journeys.json), with its template variables filled in, must return
 * data through Prometheus' HTTP API, and every alert rule must evaluate without error and fire
 * (or not) as the runs deserve.
 *
 * Two runs: env `lab` with the right password and two concurrent users (passes) and env `badpw` with a
 * wrong one (fails at submit_credentials), so the failure panels and alerts have something to show. The service probes
 * run once on a replica serving HTTPS with a chain good for 90 days (env `lab`, over HTTP/2), and once
 * on one whose throwaway certificate expires tomorrow (env `tls`, for the certificate alert); the
 * Kubernetes probes against the fake HTTPS API (the one stand-in
 * allowed): a single shot in namespace `perfpulse` with configmaps forbidden, and a two-round loop
 * (which pushes the latency histogram) in namespace `loop`. The VOSpace transfer and headless job
 * probes run once per env on the replica: clean on `lab`, on `badpw` with a corrupted pull (class
 * download) and a job stuck Pending (past its deadline), so their failure panels and alerts have
 * something to show.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { after, before, describe, it } from 'node:test';
import { startReplica, type Replica } from '../src/replica/server.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { PROJECT_ROOT } from '../src/runtime/runner/journeys.ts';
import { dashboardQueries, metricNamesIn } from './support/deploy.ts';
import { profilePointingAt, runCli, tmpDir } from './support/helpers.ts';
import { eventually, startPrometheus, type LocalPrometheus } from './support/prometheus.ts';
import { startFakeK8s, type FakeK8s } from './support/fake-k8s.ts';
import { suiteGateway } from './support/gateway.ts';
import { makeChain } from './support/tls-chain.ts';

const DASHBOARD = join(PROJECT_ROOT, 'deploy', 'grafana', 'perfpulse-journeys.json');
const RULES = join(PROJECT_ROOT, 'deploy', 'prometheus', 'perfpulse-rules.yaml');
const ENVS = ['lab', 'badpw'];
const CLUSTER = 'lab-cluster';
const NAMESPACES = ['loop', 'perfpulse'];

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** An env profile with every URL role on `origin` and the HTTP probes trusting `caFile`. */
function httpsProfile(origin: string, name: string, caFile: string): string {
  const file = join(tmpDir(), `${name}.yaml`);
  const urls = ['www', 'canfar', 'ws_cadc', 'ws', 'ws_uv'].map((r) => `  ${r}: ${origin}`).join('\n');
  writeFileSync(file, `name: ${name}\nurls:\n${urls}\nprobes:\n  http:\n    ca: ${caFile}\n`);
  return file;
}
interface Rule {
  name: string;
  health: string;
  lastError?: string;
  lastEvaluation: string;
  state?: string;
  alerts?: { labels: Record<string, string>; state: string }[];
}

/** What Grafana sends for the dashboard's variables: both envs, every journey, the time range. */
function substitute(expr: string): string {
  return expr
    .replaceAll('$env', ENVS.join('|'))
    .replaceAll('$journey', '.+')
    .replaceAll('$cluster', CLUSTER)
    .replaceAll('$namespace', NAMESPACES.join('|'))
    .replaceAll('$__range', '1h')
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__interval', '15s');
}

describe('dashboard and alert rules on a real Prometheus scraping a real Pushgateway after real runs', () => {
  const gw = suiteGateway();
  let replica: Replica;
  let secure: Replica;
  let expiring: Replica;
  let prom: LocalPrometheus;
  let k8s: FakeK8s;
  const query = (expr: string) => prom.api<{ resultType: string; result: Sample[] }>('query', { query: expr });

  before(async () => {
    replica = await startReplica({ sessionPendingMs: 300, headlessRunMs: 300, sessionTerminatingMs: 100 });
    // two concurrent users (the machine's bound may be 1 on a small CI runner: override it), so the
    // load-run panels have data; the combined gauges keep their single-user shape
    const pass = await runCli(['--env', profilePointingAt(replica.origin, 'lab'), '--journeys', 'login', '--users', '2', '--users-max-override', '--pushgateway', gw.url], {
      PERFPULSE_USERNAME: DEMO_USER.username,
      PERFPULSE_PASSWORD: DEMO_USER.password,
    });
    assert.equal(pass.code, 0, pass.stderr);
    const fail = await runCli(['--env', profilePointingAt(replica.origin, 'badpw'), '--journeys', 'login', '--pushgateway', gw.url], {
      PERFPULSE_USERNAME: DEMO_USER.username,
      PERFPULSE_PASSWORD: 'not-the-password',
    });
    assert.equal(fail.code, 1, fail.stderr);
    // the service and host panels: one run of the service probes on a replica serving HTTPS (and
    // HTTP/2) with a chain made here, good for 90 days; and one on a replica whose throwaway
    // certificate expires tomorrow, under its own env, for the certificate alert
    const chain = makeChain({ ca: 120, intermediate: 100, leaf: 90 });
    secure = await startReplica({ https: { key: chain.key, cert: chain.served }, http2: true });
    const probes = await runCli(['probe', 'http', '--env', httpsProfile(secure.origin, 'lab', chain.caFile), '--pushgateway', gw.url], {
      PERFPULSE_USERNAME: DEMO_USER.username,
      PERFPULSE_PASSWORD: DEMO_USER.password,
    });
    assert.equal(probes.code, 0, probes.stderr);
    expiring = await startReplica({ https: true });
    const expiringCa = join(tmpDir(), 'ca.pem');
    writeFileSync(expiringCa, expiring.certificate ?? '');
    const soon = await runCli(['probe', 'http', '--env', httpsProfile(expiring.origin, 'tls', expiringCa), '--services', 'reg', '--pushgateway', gw.url]);
    assert.equal(soon.code, 0, soon.stderr);
    // the Kubernetes panels: a single shot (gauges) with one kind forbidden, and a loop (histogram)
    k8s = await startFakeK8s();
    k8s.faults.set('configmaps', { status: 403 });
    const home = { HOME: tmpDir('perfpulse-home-') };
    for (const [namespace, loop] of [['perfpulse', []], ['loop', ['--count', '2', '--sleep', '0']]] as const) {
      const kubeconfig = k8s.kubeconfig({ cluster: CLUSTER, namespace });
      const r = await runCli(['probe', 'k8s', '--kubeconfig', kubeconfig, '--pushgateway', gw.url, ...loop], home);
      assert.equal(r.code, 1, `configmaps answer 403, so the probe reports a failed call: ${r.stderr}`);
    }
    // the transfer and batch-job panels: clean on lab; on badpw a corrupted pull and a job stuck Pending
    const creds = { PERFPULSE_USERNAME: DEMO_USER.username, PERFPULSE_PASSWORD: DEMO_USER.password };
    const ops = (env: string, args: string[]) => runCli(['probe', ...args, '--env', profilePointingAt(replica.origin, env), '--pushgateway', gw.url], creds);
    assert.equal((await ops('lab', ['vospace', '--size', '64KiB'])).code, 0);
    assert.equal((await ops('lab', ['headless', '--poll', '0.1'])).code, 0);
    replica.faults.set('GET /arc/files/{path+}', { corrupt: true });
    replica.faults.set('POST /skaha/v1/session', { stuck: true });
    assert.equal((await ops('badpw', ['vospace', '--services', 'arc', '--size', '64KiB'])).code, 1);
    assert.equal((await ops('badpw', ['headless', '--poll', '0.1', '--deadline', '1'])).code, 1);
    replica.faults.clear();
    prom = await startPrometheus({ gatewayHostPort: new URL(gw.url).host, ruleFiles: [RULES] });
    // scraped once both groups are in: the gateway's own labels are replaced by the pushed ones
    await eventually('Prometheus has scraped both runs', 60_000, async () => {
      const r = await query('perfpulse_usersim_journey_success{job="perfpulse_usersim"}');
      return r.result.length === ENVS.length ? r : undefined;
    });
  });
  after(async () => {
    await prom?.stop();
    await k8s?.stop();
    await replica?.stop();
    await secure?.stop();
    await expiring?.stop();
  });

  it('the scraped series keep the pushed job, env and journey labels (honor_labels)', async () => {
    const r = await query('perfpulse_usersim_step_duration_seconds');
    const lab = r.result.filter((s) => s.metric.env === 'lab');
    assert.deepEqual(lab.map((s) => s.metric.step).sort(), ['open_login_page', 'see_user_menu', 'submit_credentials', 'token_login']);
    for (const s of lab) {
      assert.equal(s.metric.job, 'perfpulse_usersim');
      assert.equal(s.metric.journey, 'login');
      assert.ok(Number(s.value[1]) > 0);
    }
  });

  it('every dashboard panel query returns data', async () => {
    const dash = JSON.parse(readFileSync(DASHBOARD, 'utf8'));
    const panels = dashboardQueries(dash).filter((q) => q.panel);
    assert.ok(panels.length >= 8);
    for (const q of panels) {
      // Subqueries ([6h:1m]) sample on whole minutes: a value scraped a moment ago is seen by the
      // next minute at the latest, so wait for it rather than fail on the first try.
      const r = await eventually(`${q.where} returns data`, 90_000, async () => {
        const res = await query(substitute(q.expr));
        return res.result.length > 0 ? res : undefined;
      });
      for (const s of r.result) assert.ok(Number.isFinite(Number(s.value[1])), `${q.where}: ${JSON.stringify(s)}`);
    }
  });

  it('the panels show what the runs did: success 1 and 0, the failed step, a last success only where a run passed', async () => {
    const success = await query(substitute('perfpulse_usersim_journey_success{env=~"$env"}'));
    const byEnv = Object.fromEntries(success.result.map((s) => [s.metric.env, Number(s.value[1])]));
    assert.deepEqual(byEnv, { lab: 1, badpw: 0 });
    const failed = await query('perfpulse_usersim_step_failed{env="badpw"} == 1');
    assert.deepEqual(failed.result.map((s) => s.metric.step), ['submit_credentials']);
    const sinceOk = await query(substitute('time() - max by (env, journey) (perfpulse_usersim_journey_last_success_timestamp_seconds{env=~"$env"})'));
    assert.deepEqual(sinceOk.result.map((s) => s.metric.env), ['lab'], 'only lab ever passed');
  });

  it('the retries and users panels show what the runs did: 2 of 2 users passed lab, one attempt each', async () => {
    const users = await query('perfpulse_usersim_journey_users_count{env="lab"}');
    assert.deepEqual(Object.fromEntries(users.result.map((s) => [s.metric.result, Number(s.value[1])])), { passed: 2, failed: 0 });
    const single = await query('perfpulse_usersim_journey_users_count{env="badpw"}');
    assert.equal(single.result.length, 0, 'a single-user run exports no users gauge');
    const attempts = await query(substitute('perfpulse_usersim_journey_attempts_count{env=~"$env"}'));
    assert.deepEqual(attempts.result.map((s) => [s.metric.env, Number(s.value[1])]).sort(), [['badpw', 1], ['lab', 1]]);
    const spread = await query('perfpulse_usersim_step_users_duration_seconds{env="lab", step="submit_credentials"}');
    const byStat = Object.fromEntries(spread.result.map((s) => [s.metric.statistic, Number(s.value[1])]));
    assert.ok(byStat.min > 0 && byStat.min <= (byStat.median as number) && (byStat.median as number) <= (byStat.max as number), JSON.stringify(byStat));
  });

  it('the Kubernetes panels show latency per kind, the loop histogram, and the forbidden kind', async () => {
    const last = await query(`perfpulse_k8s_kubectl_last_latency_seconds{cluster="${CLUSTER}"}`);
    assert.deepEqual([...new Set(last.result.map((s) => s.metric.namespace))], ['perfpulse'], 'a single shot pushes gauges');
    assert.ok(last.result.some((s) => s.metric.kind === 'get_pods' && Number(s.value[1]) > 0));
    const p95 = await query(`histogram_quantile(0.95, sum by (namespace, kind, le) (perfpulse_k8s_kubectl_latency_seconds_bucket{cluster="${CLUSTER}"}))`);
    assert.deepEqual([...new Set(p95.result.map((s) => s.metric.namespace))], ['loop'], 'a loop pushes the histogram');
    const failed = await query(`perfpulse_k8s_kubectl_requests_total{cluster="${CLUSTER}", result!="ok"}`);
    assert.deepEqual(failed.result.map((s) => `${s.metric.namespace} ${s.metric.kind} ${s.metric.result}`).sort(), [
      'loop get_configmaps forbidden',
      'perfpulse get_configmaps forbidden',
    ]);
  });

  it("the dashboard's env and journey variables list the pushed values", async () => {
    const dash = JSON.parse(readFileSync(DASHBOARD, 'utf8'));
    for (const v of dashboardQueries(dash).filter((q) => !q.panel)) {
      const m = /^label_values\((.*),\s*(\w+)\)$/.exec(v.expr.trim());
      assert.ok(m, `${v.where}: label_values(<selector>, <label>)`);
      const [selector, label] = [substitute(m[1] as string), m[2] as string];
      assert.deepEqual(metricNamesIn(selector).length, 1);
      const values = await prom.api<string[]>(`label/${label}/values`, { 'match[]': selector });
      const expected = ({ env: ENVS, journey: ['login'], cluster: [CLUSTER], namespace: NAMESPACES } as Record<string, string[]>)[label] ?? [];
      assert.ok(expected.length, `${v.where}: a variable this test knows`);
      for (const e of expected) assert.ok(values.includes(e), `${v.where}: ${values} has ${e}`);
    }
  });

  it('every alert rule evaluates without error', async () => {
    const rules = await eventually('every rule evaluated', 60_000, async () => {
      const data = await prom.api<{ groups: { rules: Rule[] }[] }>('rules');
      const all = data.groups.flatMap((g) => g.rules);
      return all.length > 0 && all.every((r) => r.health !== 'unknown') ? all : undefined;
    });
    const file = parseYaml(readFileSync(join(PROJECT_ROOT, 'deploy', 'prometheus', 'perfpulse-rules.yaml'), 'utf8')) as { groups: { rules: unknown[] }[] };
    assert.equal(rules.length, file.groups.flatMap((g) => g.rules).length, 'every rule of the rules file is loaded');
    for (const r of rules) assert.equal(r.health, 'ok', `${r.name}: ${r.lastError}`);
  });

  it('alerts: the failing env is failing (pending) and has no recent success, the passing env raises nothing', async () => {
    // The last-success rule's subquery sees a fresh value from the next whole minute on (why it has
    // `for: 2m`): wait until it no longer counts `lab` as never passed.
    const alerts = await eventually('alerts settle', 90_000, async () => {
      const data = await prom.api<{ alerts: { labels: Record<string, string>; annotations: Record<string, string>; state: string }[] }>('alerts');
      const list = data.alerts.filter((a) => ENVS.includes(a.labels.env ?? ''));
      const settled = !list.some((a) => a.labels.env === 'lab') && list.filter((a) => a.labels.env === 'badpw').length >= 4;
      return settled ? list : undefined;
    });
    const seen = alerts.map((a) => `${a.labels.alertname} ${a.labels.env} ${a.labels.journey ?? a.labels.kind ?? '-'}`).sort();
    assert.deepEqual(seen, ['PerfpulseHeadlessJobsNotCompleting badpw -', 'PerfpulseJourneyFailing badpw login', 'PerfpulseLastSuccessTooOld badpw login', 'PerfpulseVosTransferFailing badpw vos_pull']);
    const transfer = alerts.find((a) => a.labels.alertname === 'PerfpulseVosTransferFailing');
    assert.match(transfer?.annotations.description ?? '', /class: download\./, 'the annotation names the failure class');
    const failing = alerts.find((a) => a.labels.alertname === 'PerfpulseJourneyFailing');
    assert.match(failing?.annotations.description ?? '', /failing step: submit_credentials\./, 'the annotation names the failed step');
    const data = await prom.api<{ alerts: { labels: Record<string, string> }[] }>('alerts');
    assert.ok(!data.alerts.some((a) => ['PerfpulseNothingPushed', 'PerfpulsePushFailing', 'PerfpulseJourneyNotPushed', 'PerfpulseCertificateInvalid'].includes(a.labels.alertname ?? '')));
  });

  it('the host panels and the certificate alert: 90 days left on lab, tomorrow on tls (pending), both chains valid, lab over HTTP/2', async () => {
    const left = await query('min by (env, role) (perfpulse_http_tls_cert_expiry_timestamp_seconds) - time()');
    const days = (env: string) => left.result.filter((s) => s.metric.env === env).map((s) => Number(s.value[1]) / 86400);
    assert.equal(days('lab').length, 5);
    assert.ok(days('lab').every((d) => d > 89 && d <= 90), `lab: ${days('lab')}`);
    assert.ok(days('tls').length === 5 && days('tls').every((d) => d > 0 && d <= 1), `tls: ${days('tls')}`);
    const valid = await query('perfpulse_http_tls_chain_valid');
    assert.ok(valid.result.length === 10 && valid.result.every((s) => s.value[1] === '1'));
    const versions = await query('perfpulse_http_version_info{env="lab"}');
    assert.deepEqual([...new Set(versions.result.map((s) => s.metric.http_version))], ['http_2']);
    const alerts = await eventually('the certificate alert is pending for tls', 60_000, async () => {
      const data = await prom.api<{ alerts: { labels: Record<string, string>; state: string }[] }>('alerts');
      const list = data.alerts.filter((a) => a.labels.alertname === 'PerfpulseCertificateExpiresSoon');
      return list.length >= 5 ? list : undefined;
    });
    assert.deepEqual(alerts.map((a) => `${a.labels.env} ${a.labels.role} ${a.state}`).sort(), ['canfar', 'ws', 'ws_cadc', 'ws_uv', 'www'].map((r) => `tls ${r} pending`));
  });
});
