/**
 * The login and storage journeys on what the real front ends do, or may do where their code is not public
 * (docs/journeys.md "login", "storage"): an empty home folder passes with 0 rows (recorded), never a timeout;
 * the server-rendered storage header (only the marker that applies) works as well as the application header
 * (both markers, one shown); an error answer for the home listing fails list_home_folder at once, saying what
 * answered; a CADC login form only in the header's Login dropdown works as well as one in the page, for the
 * login journey and for the fallback login of a journey that runs without it (src/runtime/api/login-form.ts). The real
 * CLI runs login and storage through Debian's Chromium against a replica started here.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { METRICS } from '../src/metrics/catalog.ts';
import { parseExposition, samplesOf, type Family } from '../src/metrics/parse.ts';
import { faultTable } from '../src/replica/faults.ts';
import { startReplica, type ReplicaOptions } from '../src/replica/server.ts';
import { DEMO_USER } from '../src/replica/users.ts';
import { runCli, tmpDir } from './support/helpers.ts';

const demo = { PERFPULSE_USERNAME: DEMO_USER.username, PERFPULSE_PASSWORD: DEMO_USER.password };

function profileFor(origin: string, name: string): string {
  const file = join(tmpDir(), `${name}.yaml`);
  writeFileSync(file, `name: ${name}\nurls:\n${['www', 'canfar', 'ws_cadc', 'ws', 'ws_uv'].map((r) => `  ${r}: ${origin}`).join('\n')}\n`);
  return file;
}

const value = (fams: Family[], metric: string, journey: string, step?: string) =>
  samplesOf(fams, metric).find((s) => s.labels.journey === journey && (step === undefined || s.labels.step === step))?.value;

/** login + storage (or `journeys`) through the CLI against a replica with these options. */
async function run(name: string, opts: ReplicaOptions, journeys = 'login,storage') {
  const replica = await startReplica(opts);
  try {
    const r = await runCli(['--env', profileFor(replica.origin, name), '--journeys', journeys, '--dry-run', '--only', 'journeys'], demo, 180_000);
    return { ...r, fams: r.code === 0 || r.code === 1 ? parseExposition(r.stdout) : [] };
  } finally {
    await replica.stop();
  }
}

describe('the login and storage journeys on what the real front ends do', () => {
  it('an empty home folder passes with 0 rows recorded', async () => {
    const r = await run('emptyhome', { emptyHomeFolders: true });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(value(r.fams, METRICS.journeySuccess.name, 'storage'), 1);
    assert.equal(value(r.fams, METRICS.storageHomeRows.name, 'storage'), 0, 'perfpulse_usersim_storage_rows_count 0');
    assert.equal(value(r.fams, METRICS.stepFailed.name, 'storage', 'list_home_folder'), 0);
  });

  it('the server-rendered header (only the user menu is in the page) passes too, with the rows the home holds', async () => {
    const r = await run('loginftl', { storageHeader: 'login-ftl' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(value(r.fams, METRICS.journeySuccess.name, 'storage'), 1);
    assert.equal(value(r.fams, METRICS.storageHomeRows.name, 'storage'), 4);
  });

  it('an error answer for the home folder fails list_home_folder at once, saying what answered', async () => {
    const r = await run('homefails', { faults: faultTable(['GET /storage/{svc}/list/{path+}=status:500']) });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(value(r.fams, METRICS.stepFailed.name, 'storage', 'list_home_folder'), 1);
    assert.equal(value(r.fams, METRICS.stepFailed.name, 'storage', 'open_storage_ui'), 0);
    assert.match(r.stderr, /the home folder answered 500/);
    assert.equal(value(r.fams, METRICS.storageHomeRows.name, 'storage'), undefined, 'nothing recorded for a failed listing');
  });

  it('a login page whose form is only in the header\'s Login dropdown: login opens it and passes', async () => {
    const r = await run('headerlogin', { loginForm: 'header-dropdown' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(value(r.fams, METRICS.journeySuccess.name, 'login'), 1);
    assert.equal(value(r.fams, METRICS.journeySuccess.name, 'storage'), 1, 'the login it saved is accepted');
  });

  it('the same header-only login form with the storage journey alone: its fallback login finds the form as the login journey does', async () => {
    const r = await run('headerloginalone', { loginForm: 'header-dropdown' }, 'storage');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(value(r.fams, METRICS.journeySuccess.name, 'login'), undefined, 'the login journey did not run');
    assert.equal(value(r.fams, METRICS.journeySuccess.name, 'storage'), 1);
    assert.equal(value(r.fams, METRICS.storageHomeRows.name, 'storage'), 4);
  });
});
