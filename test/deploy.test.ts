/**
 * deploy/ and the Dockerfile, checked without a cluster or a Docker engine:
 * - every Kubernetes manifest against the Kubernetes API schemas shipped by the `kubernetes-models`
 *   package (its validators: types, enums, required fields), plus its TypeScript types for unknown
 *   or misspelled fields (the validators allow extra fields, the API server drops them silently);
 * - yamllint over all of deploy/ (Debian's yamllint, settings in deploy/.yamllint.yaml);
 * - the CronJob's timing, Secret, ConfigMap, RBAC and sharding choices;
 * - `promtool check rules` and `promtool test rules`;
 * - the Grafana dashboard against the dashboard types of `@grafana/schema` (unknown fields too), and
 *   every metric a dashboard panel or an alert uses is in the metric catalog;
 * - the Dockerfile's Chromium major is the one the pinned Playwright expects;
 * - what `kubectl kustomize` renders of the base and of an overlay with the journeys, monitoring
 *   and pushgateway components: every object against its schema (the Prometheus Operator's kinds
 *   from @kubernetes-models/prometheus-operator), the spool on a claim, the PrometheusRule's groups
 *   equal to the rule file, the ServiceMonitor on the Pushgateway Service, the dashboard ConfigMap.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { loadProfile } from '../src/config/profile.ts';
import { probeOptions } from '../src/probes/plan.ts';
import { allMetrics } from '../src/metrics/catalog.ts';
import { expectedChromiumVersion } from '../src/runtime/browser/browser.ts';
import { PROJECT_ROOT } from '../src/runtime/runner/journeys.ts';
import { DASHBOARD_CONFIGMAP_FILE, DASHBOARD_FILE, PROMETHEUS_RULE_FILE, RULES_FILE, dashboardConfigMap, prometheusRule } from '../scripts/monitoring.ts';
import { dashboardQueries, metricNamesIn, PUSHGATEWAY_METRICS, ruleExpressions } from './support/deploy.ts';
import { tmpDir } from './support/helpers.ts';

const DEPLOY = join(PROJECT_ROOT, 'deploy');
const K8S = join(DEPLOY, 'k8s');
const MODELS = join(PROJECT_ROOT, 'node_modules', 'kubernetes-models');

type Obj = Record<string, any>;

/** Every document of a YAML file, parsed as Kubernetes does (YAML 1.1: 0440 is octal) unless told otherwise. */
function yamlDocs(file: string, version: '1.1' | '1.2' = '1.1'): Obj[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'), { version });
  return docs.map((d) => {
    assert.deepEqual(d.errors, [], `${file}: ${d.errors.join('; ')}`);
    return d.toJS() as Obj;
  }).filter((d) => d !== null);
}

const manifestFiles = readdirSync(K8S).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
const manifests = manifestFiles.flatMap((f) => yamlDocs(join(K8S, f)).map((doc) => ({ file: f, doc })));
const byKind = (kind: string) => manifests.filter((m) => m.doc.kind === kind).map((m) => m.doc);
const one = (kind: string, name?: string): Obj => {
  const found = byKind(kind).filter((d) => !name || d.metadata?.name === name || d.metadata?.generateName?.startsWith(name));
  assert.equal(found.length, 1, `exactly one ${kind}${name ? ` ${name}` : ''} in deploy/k8s`);
  return found[0] as Obj;
};
const OPERATOR_MODELS = join(PROJECT_ROOT, 'node_modules', '@kubernetes-models', 'prometheus-operator');
/** The model module for an apiVersion and kind: <apiVersion>/<Kind>.js of kubernetes-models, or of the Prometheus Operator's models. */
const modelPath = (apiVersion: string, kind: string) =>
  join(apiVersion.startsWith('monitoring.coreos.com/') ? OPERATOR_MODELS : MODELS, apiVersion, `${kind}.js`);

/** Kubernetes quantity (Mi, Gi, m, plain) as a number of bytes or cores. */
function quantity(q: string | number): number {
  const m = /^([0-9.]+)(Ki|Mi|Gi|m)?$/.exec(String(q));
  assert.ok(m, `quantity ${q}`);
  const unit = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, m: 1e-3 }[m[2] as 'Ki'] ?? 1;
  return Number(m[1]) * unit;
}

/**
 * Type-checks each value as a fresh object literal of an exported type of `module` (a .js path
 * whose .d.ts holds the type), so TypeScript reports wrong types and, unlike the JSON-schema
 * validators, unknown fields at any depth. Enum-typed fields accept their string values, as JSON has them.
 */
function excessPropertyErrors(entries: { module: string; type: string; value: unknown }[]): string[] {
  const lines = [
    'type J<T> = T extends string ? `${T}` : T extends number ? number : T extends (infer U)[] ? J<U>[] : T extends object ? { [K in keyof T]: J<T[K]> } : T;',
    ...entries.map(
      (e, i) => `import type { ${e.type} as T${i} } from ${JSON.stringify(e.module)};\nexport const o${i}: J<T${i}> = ${JSON.stringify(e.value, null, 1)};`,
    ),
  ];
  const file = join(tmpDir('perfpulse-types-'), 'objects.ts');
  writeFileSync(file, lines.join('\n'));
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2023,
    types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

function podSpecs(): { name: string; spec: Obj }[] {
  return [
    { name: 'CronJob', spec: one('CronJob').spec.jobTemplate.spec.template.spec },
    { name: 'campaign Job', spec: one('Job').spec.template.spec },
  ];
}

describe('Kubernetes manifests (deploy/k8s)', () => {
  it('every object validates against the Kubernetes API schema of its kind', async () => {
    assert.ok(manifests.length >= 8, `found ${manifests.length} objects`);
    for (const { file, doc } of manifests) {
      const path = modelPath(doc.apiVersion, doc.kind);
      assert.ok(existsSync(path), `${file}: no Kubernetes schema for ${doc.apiVersion} ${doc.kind}`);
      const Model = (await import(pathToFileURL(path).href))[doc.kind];
      assert.doesNotThrow(() => new Model(doc).validate(), `${file}: ${doc.kind} ${doc.metadata?.name ?? ''}`);
    }
  });

  it('the schema check catches a wrong type and a bad enum value (the validator is live)', async () => {
    const cron = structuredClone(one('CronJob'));
    const Model = (await import(pathToFileURL(modelPath('batch/v1', 'CronJob')).href)).CronJob;
    cron.spec.concurrencyPolicy = 'Never';
    assert.throws(() => new Model(cron).validate(), /concurrencyPolicy/);
    const job = structuredClone(one('CronJob'));
    job.spec.jobTemplate.spec.activeDeadlineSeconds = '240';
    assert.throws(() => new Model(job).validate(), /activeDeadlineSeconds/);
  });

  it('no object has an unknown or misspelled field (TypeScript types of the API, excess-property check)', () => {
    const entry = (doc: Obj) => ({ module: modelPath(doc.apiVersion, doc.kind), type: `I${doc.kind}`, value: doc });
    assert.deepEqual(excessPropertyErrors(manifests.map((m) => entry(m.doc))), []);
    // and the check does catch a misspelled field
    const typo = structuredClone(one('CronJob'));
    typo.spec.jobTemplate.spec.template.spec.terminationGracePeriod = 45;
    const errors = excessPropertyErrors([entry(typo)]);
    assert.ok(errors.some((e) => e.includes('terminationGracePeriod')), errors.join('\n'));
  });

  it('kustomization.yaml lists files that exist, one namespace, and the image the CronJob uses', () => {
    const [k] = yamlDocs(join(K8S, 'kustomization.yaml')) as [Obj];
    assert.equal(k.kind, 'Kustomization');
    for (const r of k.resources as string[]) assert.ok(existsSync(join(K8S, r)), `kustomization resource ${r}`);
    for (const { file, doc } of manifests) {
      if (['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(doc.kind)) continue;
      assert.equal(doc.metadata.namespace, k.namespace, `${file}: ${doc.kind} namespace`);
    }
    const cronImage = one('CronJob').spec.jobTemplate.spec.template.spec.containers[0].image;
    assert.ok((k.images as Obj[]).some((i) => i.name === cronImage), `kustomization sets image ${cronImage}`);
    assert.ok(!(k.resources as string[]).includes('secret.example.yaml'), 'the example Secret is never applied');
    assert.ok(!(k.resources as string[]).includes('campaign-job.yaml'), 'the campaign is started on demand');
  });

  it('the CronJob runs every 5 minutes, never overlaps, never retries, and stops before the next run', () => {
    const cron = one('CronJob');
    assert.equal(cron.spec.schedule, '*/5 * * * *');
    assert.equal(cron.spec.concurrencyPolicy, 'Forbid');
    assert.ok(cron.spec.startingDeadlineSeconds > 0 && cron.spec.startingDeadlineSeconds < 300);
    const job = cron.spec.jobTemplate.spec;
    assert.equal(job.backoffLimit, 0);
    const pod = job.template.spec;
    assert.equal(pod.restartPolicy, 'Never');
    // SIGTERM -> the CLI stops the journeys and pushes (10 s deadline per push, ~30 s in all)
    assert.ok(pod.terminationGracePeriodSeconds >= 35, `grace ${pod.terminationGracePeriodSeconds} s fits the final push`);
    assert.ok(
      job.activeDeadlineSeconds + pod.terminationGracePeriodSeconds < 300,
      `deadline ${job.activeDeadlineSeconds} s + grace ${pod.terminationGracePeriodSeconds} s < the 300 s interval`,
    );
  });

  for (const { name, spec } of podSpecs()) {
    it(`${name}: non-root, memory-backed /dev/shm, resources, password as a file, env profile from the ConfigMap`, () => {
      const [c] = spec.containers as [Obj];
      assert.equal(spec.securityContext.runAsNonRoot, true);
      assert.notEqual(spec.securityContext.runAsUser, 0);
      assert.equal(c.securityContext.allowPrivilegeEscalation, false);
      const volume = (mountPath: string) => {
        const mount = (c.volumeMounts as Obj[]).find((m) => mountPath.startsWith(m.mountPath));
        assert.ok(mount, `a volume is mounted at ${mountPath}`);
        return (spec.volumes as Obj[]).find((v) => v.name === mount.name) as Obj;
      };
      assert.equal(volume('/dev/shm').emptyDir?.medium, 'Memory');
      const { requests, limits } = c.resources;
      assert.ok(quantity(requests.memory) >= 2 ** 30, 'memory request covers the measured ~0.8 GiB PSS of a run');
      assert.ok(quantity(limits.memory) >= quantity(requests.memory));
      assert.ok(quantity(requests.cpu) > 0);

      const env = new Map((c.env as Obj[]).map((e) => [e.name, e]));
      assert.ok(!env.has('PERFPULSE_PASSWORD'), 'the password is never an environment variable');
      const pwFile = env.get('PERFPULSE_PASSWORD_FILE')?.value as string;
      const secretVol = volume(pwFile);
      assert.equal(secretVol.secret?.secretName, 'perfpulse-credentials');
      const mount = (c.volumeMounts as Obj[]).find((m) => m.name === secretVol.name) as Obj;
      assert.equal(mount.readOnly, true);
      assert.ok((secretVol.secret.items as Obj[]).some((i) => join(mount.mountPath, i.path) === pwFile), 'the password file is a Secret key');
      assert.equal(secretVol.secret.defaultMode, 0o440, 'readable by the pod group only');
      assert.equal(env.get('PERFPULSE_USERNAME')?.valueFrom?.secretKeyRef?.name, 'perfpulse-credentials');

      const envArg = (c.args as string[])[(c.args as string[]).indexOf('--env') + 1] as string;
      assert.equal(volume(envArg).configMap?.name, 'perfpulse-env');
      assert.ok(byKind('ServiceAccount').some((sa) => sa.metadata.name === spec.serviceAccountName), 'its ServiceAccount exists');
    });
  }

  it('the ConfigMap holds an env profile that the CLI loads', () => {
    const cm = one('ConfigMap', 'perfpulse-env');
    const file = join(tmpDir(), 'env.yaml');
    writeFileSync(file, cm.data['env.yaml']);
    const profile = loadProfile(file);
    assert.equal(profile.name, 'prod');
    assert.equal(profile.replica, false);
    // each run also probes the services and the cluster's API, which is what the RBAC is for
    const probes = probeOptions(profile);
    assert.ok(probes.http, 'service probes enabled');
    assert.equal(probes.k8s?.kubeconfig, undefined, 'the in-cluster service account, no kubeconfig file');
    assert.ok(probes.k8s?.namespace && probes.k8s.cluster, 'a namespace to probe and a cluster label');
  });

  it('RBAC lets the probes read pods, jobs, deployments, services, configmaps and events, and nothing more', () => {
    const role = one('ClusterRole');
    const granted = new Set<string>();
    for (const rule of role.rules as Obj[]) {
      assert.deepEqual([...rule.verbs].sort(), ['get', 'list', 'watch'], 'read-only verbs');
      for (const g of rule.apiGroups) for (const r of rule.resources) granted.add(`${g}/${r}`);
    }
    for (const need of ['/pods', 'batch/jobs', 'apps/deployments', '/services', '/configmaps', '/events']) {
      assert.ok(granted.has(need), `grants ${need}`);
    }
    assert.ok(![...granted].some((g) => g.endsWith('/secrets') || g.includes('*')), 'no secrets, no wildcards');
    const binding = one('ClusterRoleBinding');
    assert.equal(binding.roleRef.name, role.metadata.name);
    const sa = one('ServiceAccount');
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace }]);
  });

  it('the campaign is an Indexed Job whose shard count matches its completions', () => {
    const job = one('Job', 'perfpulse-campaign');
    assert.equal(job.spec.completionMode, 'Indexed');
    assert.ok(job.spec.completions > 1);
    const env = new Map((job.spec.template.spec.containers[0].env as Obj[]).map((e) => [e.name, e.value]));
    assert.equal(Number(env.get('PERFPULSE_SHARD_COUNT')), job.spec.completions);
    assert.equal(job.spec.template.spec.restartPolicy, 'Never');
  });
});

/** `kubectl kustomize <dir>`, parsed as Kubernetes does (YAML 1.1). */
function kustomize(dir: string): Obj[] {
  const r = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  assert.equal(r.error, undefined, 'kubectl is installed (npm run setup)');
  const version = () => spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ').trim();
  // components need kustomize >= 3.7 (kubectl >= 1.21); Debian bookworm's kubernetes-client 1.20 is older
  assert.equal(r.status, 0, `${r.stderr} (${version()})`);
  return parseAllDocuments(r.stdout, { version: '1.1' }).map((d) => d.toJS() as Obj);
}

/** An operator's overlay: the base plus the journeys, monitoring and pushgateway components, one line each. */
function overlay(): string {
  const dir = tmpDir('perfpulse-overlay-');
  symlinkSync(DEPLOY, join(dir, 'deploy')); // as node_modules/perfpulse-journeys/deploy is for a user of the package
  mkdirSync(join(dir, 'journeys'));
  writeFileSync(join(dir, 'journeys', 'my_flow.journey.ts'), "import { journey } from 'perfpulse-journeys';\n");
  writeFileSync(
    join(dir, 'kustomization.yaml'),
    `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deploy/k8s
components:
  - deploy/journeys
  - deploy/monitoring
  - deploy/pushgateway
configMapGenerator:
  - name: perfpulse-user-journeys
    namespace: perfpulse
    files: [journeys/my_flow.journey.ts]
`,
  );
  return dir;
}

/** Every object validates against its kind's schema, and has no field its API types do not know. */
async function assertValid(objs: Obj[], where: string): Promise<void> {
  for (const doc of objs) {
    const path = modelPath(doc.apiVersion, doc.kind);
    assert.ok(existsSync(path), `${where}: no schema for ${doc.apiVersion} ${doc.kind}`);
    const Model = (await import(pathToFileURL(path).href))[doc.kind];
    assert.doesNotThrow(() => new Model(doc).validate(), `${where}: ${doc.kind} ${doc.metadata?.name ?? ''}`);
  }
  assert.deepEqual(excessPropertyErrors(objs.map((doc) => ({ module: modelPath(doc.apiVersion, doc.kind), type: `I${doc.kind}`, value: doc }))), [], where);
}

describe('kubectl kustomize: the base, and an overlay with the components', () => {
  const base = kustomize(K8S);
  const full = kustomize(overlay());
  const find = (objs: Obj[], kind: string, name?: string) => {
    const found = objs.filter((o) => o.kind === kind && (!name || o.metadata.name.startsWith(name)));
    assert.equal(found.length, 1, `one ${kind} ${name ?? ''}`);
    return found[0] as Obj;
  };
  const cronPod = (objs: Obj[]) => find(objs, 'CronJob').spec.jobTemplate.spec.template.spec as Obj;

  it('every rendered object validates against the schema of its kind, with no unknown field (the Operator kinds too)', async () => {
    await assertValid(base, 'deploy/k8s');
    await assertValid(full, 'overlay');
    const kinds = new Set(full.map((o) => o.kind));
    for (const k of ['CronJob', 'PersistentVolumeClaim', 'PrometheusRule', 'ServiceMonitor', 'Deployment', 'Service']) assert.ok(kinds.has(k), `the overlay renders a ${k}`);
    // and the Operator's schema is live: a wrong type in a ServiceMonitor is caught
    const sm = structuredClone(find(full, 'ServiceMonitor'));
    sm.spec.endpoints[0].honorLabels = 'yes';
    const Model = (await import(pathToFileURL(modelPath(sm.apiVersion, sm.kind)).href)).ServiceMonitor;
    assert.throws(() => new Model(sm).validate(), /honorLabels/);
  });

  it("the CronJob keeps its spool on the PersistentVolumeClaim: PERFPULSE_SPOOL_DIR is under the claim's mount", () => {
    for (const objs of [base, full]) {
      const pod = cronPod(objs);
      const c = pod.containers[0] as Obj;
      const spool = (c.env as Obj[]).find((e) => e.name === 'PERFPULSE_SPOOL_DIR')?.value as string;
      assert.ok(spool, 'PERFPULSE_SPOOL_DIR is set');
      const mount = (c.volumeMounts as Obj[]).find((m) => spool === m.mountPath || spool.startsWith(`${m.mountPath}/`)) as Obj;
      assert.ok(mount, `${spool} is on a mount`);
      const volume = (pod.volumes as Obj[]).find((v) => v.name === mount.name) as Obj;
      const claim = volume.persistentVolumeClaim?.claimName;
      assert.ok(claim, `${mount.mountPath} is a PersistentVolumeClaim, not ${Object.keys(volume).join(', ')}`);
      const pvc = find(objs, 'PersistentVolumeClaim', claim);
      assert.equal(pvc.metadata.namespace, find(objs, 'CronJob').metadata.namespace);
      assert.ok(quantity(pvc.spec.resources.requests.storage) >= 64 * 2 ** 20, 'room for the spool (500 pushes at most)');
      assert.ok(!mount.readOnly);
    }
  });

  it('the campaign Job: every index spools into a folder of its own on the same claim', () => {
    const job = one('Job', 'perfpulse-campaign');
    const pod = job.spec.template.spec as Obj;
    const c = pod.containers[0] as Obj;
    const env = c.env as Obj[];
    const spool = env.find((e) => e.name === 'PERFPULSE_SPOOL_DIR')?.value as string;
    assert.match(spool, /\$\(JOB_COMPLETION_INDEX\)/, 'one folder per Job index');
    const index = env.findIndex((e) => e.name === 'JOB_COMPLETION_INDEX');
    assert.ok(index >= 0 && index < env.findIndex((e) => e.name === 'PERFPULSE_SPOOL_DIR'), 'JOB_COMPLETION_INDEX is defined before it (Kubernetes expands only earlier variables)');
    assert.equal(env[index]?.valueFrom?.fieldRef?.fieldPath, "metadata.annotations['batch.kubernetes.io/job-completion-index']");
    const mount = (c.volumeMounts as Obj[]).find((m) => spool.startsWith(`${m.mountPath}/`)) as Obj;
    const volume = (pod.volumes as Obj[]).find((v) => v.name === mount.name) as Obj;
    assert.equal(volume.persistentVolumeClaim?.claimName, cronPod(base).volumes.find((v: Obj) => v.persistentVolumeClaim)?.persistentVolumeClaim.claimName);
    const cronSpool = (cronPod(base).containers[0].env as Obj[]).find((e) => e.name === 'PERFPULSE_SPOOL_DIR')?.value;
    assert.notEqual(posix.dirname(cronSpool), spool, 'the CronJob has a folder of its own too');
  });

  it('the PrometheusRule groups equal the rule file that promtool tests; the generated files are what npm run deploy:monitoring makes', () => {
    const rule = find(full, 'PrometheusRule');
    const file = (parseAllDocuments(readFileSync(RULES_FILE, 'utf8'))[0]?.toJS() as Obj).groups;
    assert.deepEqual(rule.spec.groups, file);
    assert.equal(readFileSync(PROMETHEUS_RULE_FILE, 'utf8'), prometheusRule(), 'deploy/monitoring/prometheusrule.yaml is stale: run npm run deploy:monitoring');
    assert.equal(readFileSync(DASHBOARD_CONFIGMAP_FILE, 'utf8'), dashboardConfigMap(), 'deploy/monitoring/grafana-dashboard.yaml is stale: run npm run deploy:monitoring');
    // the comparison is live: a changed threshold is a difference
    const changed = structuredClone(file);
    changed[0].rules[0].expr = `${changed[0].rules[0].expr} + 1`;
    assert.notDeepEqual(rule.spec.groups, changed);
  });

  it('the ServiceMonitor selects the Pushgateway Service the CronJob pushes to, by a port it has, with honorLabels: true', () => {
    const sm = find(full, 'ServiceMonitor');
    const svc = find(full, 'Service', 'pushgateway');
    assert.ok((sm.spec.namespaceSelector.matchNames as string[]).includes(svc.metadata.namespace));
    for (const [k, v] of Object.entries(sm.spec.selector.matchLabels as Record<string, string>)) assert.equal(svc.metadata.labels?.[k], v, `the Service has ${k}=${v}`);
    const endpoint = sm.spec.endpoints[0] as Obj;
    assert.equal(endpoint.honorLabels, true, 'job, env and journey stay the pushed ones');
    const port = (svc.spec.ports as Obj[]).find((p) => p.name === endpoint.port) as Obj;
    assert.ok(port, `the Service has a port named ${endpoint.port}`);
    const pushTo = new URL((cronPod(full).containers[0].env as Obj[]).find((e) => e.name === 'PERFPULSE_PUSHGATEWAY')?.value);
    assert.equal(pushTo.host, `${svc.metadata.name}.${svc.metadata.namespace}.svc:${port.port}`, 'the CronJob pushes to that Service');
    // the Deployment behind it serves that port and keeps its groups on a claim (a restart keeps them)
    const gw = find(full, 'Deployment', 'pushgateway');
    for (const [k, v] of Object.entries(svc.spec.selector as Record<string, string>)) assert.equal(gw.spec.template.metadata.labels[k], v);
    const c = gw.spec.template.spec.containers[0] as Obj;
    const file = (c.args as string[]).find((a) => a.startsWith('--persistence.file='))?.split('=')[1] as string;
    const mount = (c.volumeMounts as Obj[]).find((m) => file.startsWith(`${m.mountPath}/`)) as Obj;
    const claim = (gw.spec.template.spec.volumes as Obj[]).find((v) => v.name === mount.name)?.persistentVolumeClaim?.claimName;
    assert.ok(claim && find(full, 'PersistentVolumeClaim', claim), 'the persistence file is on a claim');
  });

  it('the dashboard ConfigMap is labelled grafana_dashboard: "1" and holds deploy/grafana/perfpulse-journeys.json', () => {
    const cm = find(full, 'ConfigMap', 'perfpulse-journeys-dashboard');
    assert.equal(cm.metadata.labels.grafana_dashboard, '1');
    const [key, json] = Object.entries(cm.data as Record<string, string>)[0] as [string, string];
    assert.match(key, /\.json$/);
    assert.deepEqual(JSON.parse(json), JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')));
  });

  it("the journeys component mounts the overlay's ConfigMap of journeys where PERFPULSE_JOURNEYS_DIR points", () => {
    const pod = cronPod(full);
    const c = pod.containers[0] as Obj;
    const dir = (c.env as Obj[]).find((e) => e.name === 'PERFPULSE_JOURNEYS_DIR')?.value;
    const mount = (c.volumeMounts as Obj[]).find((m) => m.mountPath === dir) as Obj;
    const cm = find(full, 'ConfigMap', 'perfpulse-user-journeys');
    assert.equal((pod.volumes as Obj[]).find((v) => v.name === mount.name)?.configMap?.name, cm.metadata.name);
    assert.deepEqual(Object.keys(cm.data), ['my_flow.journey.ts']);
    assert.equal(dir, '/app/journeys', "in /app, where the image's node_modules/perfpulse-journeys is found");
    assert.ok(!(cronPod(base).containers[0].env as Obj[]).some((e) => e.name === 'PERFPULSE_JOURNEYS_DIR'), 'the base runs the built-in journeys only');
  });
});

describe('yamllint (deploy/)', () => {
  it('passes on every YAML file under deploy/ with deploy/.yamllint.yaml', () => {
    const r = spawnSync('yamllint', ['-s', '-c', join(DEPLOY, '.yamllint.yaml'), DEPLOY], { encoding: 'utf8' });
    assert.equal(r.error, undefined, 'yamllint is installed (npm run setup)');
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('fails on a duplicate key (the linter is live with these settings)', () => {
    const file = join(tmpDir(), 'bad.yaml');
    writeFileSync(file, 'a: 1\na: 2\n');
    const r = spawnSync('yamllint', ['-s', '-c', join(DEPLOY, '.yamllint.yaml'), file], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /duplication of key "a"/);
  });
});

describe('scheduled-CI examples (deploy/ci)', () => {
  const CI = join(DEPLOY, 'ci');
  it('GitHub Actions: every 5 minutes, one at a time, credentials only from the secret store', () => {
    const text = readFileSync(join(CI, 'github-actions.yml'), 'utf8');
    const [wf] = yamlDocs(join(CI, 'github-actions.yml'), '1.2') as [Obj]; // 1.2: `on` is a key, not true
    assert.equal(wf.on.schedule[0].cron, '*/5 * * * *');
    assert.equal(wf.concurrency['cancel-in-progress'], false);
    const step = (wf.jobs.journeys.steps as Obj[]).find((s) => String(s.run).includes('perfpulse-journeys') || String(s.run).includes('docker run')) as Obj;
    for (const name of ['PERFPULSE_USERNAME', 'PERFPULSE_PASSWORD', 'PERFPULSE_PUSHGATEWAY']) {
      assert.equal(step.env[name], `\${{ secrets.${name} }}`, `${name} comes from secrets`);
      assert.match(step.run, new RegExp(`-e ${name}(\\s|$)`), `${name} is handed to the container by name only`);
    }
    assert.match(step.run, /run --env prod/);
    assert.ok(!/PERFPULSE_PASSWORD=/.test(text), 'no password on a command line');
  });

  it('GitLab CI: runs on a schedule in the image, credentials from CI/CD variables', () => {
    const [gl] = yamlDocs(join(CI, 'gitlab-ci.yml'), '1.2') as [Obj];
    const job = gl['perfpulse-journeys'];
    assert.ok((job.rules as Obj[]).some((r) => r.if === '$CI_PIPELINE_SOURCE == "schedule"'));
    assert.match(job.script.join('\n'), /bin\/perfpulse-journeys\.js run --env prod/);
    assert.ok(!JSON.stringify(job).includes('PERFPULSE_PASSWORD'), 'the password is a masked CI/CD variable, not in the file');
  });
});

describe('Prometheus rules (deploy/prometheus)', () => {
  const rules = join(DEPLOY, 'prometheus', 'perfpulse-rules.yaml');
  it('promtool check rules passes', () => {
    const out = execFileSync('promtool', ['check', 'rules', rules], { encoding: 'utf8' });
    assert.match(out, /SUCCESS: \d+ rules found/);
  });

  it('promtool test rules passes every unit test', () => {
    const tests = readdirSync(join(DEPLOY, 'prometheus')).filter((f) => f.endsWith('.test.yaml'));
    assert.ok(tests.length > 0);
    const r = spawnSync('promtool', ['test', 'rules', ...tests], { cwd: join(DEPLOY, 'prometheus'), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /SUCCESS/);
  });

  it('has the certificate alerts: expiring within 14 days, and a chain that does not verify', () => {
    const rules = ruleExpressions(join(DEPLOY, 'prometheus', 'perfpulse-rules.yaml'));
    const expiry = rules.find((r) => r.alert === 'PerfpulseCertificateExpiresSoon');
    assert.match(expiry?.expr ?? '', /perfpulse_http_tls_cert_expiry_timestamp_seconds\{job="perfpulse_api_probes"\}\)\s*- time\(\) < 14 \* 86400/);
    assert.ok(rules.some((r) => r.alert === 'PerfpulseCertificateInvalid' && /perfpulse_http_tls_chain_valid\{job="perfpulse_api_probes"\} == 0/.test(r.expr)));
  });

  it('has the dead-man, failing, last-success and push-failure alerts', () => {
    const names = ruleExpressions(rules).map((r) => r.alert);
    for (const a of ['PerfpulseJourneyNotPushed', 'PerfpulseNothingPushed', 'PerfpulseJourneyFailing', 'PerfpulseLastSuccessTooOld', 'PerfpulsePushFailing']) {
      assert.ok(names.includes(a), `alert ${a}`);
    }
  });
});

describe('metric names in the dashboard and the alerts', () => {
  // A histogram is queried through its _bucket, _sum and _count series.
  const seriesOf = (m: { name: string; type: string }) => (m.type === 'histogram' ? ['_bucket', '_sum', '_count'].map((s) => m.name + s) : [m.name]);
  const known = new Set([...allMetrics().flatMap(seriesOf), ...PUSHGATEWAY_METRICS]);
  const dashboard = join(DEPLOY, 'grafana', 'perfpulse-journeys.json');

  it("the dashboard matches Grafana's dashboard schema (@grafana/schema types, no unknown fields)", () => {
    const dash = JSON.parse(readFileSync(dashboard, 'utf8'));
    const module = join(PROJECT_ROOT, 'node_modules', '@grafana', 'schema', 'dist', 'types', 'index.js');
    assert.deepEqual(excessPropertyErrors([{ module, type: 'Dashboard', value: dash }]), []);
    const typo = structuredClone(dash);
    typo.panels[1].gridPoss = typo.panels[1].gridPos;
    const errors = excessPropertyErrors([{ module, type: 'Dashboard', value: typo }]);
    assert.ok(errors.some((e) => e.includes('gridPoss')), errors.join('\n'));
    const ids = (dash.panels as Obj[]).map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length, 'panel ids are unique');
    assert.equal(dash.uid, 'perfpulse-journeys');
  });

  it('every dashboard query names only metrics from the catalog (or the Pushgateway own ones)', () => {
    const queries = dashboardQueries(JSON.parse(readFileSync(dashboard, 'utf8')));
    assert.ok(queries.length >= 8, `${queries.length} queries`);
    for (const q of queries) {
      const names = metricNamesIn(q.expr);
      assert.ok(names.length > 0, `${q.where}: names a metric`);
      for (const n of names) assert.ok(known.has(n), `${q.where}: ${n} is not in src/metrics/catalog.ts`);
    }
  });

  it('every panel query is filtered by the variables of the labels its metrics carry ($env, $journey, $cluster, $namespace)', () => {
    const labelsOf = new Map(allMetrics().flatMap((m) => seriesOf(m).map((n) => [n, m.labels as readonly string[]] as const)));
    const filtered = new Set<string>();
    for (const q of dashboardQueries(JSON.parse(readFileSync(dashboard, 'utf8'))).filter((q) => q.panel)) {
      const names = metricNamesIn(q.expr).filter((n) => !(PUSHGATEWAY_METRICS as readonly string[]).includes(n));
      const carried = new Set(names.flatMap((n) => labelsOf.get(n) ?? []));
      if (!names.length) carried.add('env').add('journey'); // the gateway's own metrics carry the pushed labels
      for (const label of ['env', 'journey', 'cluster', 'namespace']) {
        if (!carried.has(label)) continue;
        assert.match(q.expr, new RegExp(`${label}=~"\\$${label}"`), `${q.where}: filtered by $${label}`);
        filtered.add(label);
      }
    }
    assert.deepEqual([...filtered].sort(), ['cluster', 'env', 'journey', 'namespace'], 'the dashboard covers journeys, services and the Kubernetes API');
  });

  it('every alert names only metrics from the catalog (or the Pushgateway own ones)', () => {
    for (const r of ruleExpressions(join(DEPLOY, 'prometheus', 'perfpulse-rules.yaml'))) {
      for (const n of metricNamesIn(r.expr)) assert.ok(known.has(n), `${r.alert}: ${n} is not in src/metrics/catalog.ts`);
    }
  });

  it('a misspelled metric name is caught', () => {
    assert.deepEqual(metricNamesIn('time() - max by (env) (perfpulse_usersim_journey_sucess{env=~"$env"}[5m])'), ['perfpulse_usersim_journey_sucess']);
    assert.deepEqual(metricNamesIn('sum(rate(up[5m])) and on(job) push_time_seconds'), ['up', 'push_time_seconds']);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(PROJECT_ROOT, 'Dockerfile'), 'utf8');
  const from = /^FROM\s+(\S+)/m.exec(dockerfile)?.[1] ?? '';
  const chromiumArg = /^ARG CHROMIUM_MAJOR=(\d+)/m.exec(dockerfile)?.[1];
  const expectedMajor = expectedChromiumVersion().split('.')[0];

  it('checks for the Chromium major that the pinned Playwright expects', () => {
    assert.equal(chromiumArg, expectedMajor, `ARG CHROMIUM_MAJOR vs playwright-core/browsers.json (${expectedChromiumVersion()})`);
    assert.match(dockerfile, /case "\$version" in[\s\S]*"Chromium \$\{CHROMIUM_MAJOR\}\."\*\)[\s\S]*exit 1/);
  });

  it('runs as a non-root user under tini with the perfpulse-journeys entry point', () => {
    assert.match(from, /^node:24-/, 'Node 24 like package.json pins');
    const user = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].pop()?.[1];
    assert.ok(user && !/^(root|0)(:|$)/.test(user), `USER ${user}`);
    const entry = JSON.parse(/^ENTRYPOINT\s+(\[.*\])/m.exec(dockerfile)?.[1] ?? '[]') as string[];
    assert.equal(entry[0], '/usr/bin/tini');
    assert.ok(entry.at(-1)?.endsWith('bin/perfpulse-journeys.js'));
    assert.match(dockerfile, /apt-get install[^\n]*\btini\b/);
    assert.ok(!/playwright install/.test(dockerfile), 'no browser download');
  });

  it('installs the tarball `npm pack` makes, so the image and the npm package are one artefact', () => {
    const stages = dockerfile.split(/^FROM /m).slice(1);
    assert.equal(stages.length, 2, 'a stage that packs, and the image');
    const [pack, image] = stages as [string, string];
    const dest = /^RUN npm pack --pack-destination (\S+)$/m.exec(pack)?.[1];
    assert.ok(dest, 'the first stage runs npm pack');
    for (const m of pack.matchAll(/^COPY (.+) \S+$/gm)) for (const f of (m[1] as string).split(' ')) assert.ok(existsSync(join(PROJECT_ROOT, f)), `COPY ${f}`);
    assert.match(image, new RegExp(`^COPY --from=\\S+ ${dest}/? `, 'm'));
    assert.match(image, /npm install --omit=dev [^\n]*perfpulse-journeys-\*\.tgz/);
    assert.ok(![...image.matchAll(/^COPY (?!--from=)/gm)].length, 'nothing from the checkout but the tarball');
    const entry = JSON.parse(/^ENTRYPOINT\s+(\[.*\])/m.exec(image)?.[1] ?? '[]') as string[];
    assert.equal(entry.at(-1), '/app/node_modules/perfpulse-journeys/bin/perfpulse-journeys.js', 'the bin of the installed package');
    assert.match(image, /"type":"module"/, "/app is an ES-module project, for the journeys in /app/journeys");
  });

  it("the base image's Debian release ships the Chromium major Playwright expects (checked on a host of that release)", (t) => {
    const codename = /-(bookworm|trixie|bullseye)(-|$)/.exec(from)?.[1];
    assert.ok(codename, `FROM ${from} names a Debian release`);
    const host = /^VERSION_CODENAME=(\S+)/m.exec(existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '')?.[1];
    if (host !== codename) return t.skip(`this host is ${host ?? 'not Debian'}, the image is ${codename}`);
    // apt's candidate is what `apt-get install chromium` in the image picks from the same archive
    const policy = spawnSync('apt-cache', ['policy', 'chromium'], { encoding: 'utf8' }).stdout;
    const candidate = /Candidate:\s*(\d+)\./.exec(policy)?.[1];
    if (!candidate) return t.skip('apt-cache knows no chromium candidate (run apt-get update)');
    assert.equal(candidate, expectedMajor, `${codename}'s chromium ${candidate} vs Playwright's ${expectedChromiumVersion()}`);
  });
});

describe('the way from --help to a CronJob and a dashboard', () => {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Deploying');
  const end = readme.indexOf('\n## ', start + 1);
  const deploying = start < 0 ? '' : readme.slice(start, end < 0 ? undefined : end);

  it('the top-level --help points at the README section that exists', () => {
    const help = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'perfpulse-journeys.js'), '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /README\.md "Deploying"/);
    for (const dir of ['deploy/k8s', 'deploy/prometheus', 'deploy/grafana']) assert.ok(help.stdout.includes(dir), dir);
    assert.ok(deploying.length > 1000, 'README has a Deploying section');
  });

  it('the Deploying section starts from --help and ends in Grafana, and every deploy/ path it names exists', () => {
    const steps = [...deploying.matchAll(/^\*\*(\d+)\. /gm)].map((m) => Number(m[1]));
    assert.deepEqual(steps, steps.map((_, i) => i + 1), 'numbered steps 1..n');
    assert.match(deploying, /--help/);
    assert.match(deploying, /kubectl apply -k deploy\/k8s/);
    assert.match(deploying, /Import[^\n]*deploy\/grafana\/perfpulse-journeys\.json/);
    const paths = [...new Set([...deploying.matchAll(/\bdeploy\/[\w./-]*[\w]/g)].map((m) => m[0]))];
    assert.ok(paths.length >= 6, paths.join(' '));
    for (const p of paths) assert.ok(existsSync(join(PROJECT_ROOT, p)), `${p} (named in README "Deploying") exists`);
  });
});
