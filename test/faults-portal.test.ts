/**
 * The fault matrix, portal rows (docs/faults.md): what a run does when the portal misbehaves.
 * Each row runs the real CLI: one journey in Debian's Chromium on the bundled replica with one
 * fault injected (src/replica/faults.ts, set on the running replica), pushing to a real
 * prometheus-pushgateway. It asserts the exit code (1: a journey failed, its metrics delivered),
 * the one `✗ <journey> failed: …` line on stderr (no stack trace), the failure's error class, and
 * that the run's measurements are in the gateway with nothing spooled.
 *
 * A name that does not resolve, and a host name the replica's certificate is not for, are made
 * inside Chromium with its host-resolver rules (the test hook PERFPULSE_TEST_HOST_RESOLVER_RULES):
 * no real lookup is ever made. Chromium trusts no test CA here (that needs NSS's certutil, which is
 * not installed), so the TLS row's certificate is both for another name and from an untrusted
 * issuer, and Chromium names the issuer: the row asserts what it says.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { METRICS } from '../src/metrics/catalog.ts';
import { samplesOf } from '../src/metrics/parse.ts';
import { Spool } from '../src/push/spool.ts';
import { faultTable } from '../src/replica/faults.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import type { ErrorClass } from '../src/results/error-class.ts';
import { HOST_RULES_VAR } from '../src/runtime/browser/browser.ts';
import { suiteGateway } from './support/gateway.ts';
import { gatewayFamilies, profilePointingAt, runCli, tmpDir } from './support/helpers.ts';
import { suiteReplica } from './support/replica.ts';

const creds = { PERFPULSE_USERNAME: DEMO_USER.username, PERFPULSE_PASSWORD: DEMO_USER.password };
const STACK = /^\s+at .+:\d+:\d+\)?$/m;

interface Row {
  name: string;
  /** The run's env (its own, so the rows never read each other's groups). */
  env: string;
  journey: string;
  /** How the fault is injected: replica faults, and where the profile's URLs point. */
  faults?: string[];
  portal?: 'replica' | 'unresolvable' | 'tls-wrong-name';
  /** Journey options (YAML under `journeys:`), e.g. a shorter timeout. */
  options?: string;
  args?: string[];
  code: number;
  /** The step that fails and the rest of its one line after `<journey> › <step>: `. */
  step: string;
  line: RegExp;
  errorClass: ErrorClass;
}

const UNRESOLVABLE = 'portal.unresolvable.invalid';
const WRONG_NAME = 'portal.wrong-name.test';

describe('fault matrix: the portal (real CLI, Chromium, replica, prometheus-pushgateway)', () => {
  const gw = suiteGateway();
  const replica = suiteReplica();
  const https = suiteReplica({ https: true });

  const rows: Row[] = [
    {
      name: '500 on a page',
      env: 'p500',
      journey: 'storage',
      faults: ['GET /storage/list/=status:500'],
      code: 1,
      step: 'open_storage_ui',
      line: /^the storage UI answered 500$/,
      errorClass: 'http_5xx',
    },
    {
      name: 'hang on a navigation',
      env: 'phang',
      journey: 'search',
      faults: ['GET /en/search/=hang'],
      code: 1,
      step: 'open_search_page',
      line: /^page loaded \(http:\/\/127\.0\.0\.1:\d+\/en\/search\/\): not loaded, waited 30 s$/,
      errorClass: 'timeout',
    },
    {
      name: 'slow body on a download',
      env: 'pslowbody',
      journey: 'download',
      faults: ['GET /minoc/files/{token}/{uri+}=slowbody:65536'],
      options: 'journeys:\n  download:\n    timeout_seconds: 6\n',
      code: 1,
      step: 'receive_file',
      // the journey's words: its deadline ran out while the body trickled (the headers had come)
      line: /^download of \/data\/pub\/CFHT\/1722795p\.fits\.fz: not received in full within 6 s$/,
      errorClass: 'timeout',
    },
    {
      name: 'wrong page after login',
      env: 'pwrongpage',
      journey: 'login',
      faults: ['GET /en/=wrongpage'],
      code: 1,
      step: 'see_user_menu',
      line: /^landed on a login form after logging in \(\/en\/\)$/,
      errorClass: 'assertion',
    },
    {
      name: 'login cookie not set',
      env: 'pnocookie',
      journey: 'login',
      faults: ['GET /access/sso=nocookie'],
      code: 1,
      step: 'see_user_menu',
      line: /^the header's user menu shows who is logged in \(locator\('li\.user-authenticated span\.auth-username'\)\): hidden, waited 15 s$/,
      errorClass: 'selector',
    },
    {
      name: 'search error tab (a non-2xx /search/find)',
      env: 'perrortab',
      journey: 'search',
      faults: ['POST /search/find=status:400'],
      code: 1,
      step: 'submit_search',
      line: /^search failed: \/search\/find answered 400$/,
      errorClass: 'http_4xx',
    },
    {
      name: 'skaha session stuck Pending',
      env: 'pstuck',
      journey: 'science_portal',
      faults: ['POST /skaha/v1/session=stuck'],
      options: 'journeys:\n  science_portal:\n    launch: true\n    timeout_seconds: 8\n',
      code: 1,
      step: 'wait_running',
      // listed, never Running: skaha was too slow, not an element the page lacks, so `timeout`
      line: /^the session is listed but not Running within 8 s$/,
      errorClass: 'timeout',
    },
    {
      name: 'a name that does not resolve (inside Chromium, no real lookup)',
      env: 'pdns',
      journey: 'search',
      portal: 'unresolvable',
      code: 1,
      step: 'open_search_page',
      line: new RegExp(`^page loaded \\(http://${UNRESOLVABLE.replace(/\./g, '\\.')}:\\d+/en/search/\\): net::ERR_NAME_NOT_RESOLVED \\(the host name did not resolve\\)$`),
      errorClass: 'navigation',
    },
    {
      name: 'a TLS certificate that does not match the host name',
      env: 'ptls',
      journey: 'search',
      portal: 'tls-wrong-name',
      code: 1,
      step: 'open_search_page',
      line: new RegExp(`^page loaded \\(https://${WRONG_NAME.replace(/\./g, '\\.')}:\\d+/en/search/\\): net::ERR_CERT_(?:COMMON_NAME|AUTHORITY)_INVALID \\(the TLS certificate is not .+\\)$`),
      errorClass: 'navigation',
    },
  ];

  for (const row of rows) {
    it(`${row.name}: exit ${row.code}, one line, class ${row.errorClass}, every measurement in the gateway`, async () => {
      replica.faults = faultTable(row.faults ?? []);
      const origin =
        row.portal === 'unresolvable' ? `http://${UNRESOLVABLE}:${replica.port}` : row.portal === 'tls-wrong-name' ? `https://${WRONG_NAME}:${https.port}` : replica.origin;
      const hostRules = row.portal === 'unresolvable' ? `MAP ${UNRESOLVABLE} ~NOTFOUND` : row.portal === 'tls-wrong-name' ? `MAP ${WRONG_NAME} 127.0.0.1` : undefined;
      const spoolDir = join(tmpDir('perfpulse-fault-spool-'), 'spool');
      const r = await runCli(
        ['--env', profilePointingAt(origin, row.env, row.options), '--journeys', row.journey, '--pushgateway', gw.url, '--spool-dir', spoolDir, ...(row.args ?? [])],
        { ...creds, ...(hostRules ? { [HOST_RULES_VAR]: hostRules } : {}) },
        240_000,
      );
      replica.faults = faultTable([]);
      assert.equal(r.code, row.code, r.stderr);
      const failed = r.stderr.split('\n').filter((l) => l.startsWith(`✗ ${row.journey} failed: `));
      assert.equal(failed.length, 1, `one failure line:\n${r.stderr}`);
      const prefix = `✗ ${row.journey} failed: ${row.journey} › ${row.step}: `;
      assert.ok(failed[0]?.startsWith(prefix), `${failed[0]} starts with ${prefix}`);
      assert.match(failed[0]?.slice(prefix.length) ?? '', row.line);
      assert.match(r.stdout, new RegExp(`^${row.journey}\\s+${row.step}\\s+FAILED \\(${row.errorClass}\\)`, 'm'), 'the summary table shows the class');
      assert.doesNotMatch(`${r.stdout}${r.stderr}`, STACK, 'no stack trace');

      // delivered: pushed, nothing spooled, and the gateway holds the failure with its class
      assert.match(r.stdout, new RegExp(`^pushed ${row.journey} to http://127\\.0\\.0\\.1:\\d+/metrics/job/perfpulse_usersim/env/${row.env}/journey/${row.journey}$`, 'm'));
      assert.deepEqual(new Spool(spoolDir).list(), [], 'nothing spooled');
      const fams = await gatewayFamilies(gw.url);
      const mine = (name: string) => samplesOf(fams, name).filter((s) => s.labels.env === row.env && s.labels.journey === row.journey);
      assert.deepEqual(mine(METRICS.journeySuccess.name).map((s) => s.value), [0]);
      assert.deepEqual(mine(METRICS.journeyFailures.name).map((s) => [s.labels.error_class, s.value]), [[row.errorClass, 1]], failed[0]);
      assert.deepEqual(mine(METRICS.stepFailed.name).filter((s) => s.value === 1).map((s) => s.labels.step), [row.step], 'the failed step');
      assert.ok(mine(METRICS.stepDuration.name).some((s) => s.labels.step === row.step), 'the failed step\'s duration is there');
    });
  }
});
