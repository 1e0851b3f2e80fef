/**
 * End to end, all real: the CLI runs the login journey in Chromium against the replica and pushes
 * to a prometheus-pushgateway; a prometheus scrapes that gateway (honor_labels) every second and
 * loads deploy/prometheus/perfpulse-rules.yaml. Then every query of the Grafana dashboard
 * (deploy/grafana/perfpulse-journeys.json), with its template variables filled in, must return
 * data through Prometheus' HTTP API, and every alert rule must evaluate without error and fire
 * (or not) as the runs deserve.
 *
 * Two runs: env `lab` with the right password (passes) and env `badpw` with a wrong one (fails at
 * submit_credentials), so the failure panels and alerts have something to show.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startLocalPushgateway, type LocalGateway } from '../src/push/local-gateway.ts';
import { startReplica, type Replica } from '../src/replica/server.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { PROJECT_ROOT } from '../src/runtime/journeys.ts';
import { dashboardQueries, metricNamesIn } from './support/deploy.ts';
import { profilePointingAt, runCli } from './support/helpers.ts';
import { eventually, startPrometheus, type LocalPrometheus } from './support/prometheus.ts';

const DASHBOARD = join(PROJECT_ROOT, 'deploy', 'grafana', 'perfpulse-journeys.json');
const RULES = join(PROJECT_ROOT, 'deploy', 'prometheus', 'perfpulse-rules.yaml');
const ENVS = ['lab', 'badpw'];

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
    .replaceAll('$__range', '1h')
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__interval', '15s');
}

describe('dashboard and alert rules on a real Prometheus scraping a real Pushgateway after real runs', () => {
  let gw: LocalGateway;
  let replica: Replica;
  let prom: LocalPrometheus;
  const query = (expr: string) => prom.api<{ resultType: string; result: Sample[] }>('query', { query: expr });

  before(async () => {
    gw = await startLocalPushgateway();
    replica = await startReplica();
    const pass = await runCli(['--env', profilePointingAt(replica.origin, 'lab'), '--journeys', 'login', '--pushgateway', gw.url], {
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
    prom = await startPrometheus({ gatewayHostPort: new URL(gw.url).host, ruleFiles: [RULES] });
    // scraped once both groups are in: the gateway's own labels are replaced by the pushed ones
    await eventually('Prometheus has scraped both runs', 60_000, async () => {
      const r = await query('perfpulse_usersim_journey_success{job="perfpulse_usersim"}');
      return r.result.length === ENVS.length ? r : undefined;
    });
  });
  after(async () => {
    await prom?.stop();
    await replica?.stop();
    await gw?.stop();
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
    const sinceOk = await query(
      substitute(
        'time() - max by (env, journey) (max_over_time((perfpulse_usersim_journey_run_timestamp_seconds{env=~"$env"} and perfpulse_usersim_journey_success{env=~"$env"} == 1)[6h:1m]))',
      ),
    );
    assert.deepEqual(sinceOk.result.map((s) => s.metric.env), ['lab'], 'only lab ever passed');
  });

  it("the dashboard's env and journey variables list the pushed values", async () => {
    const dash = JSON.parse(readFileSync(DASHBOARD, 'utf8'));
    for (const v of dashboardQueries(dash).filter((q) => !q.panel)) {
      const m = /^label_values\((.*),\s*(\w+)\)$/.exec(v.expr.trim());
      assert.ok(m, `${v.where}: label_values(<selector>, <label>)`);
      const [selector, label] = [substitute(m[1] as string), m[2] as string];
      assert.deepEqual(metricNamesIn(selector).length, 1);
      const values = await prom.api<string[]>(`label/${label}/values`, { 'match[]': selector });
      const expected = label === 'env' ? ENVS : ['login'];
      for (const e of expected) assert.ok(values.includes(e), `${v.where}: ${values} has ${e}`);
    }
  });

  it('every alert rule evaluates without error', async () => {
    const rules = await eventually('every rule evaluated', 60_000, async () => {
      const data = await prom.api<{ groups: { rules: Rule[] }[] }>('rules');
      const all = data.groups.flatMap((g) => g.rules);
      return all.length > 0 && all.every((r) => r.health !== 'unknown') ? all : undefined;
    });
    assert.equal(rules.length, 5);
    for (const r of rules) assert.equal(r.health, 'ok', `${r.name}: ${r.lastError}`);
  });

  it('alerts: the failing env is failing (pending) and has no recent success, the passing env raises nothing', async () => {
    // The last-success rule's subquery sees a fresh value from the next whole minute on (why it has
    // `for: 2m`): wait until it no longer counts `lab` as never passed.
    const alerts = await eventually('alerts settle', 90_000, async () => {
      const data = await prom.api<{ alerts: { labels: Record<string, string>; annotations: Record<string, string>; state: string }[] }>('alerts');
      const list = data.alerts.filter((a) => ENVS.includes(a.labels.env ?? ''));
      const settled = !list.some((a) => a.labels.env === 'lab') && list.filter((a) => a.labels.env === 'badpw').length >= 2;
      return settled ? list : undefined;
    });
    const seen = alerts.map((a) => `${a.labels.alertname} ${a.labels.env} ${a.labels.journey}`).sort();
    assert.deepEqual(seen, ['PerfpulseJourneyFailing badpw login', 'PerfpulseLastSuccessTooOld badpw login']);
    const failing = alerts.find((a) => a.labels.alertname === 'PerfpulseJourneyFailing');
    assert.match(failing?.annotations.description ?? '', /failing step: submit_credentials\./, 'the annotation names the failed step');
    const data = await prom.api<{ alerts: { labels: Record<string, string> }[] }>('alerts');
    assert.ok(!data.alerts.some((a) => ['PerfpulseNothingPushed', 'PerfpulsePushFailing', 'PerfpulseJourneyNotPushed'].includes(a.labels.alertname ?? '')));
  });
});
