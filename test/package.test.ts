/**
 * The npm package as someone who has only the package gets it: `npm pack` of this checkout (its
 * prepack compiles dist/), `npm install <tarball>` into an empty project (from this machine's npm
 * cache, --prefer-offline), and there: `--help`, the typed public entry, `init`, and `--env local`
 * with a journey written in that project (importing from 'perfpulse-journeys') plus a built-in
 * one, pushed to a real Pushgateway; `kubectl kustomize` of the overlay init wrote.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { PROJECT_ROOT } from '../src/runtime/runner/journeys.ts';
import { gatewayFamilies, runProcess, tmpDir, type CliResult } from './support/helpers.ts';
import { withGateway } from './support/gateway.ts';

const PKG = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  engines: { node: string };
  devDependencies: Record<string, string>;
};
/** Node 24 of the project first on PATH, for npm and the package's `#!/usr/bin/env node` bin. */
const PATH = [dirname(process.execPath), join(PROJECT_ROOT, 'node_modules', '.bin'), process.env.PATH].join(delimiter);
/** npm, the installed CLI, tsc: as runCli runs ours (test/support/helpers.ts), with the project's Node 24 first on PATH. */
const run = (cmd: string, args: string[], cwd: string, env: Record<string, string> = {}, timeoutMs = 300_000): Promise<CliResult> =>
  runProcess(cmd, args, { cwd, env: { PATH, ...env }, timeoutMs });

/** A journey the user writes in their project: TypeScript, importing from the package by name. */
const USER_JOURNEY = `import { journey, openLoginForm, step, type Site } from 'perfpulse-journeys';

const loginPage = (site: Site): string => site.url('www', '/access/login');

journey({ name: 'login_form', steps: ['open_login_form'] }, async ({ page, site }) => {
  await step('open_login_form', async () => {
    await openLoginForm(page, loginPage(site));
  });
});
`;

describe('the npm package, installed into an empty project', () => {
  let project = '';
  let bin = '';
  const cli = (args: string[], cwd = project, env: Record<string, string> = {}) => run(process.execPath, [bin, ...args], cwd, env);

  before(async () => {
    const packed = tmpDir('perfpulse-pack-');
    const pack = await run('npm', ['pack', '--pack-destination', packed, '--loglevel=error'], PROJECT_ROOT);
    assert.equal(pack.code, 0, pack.stderr);
    const tarball = join(packed, `perfpulse-journeys-${PKG.version}.tgz`);
    assert.ok(existsSync(tarball), `npm pack wrote ${tarball}: ${pack.stdout}`);
    project = tmpDir('perfpulse-user-project-');
    writeFileSync(join(project, 'package.json'), '{"name":"user-project","private":true,"type":"module"}\n');
    const install = await run('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], project);
    assert.equal(install.code, 0, install.stderr);
    bin = join(project, 'node_modules', '.bin', 'perfpulse-journeys');
  });

  it('has compiled JavaScript only (no TypeScript for Node to refuse under node_modules), and --help works', async () => {
    const installed = join(project, 'node_modules', 'perfpulse-journeys');
    const files = readdirSync(installed, { recursive: true, encoding: 'utf8' });
    const ts = files.filter((f) => /\.[cm]?ts$/.test(f) && !/\.d\.[cm]?ts$/.test(f) && !f.startsWith('templates/'));
    assert.deepEqual(ts, [], 'no .ts outside the init templates');
    assert.ok(files.includes('dist/src/cli/main.js') && files.includes('dist/journeys/login.journey.js') && files.includes('dist/playwright.config.js'));
    assert.ok(files.includes('dist/src/config/envs/local.yaml'), 'the built-in env profiles');
    assert.ok(!files.some((f) => f.startsWith('src/') || f.startsWith('test/')), 'no sources or tests');
    const help = await cli(['--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: perfpulse-journeys/);
    assert.match(help.stdout, /\n {2}init \[dir\] +scaffold a monitoring project/);
    assert.equal((await cli(['--version'])).stdout.trim(), PKG.version);
  });

  it("the public entry: import { journey, step, expect, secretly, record } from 'perfpulse-journeys', typed", async () => {
    const loaded = await run(process.execPath, ['--input-type=module', '-e', "import * as a from 'perfpulse-journeys'; console.log(['journey','step','expect','secretly','record'].map((k) => typeof a[k]).join(' '))"], project);
    assert.equal(loaded.code, 0, loaded.stderr);
    assert.equal(loaded.stdout.trim(), 'function function function function function');
    writeFileSync(
      join(project, 'typed.ts'),
      `import { expect, journey, record, secretly, seconds, step, z, type Site } from 'perfpulse-journeys';
const home = (site: Site): string => site.url('www', '/en/');
journey({ name: 'typed', steps: ['open_home'], options: z.strictObject({ n: seconds(5) }) }, async ({ page, site }) => {
  const n: number = site.options.n;
  void n;
  await step('open_home', async () => { await page.goto(home(site)); });
  await secretly(page, async () => undefined);
  record('searchResultRows', 1);
  expect(1).toBe(1);
});
// @ts-expect-error a step's name is a string
void step(42, async () => undefined);
// @ts-expect-error only the catalog's measures can be recorded
record('no_such_measure', 1);
`,
    );
    const types = join(PROJECT_ROOT, 'node_modules', '@types');
    const tsc = await run(join(PROJECT_ROOT, 'node_modules', '.bin', 'tsc'), ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2023', '--skipLibCheck', '--types', 'node', '--typeRoots', types, 'typed.ts'], project);
    assert.equal(tsc.code, 0, `the package's .d.ts type the journey API (an unused @ts-expect-error would fail): ${tsc.stdout}`);
  });

  describe('init, then --env local with a journey of that project and a built-in one', () => {
    let mon = '';
    before(async () => {
      const r = await cli(['init', 'monitoring']);
      assert.equal(r.code, 0, r.stderr);
      mon = join(project, 'monitoring');
      writeFileSync(join(mon, 'journeys', 'login_form.journey.ts'), USER_JOURNEY);
    });

    it('scaffolds package.json pinning the package and Node, an env profile, an example journey, an overlay, a README; never overwrites', async () => {
      for (const f of ['package.json', 'env.yaml', 'journeys/search_page.journey.ts', 'kustomization.yaml', 'README.md', 'tsconfig.json', '.gitignore']) {
        assert.ok(existsSync(join(mon, f)), f);
      }
      const pkg = JSON.parse(readFileSync(join(mon, 'package.json'), 'utf8'));
      assert.equal(pkg.dependencies['perfpulse-journeys'], PKG.version, 'the package pinned exactly');
      assert.equal(pkg.devDependencies.node, PKG.devDependencies.node, 'Node pinned as this project pins it');
      assert.equal(pkg.engines.node, PKG.engines.node);
      assert.equal(pkg.type, 'module');
      const readme = readFileSync(join(mon, 'README.md'), 'utf8');
      assert.match(readme, /```bash\nnpm install\nnpx perfpulse-journeys --env local --journeys-dir journeys\n```/, 'the two commands');
      const again = await cli(['init', 'monitoring']);
      assert.equal(again.code, 2);
      assert.equal(again.stderr.trim().split('\n').length, 1, again.stderr);
      assert.match(again.stderr, /monitoring\/package\.json exists: init writes a new project and overwrites nothing/);
      assert.equal(readFileSync(join(mon, 'journeys', 'login_form.journey.ts'), 'utf8'), USER_JOURNEY, 'nothing overwritten');
    });

    it("journeys lists the built-in journeys and the project's, each with where it comes from", async () => {
      const r = await cli(['journeys', '--env', './env.yaml', '--json'], mon);
      assert.equal(r.code, 0, r.stderr);
      const listed = JSON.parse(r.stdout) as Array<{ journey: string; from: string; steps: Array<{ step: string }> }>;
      const from = Object.fromEntries(listed.map((j) => [j.journey, j.from]));
      assert.equal(from.login, 'built-in');
      assert.equal(from.search_page, join(mon, 'journeys'));
      assert.equal(from.login_form, join(mon, 'journeys'));
      assert.deepEqual(listed.find((j) => j.journey === 'search_page')?.steps.map((s) => s.step), ['open_search_page', 'enter_target']);
    });

    it("runs the project's journeys (its own and init's example) beside the built-in login, and a real Pushgateway holds all three", async () => {
      await withGateway(async (gw) => {
        const r = await cli(['--env', 'local', '--journeys-dir', 'journeys', '--journeys', 'login,login_form,search_page', '--only', 'journeys', '--pushgateway', gw.url], mon);
        assert.equal(r.code, 0, r.stderr);
        for (const j of ['login', 'login_form', 'search_page']) assert.match(r.stdout, new RegExp(`^${j}\\s+\\(journey\\)\\s+passed\\s`, 'm'), `${j} passed:\n${r.stdout}`);
        const steps = (await gatewayFamilies(gw.url)).find((f) => f.name === 'perfpulse_usersim_step_duration_seconds');
        const held = [...new Set((steps?.samples ?? []).map((s) => `${s.labels.env}/${s.labels.journey}/${s.labels.step}`))].sort();
        assert.deepEqual(held, [
          'local/login/open_login_page',
          'local/login/see_user_menu',
          'local/login/submit_credentials',
          'local/login/token_login',
          'local/login_form/open_login_form',
          'local/search_page/enter_target',
          'local/search_page/open_search_page',
        ]);
      });
    });

    it('a journey of the project named as a built-in is refused with one line, exit 2', async () => {
      writeFileSync(join(mon, 'journeys', 'storage.journey.ts'), USER_JOURNEY.replace("'login_form'", "'storage'"));
      try {
        const r = await cli(['--env', 'local', '--journeys-dir', 'journeys', '--dry-run'], mon);
        assert.equal(r.code, 2);
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
        assert.match(r.stderr, /storage\.journey\.ts has the name of a built-in journey/);
      } finally {
        rmSync(join(mon, 'journeys', 'storage.journey.ts'), { force: true });
      }
    });

    it("init's overlay renders with kubectl kustomize: the project's env profile and journeys reach the CronJob", () => {
      symlinkSync(join(project, 'node_modules'), join(mon, 'node_modules')); // as `npm install` in the project would
      const r = spawnSync('kubectl', ['kustomize', mon], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as Record<string, any>);
      const kinds = docs.map((d) => d.kind);
      for (const k of ['CronJob', 'PersistentVolumeClaim', 'PrometheusRule', 'ServiceMonitor']) assert.ok(kinds.includes(k), `renders a ${k}`);
      const cms = docs.filter((d) => d.kind === 'ConfigMap');
      const env = cms.find((d) => d.metadata.name.startsWith('perfpulse-env'));
      assert.equal(env?.data['env.yaml'], readFileSync(join(mon, 'env.yaml'), 'utf8'), "the project's env.yaml replaces the package's");
      const journeys = cms.find((d) => d.metadata.name.startsWith('perfpulse-user-journeys'));
      assert.deepEqual(Object.keys(journeys?.data ?? {}), ['search_page.journey.ts']);
      const pod = docs.find((d) => d.kind === 'CronJob')?.spec.jobTemplate.spec.template.spec;
      const c = pod.containers[0];
      const dir = (c.env as Array<{ name: string; value?: string }>).find((e) => e.name === 'PERFPULSE_JOURNEYS_DIR')?.value;
      const mount = (c.volumeMounts as Array<{ name: string; mountPath: string }>).find((m) => m.mountPath === dir);
      const volume = (pod.volumes as Array<{ name: string; configMap?: { name: string } }>).find((v) => v.name === mount?.name);
      assert.equal(volume?.configMap?.name, journeys?.metadata.name, 'the journeys ConfigMap is mounted where PERFPULSE_JOURNEYS_DIR points');
      assert.match(c.image, new RegExp(`:${PKG.version.replaceAll('.', '\\.')}$`));
    });
  });
});
