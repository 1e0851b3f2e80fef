/**
 * Bad input, one table: env files, flags, credential files, kubeconfigs, gateway URLs, unknown
 * flags and commands, each given to the real CLI (bin/perfpulse-journeys.js) as a process. Every
 * case must end with exit 2 and one or two lines on stderr naming what is wrong and how to fix it,
 * no stack trace, nothing on stdout, no browser started (PERFPULSE_BROWSER is a wrapper that leaves
 * a mark when anything but `--version` runs it), nothing pushed (a real Pushgateway given to every
 * run stays empty) and nothing spooled (each case has its own empty state directory).
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { DEBIAN_CHROMIUM } from '../src/runtime/browser/browser.ts';
import { suiteGateway } from './support/gateway.ts';
import { runCli, tmpDir } from './support/helpers.ts';

const ROLES = ['www', 'canfar', 'ws_cadc', 'ws', 'ws_uv'];
/** Nobody listens on port 9 (discard) here: a URL that is never contacted before the error. */
const URLS = `urls:\n${ROLES.map((r) => `  ${r}: http://127.0.0.1:9`).join('\n')}\n`;
const GOOD = `name: lab\n${URLS}`;

const dir = tmpDir('perfpulse-bad-input-');
const file = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text, { mode: 0o600 });
  return f;
};
const directory = (name: string) => {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  return d;
};
const GOOD_KUBECONFIG = `apiVersion: v1
kind: Config
current-context: lab
contexts:
  - name: lab
    context: { cluster: lab, user: lab, namespace: perfpulse }
clusters:
  - name: lab
    cluster: { server: "https://127.0.0.1:9" }
users:
  - name: lab
    user: { token: not-a-real-token }
`;

interface Case {
  what: string;
  /** The arguments; a function so that files are made when the case runs. */
  args: () => string[];
  env?: () => Record<string, string>;
  /** stderr (one or two lines) must match. */
  says: RegExp;
}

/** A run that would reach the user's gateway if the input were good. */
const run = (...args: string[]) => ['run', ...args];

describe('bad input: exit 2, one or two lines, nothing started, pushed or spooled', () => {
  const gw = suiteGateway();
  let browser = '';
  const marks = join(dir, 'browser-started');
  before(() => {
    browser = file('chromium-wrapper', `#!/bin/sh\ncase "$*" in *--version*) ;; *) echo "$*" >> ${marks} ;; esac\nexec ${DEBIAN_CHROMIUM} "$@"\n`);
    chmodSync(browser, 0o755);
  });
  const user = () => ({ PERFPULSE_USERNAME: 'someone', PERFPULSE_PASSWORD_FILE: file('pw', 'Sentinel-Bad-Input-Pw\n') });
  const gateway = () => ['--pushgateway', gw.url];

  const cases: Case[] = [
    // env files
    { what: 'env: YAML that does not parse', args: () => run('--env', file('broken.yaml', 'name: [lab\n'), ...gateway()), says: /env profile .*broken\.yaml is not valid YAML: .*/ },
    { what: 'env: an empty file', args: () => run('--env', file('empty.yaml', ''), ...gateway()), says: /env profile .*empty\.yaml is empty: it needs at least name and urls \(docs\/environments\.md\)$/ },
    { what: 'env: a list', args: () => run('--env', file('list.yaml', '- name: lab\n'), ...gateway()), says: /list\.yaml: must be a mapping with name and urls \(got a list\)$/ },
    { what: 'env: a directory', args: () => run('--env', `${directory('envdir')}/`, ...gateway()), says: /env profile .*envdir\/ is a directory: give a \.yaml file/ },
    { what: 'env: a file that does not exist', args: () => run('--env', join(dir, 'missing.yaml'), ...gateway()), says: /cannot read env profile .*missing\.yaml: no such file$/ },
    { what: 'env: an unknown built-in name', args: () => run('--env', 'prd', ...gateway()), says: /unknown env 'prd': use one of local, prod, staging, or a path to a \.yaml profile$/ },
    { what: 'env: an unknown top-level key', args: () => run('--env', file('probe.yaml', `${GOOD}probe:\n  http: {}\n`), ...gateway()), says: /probe\.yaml: probe: unknown key; did you mean probes\?$/ },
    { what: 'env: an unknown key in urls', args: () => run('--env', file('wwww.yaml', `${GOOD}  wwww: http://127.0.0.1:9\n`), ...gateway()), says: /: urls\.wwww: unknown key; did you mean www\?$/ },
    { what: 'env: an unknown key in probes', args: () => run('--env', file('smtp.yaml', `${GOOD}probes:\n  smtp: true\n`), ...gateway()), says: /: probes\.smtp: unknown key; valid keys here: http, k8s, vospace, headless$/ },
    { what: 'env: an unknown key in probes.http', args: () => run('--env', file('service.yaml', `${GOOD}probes:\n  http:\n    service: [reg]\n`), ...gateway()), says: /: probes\.http\.service: unknown key; did you mean services\?$/ },
    { what: 'env: an unknown key in probes.k8s', args: () => run('--env', file('kind.yaml', `${GOOD}probes:\n  k8s:\n    kind: [pods]\n`), ...gateway()), says: /: probes\.k8s\.kind: unknown key; did you mean kinds\?$/ },
    { what: 'env: a bad probe option, --dry-run too', args: () => run('--env', file('size.yaml', `${GOOD}probes:\n  vospace:\n    size: lots\n`), '--dry-run'), says: /size\.yaml: probes\.vospace\.size must be a whole number of bytes/ },
    { what: 'env: replica_fault for replica_faults', args: () => run('--env', file('fault.yaml', `${GOOD}replica_fault: ["GET /=hang"]\n`), ...gateway()), says: /: replica_fault: unknown key; did you mean replica_faults\?$/ },
    { what: 'env: an unknown journey', args: () => run('--env', file('journey.yaml', `${GOOD}journeys:\n  serch: {}\n`), ...gateway()), says: /journeys\.serch: unknown journey; did you mean search\?$/ },
    { what: 'env: an unknown journey option', args: () => run('--env', file('timeout.yaml', `${GOOD}journeys:\n  search:\n    timeout: 5\n`), ...gateway()), says: /journeys\.search\.timeout: unknown key; did you mean timeout_seconds\?$/ },
    { what: 'env: a URL of another scheme', args: () => run('--env', file('ftp.yaml', GOOD.replace('www: http://', 'www: ftp://')), ...gateway()), says: /: urls\.www: must be an http\(s\) URL \(got ftp:\)$/ },
    { what: 'env: not a URL', args: () => run('--env', file('notaurl.yaml', GOOD.replace('ws: http://127.0.0.1:9', 'ws: ws.example.org')), ...gateway()), says: /: urls\.ws: must be an http\(s\) URL such as https:\/\/www\.example\.org \(got "ws\.example\.org"\)$/ },
    { what: 'env: user-info in a URL', args: () => run('--env', file('userinfo.yaml', GOOD.replace('canfar: http://', 'canfar: http://me:Sentinel-Url-Pw@')), ...gateway()), says: /: urls\.canfar: must not hold user-info \(user:password@\): journeys log in with PERFPULSE_USERNAME and PERFPULSE_PASSWORD_FILE$/ },
    { what: 'env: a missing role', args: () => run('--env', file('norole.yaml', GOOD.replace(/  ws_uv: .*\n/, '')), ...gateway()), says: /: urls\.ws_uv: missing: every role \(www, canfar, ws_cadc, ws, ws_uv\) needs a base URL$/ },
    { what: 'env: {replica} without replica: true', args: () => run('--env', file('placeholder.yaml', `name: lab\nurls:\n${ROLES.map((r) => `  ${r}: "{replica}"`).join('\n')}\n`), ...gateway()), says: /: urls\.www: uses \{replica\} but replica is not true$/ },
    { what: 'env: a name that is not a slug', args: () => run('--env', file('name.yaml', GOOD.replace('name: lab', 'name: My Lab')), ...gateway()), says: /: name: must be a lower-case slug such as "prod" \(got "My Lab"\)$/ },
    // flags
    { what: 'flag: a non-numeric --count', args: () => run('--env', 'local', '--count', 'two', ...gateway()), says: /^perfpulse-journeys: --count must be -1 \(until SIGINT\/SIGTERM\) or a whole number from 1 to 1000000 \(got "two"\)$/ },
    { what: 'flag: a negative --sleep', args: () => run('--env', 'local', '--sleep', '-1', ...gateway()), says: /--sleep must be a number of seconds from 0 to 86400 \(got "-1"\)$/ },
    { what: 'flag: a negative --spool-max-age', args: () => run('--env', 'local', '--spool-max-age', '-1'), says: /--spool-max-age must be a number of hours above 0 and at most 8760 \(got "-1"\)$/ },
    { what: 'flag: --spool-max-entries 0', args: () => run('--env', 'local', '--spool-max-entries', '0', ...gateway()), says: /--spool-max-entries must be a whole number from 1 to 100000 \(got "0"\)$/ },
    { what: 'flag: --concurrency 0', args: () => ['probe', 'http', '--env', 'local', '--concurrency', '0', ...gateway()], says: /--concurrency must be a whole number from 1 to 8 \(got "0"\)$/ },
    { what: 'flag: --timeout 0', args: () => ['probe', 'k8s', '--timeout', '0', ...gateway()], says: /--timeout must be a number of seconds from 0\.1 to 600 \(got "0"\)$/ },
    { what: 'flag: --retries above its range', args: () => run('--env', 'local', '--retries', '9', ...gateway()), says: /--retries must be a whole number from 0 to 5 \(got "9"\)$/ },
    { what: 'flag: --users 0', args: () => run('--env', 'local', '--users', '0', ...gateway()), says: /--users must be a whole number from 1 to 32 \(got "0"\)$/ },
    { what: 'flag: an unknown --trace mode', args: () => run('--env', 'local', '--trace', 'always', ...gateway()), says: /--trace must be one of on-failure, on, off, retain-on-failure \(got "always"\)$/ },
    { what: 'flag: an unknown --only', args: () => run('--env', 'local', '--only', 'everything', ...gateway()), says: /argument 'everything' is invalid\. Allowed choices are journeys, probes\./ },
    { what: 'flag: an unknown --throttle', args: () => run('--env', 'local', '--throttle', '5g', ...gateway()), says: /unknown --throttle profile "5g": use one of none, slow-3g, fast-3g, fast-4g, dsl$/ },
    { what: 'flag: an unknown --device', args: () => run('--env', 'local', '--device', 'Nokia 3310', ...gateway()), says: /unknown --device "Nokia 3310": /  },
    { what: 'flag: an unknown --via', args: () => ['probe', 'k8s', '--via', 'curl', ...gateway()], says: /argument 'curl' is invalid\. Allowed choices are client, kubectl\./ },
    { what: 'flag: an unknown journey', args: () => run('--env', 'local', '--journeys', 'logn', ...gateway()), says: /unknown journey logn: available are / },
    { what: 'flag: --shard beyond its count', args: () => run('--env', 'local', '--shard', '5/4', ...gateway()), says: /--shard 5\/4: i must be from 1 to 4 \(shards count from 1\)$/ },
    { what: 'flag: --shard 0/4', args: () => run('--env', 'local', '--shard', '0/4', ...gateway()), says: /--shard 0\/4: i must be from 1 to 4/ },
    { what: 'flag: --shard not i/n', args: () => run('--env', 'local', '--shard', 'half', ...gateway()), says: /--shard must be i\/n, e\.g\. 1\/4/ },
    { what: 'flag: --shard-count 0', args: () => run('--env', 'local', '--shard-count', '0', ...gateway()), env: () => ({ JOB_COMPLETION_INDEX: '0' }), says: /--shard-count must be a whole number from 1 to 1000 \(got "0"\)$/ },
    { what: 'flag: --json with --dry-run', args: () => run('--env', 'local', '--json', '--dry-run'), says: /--json and --dry-run do not go together/ },
    { what: 'flag: a replica fault that is not one', args: () => run('--env', 'local', '--replica-fault', 'GET /=explode', ...gateway()), says: /bad replica fault "GET \/=explode": unknown or invalid "explode" \(use delay:<ms>/ },
    // credential files
    { what: 'test hook: a host-resolver rule that leaves loopback', args: () => run('--env', file('hostrules.yaml', GOOD), '--journeys', 'search', ...gateway()), env: () => ({ PERFPULSE_TEST_HOST_RESOLVER_RULES: 'MAP portal.example.org 10.0.0.1' }), says: /^perfpulse-journeys: PERFPULSE_TEST_HOST_RESOLVER_RULES: bad rule "MAP portal\.example\.org 10\.0\.0\.1": use "MAP <host> ~NOTFOUND" or "MAP <host> 127\.0\.0\.1" \(loopback only\), comma-separated$/ },
    { what: 'credentials: a password file that does not exist', args: () => run('--env', file('c1.yaml', GOOD), ...gateway()), env: () => ({ PERFPULSE_USERNAME: 'someone', PERFPULSE_PASSWORD_FILE: join(dir, 'no-such-pw') }), says: /cannot read PERFPULSE_PASSWORD_FILE \(.*no-such-pw\): no such file$/ },
    { what: 'credentials: an empty password file', args: () => run('--env', file('c2.yaml', GOOD), ...gateway()), env: () => ({ PERFPULSE_USERNAME: 'someone', PERFPULSE_PASSWORD_FILE: file('empty-pw', '\n') }), says: /PERFPULSE_PASSWORD_FILE \(.*empty-pw\) is empty: its first line must be the password$/ },
    { what: 'credentials: a password file that is a directory', args: () => run('--env', file('c3.yaml', GOOD), ...gateway()), env: () => ({ PERFPULSE_USERNAME: 'someone', PERFPULSE_PASSWORD_FILE: directory('pw-dir') }), says: /cannot read PERFPULSE_PASSWORD_FILE \(.*pw-dir\): a directory, not a file$/ },
    { what: 'credentials: a password without a user name', args: () => run('--env', file('c4.yaml', GOOD), ...gateway()), env: () => ({ PERFPULSE_PASSWORD: 'Sentinel-Bad-Input-Pw' }), says: /a password is set but PERFPULSE_USERNAME is not$/ },
    { what: 'credentials: an empty gateway token file', args: () => run('--env', file('c5.yaml', GOOD), ...gateway()), env: () => ({ ...user(), PERFPULSE_PUSHGATEWAY_TOKEN_FILE: file('empty-token', '') }), says: /PERFPULSE_PUSHGATEWAY_TOKEN_FILE \(.*empty-token\) is empty: its first line must be the token$/ },
    { what: 'credentials: a gateway CA file that is a directory', args: () => run('--env', file('c6.yaml', GOOD), ...gateway(), '--pushgateway-ca', directory('ca-dir')), env: user, says: /cannot read --pushgateway-ca \(.*ca-dir\): a directory, not a file$/ },
    // kubeconfigs
    { what: 'kubeconfig: not YAML', args: () => ['probe', 'k8s', '--kubeconfig', file('kc-broken', 'clusters: [\n  - {\n'), ...gateway()], says: /cannot read kubeconfig .*kc-broken: / },
    { what: 'kubeconfig: a context it does not have', args: () => ['probe', 'k8s', '--kubeconfig', file('kc-good', GOOD_KUBECONFIG), '--context', 'prod', ...gateway()], says: /--context prod is not in .*kc-good \(contexts: lab\)$/ },
    { what: 'kubeconfig: a profile whose probes.k8s names a missing context', args: () => run('--env', file('k8sctx.yaml', `${GOOD}probes:\n  k8s:\n    kubeconfig: ${file('kc-profile', GOOD_KUBECONFIG)}\n    context: prod\n`), ...gateway()), env: user, says: /--context prod is not in .*kc-profile \(contexts: lab\)$/ },
    // gateway URLs
    { what: 'gateway: a URL with the push path in it', args: () => run('--env', 'local', '--pushgateway', `${gw.url}/metrics/job/perfpulse_usersim`), says: /--pushgateway must be the gateway's base URL such as http:\/\/pushgateway:9091, without \/metrics\/job\/\.\.\., \/api\/\.\.\. or a query/ },
    { what: 'gateway: a URL of another scheme', args: () => run('--env', 'local', '--pushgateway', 'ftp://127.0.0.1:9091'), says: /--pushgateway must be an http\(s\) URL such as http:\/\/pushgateway:9091 \(got "ftp:\/\/127\.0\.0\.1:9091"\)$/ },
    { what: 'gateway: push --replay to a URL with a query', args: () => ['push', '--replay', '--pushgateway', `${gw.url}/?job=x`], says: /--pushgateway must be the gateway's base URL/ },
    { what: 'gateway: user-info and a token both', args: () => run('--env', 'local', '--pushgateway', gw.url.replace('http://', 'http://u:Sentinel-Gw-Pw@')), env: () => ({ PERFPULSE_PUSHGATEWAY_TOKEN: 'Sentinel-Gw-Token' }), says: /Pushgateway credentials given twice \(PERFPULSE_PUSHGATEWAY_TOKEN and the URL's user-info\): set only one$/ },
    // unknown flags and commands
    { what: 'an unknown flag', args: () => ['--frobnicate'], says: /unknown option '--frobnicate' \(perfpulse-journeys run --help lists what is allowed\)$/ },
    { what: 'an unknown flag of a subcommand', args: () => ['probe', 'http', '--service', 'reg'], says: /unknown option '--service' \(Did you mean --services\?\) \(perfpulse-journeys probe http --help lists what is allowed\)$/ },
    { what: 'an unknown command', args: () => ['chek', '--env', 'local'], says: /unknown command 'chek': did you mean check\? commands are run, / },
    { what: 'an unknown probe', args: () => ['probe', 'smtp'], says: /unknown command 'smtp' .*\(perfpulse-journeys probe --help lists what is allowed\)$/ },
    { what: 'an unknown k8s probe', args: () => ['probe', 'k8s', 'pod-latency', '--dry-run'], says: /unknown k8s probe pod-latency: use kubectl-latency and\/or jobs-terminating$/ },
    { what: 'a flag without its value', args: () => run('--env'), says: /option '-e, --env <name\|file>' argument missing/ },
  ];

  it(`has at least 30 cases (${cases.length})`, () => assert.ok(cases.length >= 30));

  for (const c of cases) {
    it(c.what, async () => {
      const state = tmpDir('perfpulse-state-');
      const r = await runCli(c.args(), { XDG_STATE_HOME: state, PERFPULSE_BROWSER: browser, ...(c.env?.() ?? {}) }, 60_000);
      assert.equal(r.code, 2, `exit 2:\n${r.stderr}`);
      const lines = r.stderr.trimEnd().split('\n');
      assert.ok(lines.length >= 1 && lines.length <= 2, `one or two lines on stderr, got:\n${r.stderr}`);
      assert.ok(lines.every((l) => l.startsWith('perfpulse-journeys: ')), r.stderr);
      assert.match(r.stderr.trimEnd(), c.says);
      assert.doesNotMatch(r.stderr, /\n\s+at |Error:|internal error/, 'no stack trace');
      assert.doesNotMatch(r.stderr, /Sentinel-/, 'no secret in the message');
      assert.equal(r.stdout, '', 'nothing on stdout');
      assert.equal(existsSync(marks), false, 'no browser started');
      assert.deepEqual(readdirSync(state), [], 'nothing spooled');
      const held = (await (await fetch(`${gw.url}/api/v1/metrics`)).json()) as { data: unknown[] };
      assert.deepEqual(held.data, [], 'nothing pushed');
    });
  }
});
