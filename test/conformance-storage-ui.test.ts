/**
 * The storage-ui conformance front end (conformance/frontends/storage-ui.ts): the real templates rendered
 * by the real FreeMarker with the data model the real resources build from the replica's VOSpace nodes, the
 * real static files, and the restlet endpoints the pages call. Needs a clone of opencadc/storage-ui
 * ($PERFPULSE_CONFORMANCE_SOURCES/storage-ui, default /work/src/storage-ui), FreeMarker and a JDK; without them
 * it is skipped, saying which is missing.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { storageUi } from '../conformance/frontends/storage-ui.ts';
import type { RunningFrontEnd } from '../conformance/frontend.ts';
import { startReplica, type Replica } from '../src/replica/server.ts';
import { DEMO_USER } from '../src/replica/users.ts';

const dir = join(process.env.PERFPULSE_CONFORMANCE_SOURCES ?? '/work/src', 'storage-ui');
const missing = existsSync(dir) ? storageUi.check(dir) : `no storage-ui clone at ${dir}`;
const HOME = `/home/${DEMO_USER.username}`;

describe('conformance front end: storage-ui', { skip: missing ?? false }, () => {
  let replica: Replica;
  let empty: Replica;
  let fe: RunningFrontEnd;
  let feEmpty: RunningFrontEnd;
  let cookie: string;
  before(async () => {
    [replica, empty] = await Promise.all([startReplica(), startReplica({ emptyHomeFolders: true })]);
    const commit = execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    [fe, feEmpty] = await Promise.all([
      storageUi.start({ source: { dir, commit }, replicaOrigin: replica.origin, publicOrigin: 'http://127.0.0.1:9' }),
      storageUi.start({ source: { dir, commit }, replicaOrigin: empty.origin, publicOrigin: 'http://127.0.0.1:9' }),
    ]);
    const login = await fetch(`${fe.origin}/storage/ac/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: DEMO_USER.username, password: DEMO_USER.password, redirectPath: HOME }).toString(),
      redirect: 'manual',
    });
    assert.equal(login.status, 303, 'AccessControlServerResource#login: 303');
    assert.equal(login.headers.get('location'), `/storage/list${HOME}`);
    cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    assert.match(cookie, /^CADC_SSO="base64:/);
  });
  after(async () => {
    await Promise.all([fe?.stop(), feEmpty?.stop()]);
    await Promise.all([replica?.stop(), empty?.stop()]);
  });

  it('owns the storage UI\'s paths and the header\'s org.opencadc.js, nothing else', () => {
    for (const p of ['/storage', '/storage/list/', '/storage/arc/list/home/x?y=1', '/storage/js/filemanager.js', '/cadcJS/javascript/org.opencadc.js']) assert.ok(storageUi.owns('GET', p), p);
    for (const p of ['/storagex', '/access/login', '/arc/nodes/home', '/cadcJS/javascript/cadc.user.js', '/canfar/includes/_application_header.shtml']) assert.ok(!storageUi.owns('GET', p), p);
  });

  it('the root listing: index.ftl with the replica\'s header included and the root\'s rows in the page', async () => {
    const res = await fetch(`${fe.origin}/storage/list/`, { headers: { cookie } });
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.ok(html.includes('<table id="beacon" class="table table-striped table-condensed table-hover"'), 'index.ftl + _main.ftl');
    assert.ok(html.includes('<ul id="navbar_list" class="nav navbar-nav pull-right">'), 'the application header, included as a template');
    assert.match(html, /rows\.push\(\["","home","0\.00 B","2026-01-01  -  00:00:00","","","false","false","glyphicon-folder-open","\/home","vos:\/\/cadc\.nrc\.ca~arc\/home","\/storage\/arc\/list\/home","true","true",""\n\]\)/, 'StorageItemCSVWriter line, its "\\n" included');
    assert.ok(html.includes(`href="/storage/arc/list${HOME}"`), 'Home: the home node exists for the logged-in user');
    assert.ok(!html.includes('https://www.canfar.net'), 'canfarWebRoot points at the public origin');
    assert.ok(html.includes('href="http://127.0.0.1:9/css/canfar.css?version=3"'));
    const anonymous = await (await fetch(`${fe.origin}/storage/list/`)).text();
    assert.ok(!anonymous.includes('id="homeDir"'), 'no Home without a login');
  });

  it('the home listing has its four rows; an empty home has none', async () => {
    const html = await (await fetch(`${fe.origin}/storage/arc/list${HOME}`, { headers: { cookie } })).text();
    assert.equal(html.match(/rows\.push\(\[/g)?.length, 4);
    assert.match(html, /<h2 property="name">[\s\S]*?<\/button>\s*\/home\/perfpulse-demo\s*<\/h2>/);
    const token = (await (await fetch(`${empty.origin}/ac/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username: DEMO_USER.username, password: DEMO_USER.password }).toString() })).text()).trim();
    const none = await (await fetch(`${feEmpty.origin}/storage/arc/list${HOME}`, { headers: { cookie: `CADC_SSO="${token}"` } })).text();
    assert.equal(none.match(/rows\.push\(\[/g), null);
    assert.ok(none.includes('id="homeDir"'), 'an empty home still exists');
  });

  it('errors: error.ftl with the status for a refused or missing folder, plain text for an unknown service', async () => {
    const refused = await fetch(`${fe.origin}/storage/arc/list${HOME}`);
    assert.equal(refused.status, 401);
    assert.match(await refused.text(), /<div id="errorDisplayDiv" class="errorDisplay" >\s*Unable to fulfil request: Unauthorized \(401\) - The request requires user authentication/);
    const gone = await fetch(`${fe.origin}/storage/list/home/nobody-here`, { headers: { cookie } });
    assert.equal(gone.status, 404);
    assert.match(await gone.text(), /Unable to fulfil request: Not Found \(404\)/);
    const svc = await fetch(`${fe.origin}/storage/vault/list/`);
    assert.equal(svc.status, 400);
    assert.equal(await svc.text(), 'service not found in vosui configuration: vault');
  });

  it('the static files of the clone, the quota, the CSV page; a refused login is the 401 error page', async () => {
    const js = await fetch(`${fe.origin}/storage/js/filemanager.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    assert.match(await js.text(), /function fileManager\(/);
    assert.match(await (await fetch(`${fe.origin}/cadcJS/javascript/org.opencadc.js`)).text(), /StringUtil/);
    assert.equal((await fetch(`${fe.origin}/storage/js/..%2f..%2fWEB-INF/web.xml`)).status, 404, 'nothing outside the webapp');
    assert.deepEqual(await (await fetch(`${fe.origin}/storage/arc/folder${HOME}`, { headers: { cookie } })).json(), { size: '100.00 GB', quota: '100.00 GB' });
    const csv = await (await fetch(`${fe.origin}/storage/arc/page${HOME}?pageSize=400`, { headers: { cookie } })).text();
    assert.equal(csv.trim().split('\n').length, 4);
    const wrong = await fetch(`${fe.origin}/storage/ac/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: DEMO_USER.username, password: 'wrong', redirectPath: '/' }).toString(),
      redirect: 'manual',
    });
    assert.equal(wrong.status, 401);
    assert.match(await wrong.text(), /id="errorDisplayDiv"/);
  });
});
