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
 * run once on the replica, and the Kubernetes probes against the fake HTTPS API (the one stand-in
 * allowed): a single shot in namespace `perfpulse` with configmaps forbidden, and a two-round loop
 * (which pushes the latency histogram) in namespace `loop`. The VOSpace transfer and headless job
 * probes run once per env on the replica: clean on `lab`, on `badpw` with a corrupted pull (class
 * download) and a job stuck Pending (past its deadline), so their failure panels and alerts have
 * something to show.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startReplica, type Replica } from '../src/replica/server.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { PROJECT_ROOT } from '../src/runtime/runner/journeys.ts';
import { dashboardQueries, metricNamesIn } from './support/deploy.ts';
import { profilePointingAt, runCli, tmpDir } from './support/helpers.ts';
import { eventually, startPrometheus, type LocalPrometheus } from './support/prometheus.ts';
import { startFakeK8s, type FakeK8s } from './support/fake-k8s.ts';
import { suiteGateway } from './support/gateway.ts';

const DASHBOARD = join(PROJECT_ROOT, 'deploy', 'grafana', 'perfpulse-journeys.json');
const RULES = join(PROJECT_ROOT, 'deploy', 'prometheus', 'perfpulse-rules.yaml');
const ENVS = ['lab', 'badpw'];
const CLUSTER = 'lab-cluster';
const NAMESPACES = ['loop', 'perfpulse'];

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
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
    // the service panels: one run of the service probes on the same replica
    const probes = await runCli(['probe', 'http', '--env', profilePointingAt(replica.origin, 'lab'), '--pushgateway', gw.url], {
      PERFPULSE_USERNAME: DEMO_USER.username,
      PERFPULSE_PASSWORD: DEMO_USER.password,
    });
    assert.equal(probes.code, 0, probes.stderr);
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
    assert.equal(rules.length, 7);
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
    assert.ok(!data.alerts.some((a) => ['PerfpulseNothingPushed', 'PerfpulsePushFailing', 'PerfpulseJourneyNotPushed'].includes(a.labels.alertname ?? '')));
  });
});
