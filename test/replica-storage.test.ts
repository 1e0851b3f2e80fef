/**
 * The replica's storage UI models what the real one (opencadc/storage-ui f870bb0) does where the storage
 * journey depends on it (cadc-reference.md §2.4, §6, §12; docs/journeys.md "storage"): the header shows either
 * the user menu or the login link, never both; `#errorDisplayDiv` exists only on the error page; the Home link
 * and the heading as index.ftl/_main.ftl render them; the listing's progress bar and status line; an empty
 * home folder. Pages are read as HTML and, where visibility decides, in Debian's Chromium.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { startReplica, type Replica } from '../src/replica/server.ts';
import { DEMO_USER } from '../src/replica/users.ts';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
const HOME = `/home/${DEMO_USER.username}`;

async function loginToken(replica: Replica): Promise<string> {
  return (await fetch(`${replica.origin}/ac/login`, form({ username: DEMO_USER.username, password: DEMO_USER.password }))).text();
}

async function loggedInContext(browser: Browser, replica: Replica): Promise<BrowserContext> {
  const context = await browser.newContext();
  const token = await loginToken(replica);
  await context.addCookies([{ name: 'CADC_SSO', value: `"${token}"`, url: replica.origin }]);
  return context;
}

describe('replica: the storage UI as storage-ui renders it', () => {
  let replica: Replica;
  let empty: Replica;
  let serverRendered: Replica;
  let browser: Browser;
  let token: string;
  before(async () => {
    [replica, empty, serverRendered] = await Promise.all([
      startReplica(),
      startReplica({ emptyHomeFolders: true }),
      startReplica({ storageHeader: 'login-ftl' }),
    ]);
    token = await loginToken(replica);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  });
  after(async () => {
    await browser?.close();
    await Promise.all([replica.stop(), empty.stop(), serverRendered.stop()]);
  });

  it('application header (default): both markers are in the page; the script shows only the one that applies', async () => {
    const cookie = { cookie: `CADC_SSO="${token}"` };
    const html = await (await fetch(`${replica.origin}/storage/list/`, { headers: cookie })).text();
    // canfar-portal 68e97f0 _includes/_app_page_header.md: both containers, hidden until cadc.user.js decides
    assert.match(html, /<li class="dropdown canfar-access-control canfar-authenticated user-authenticated hidden">\s*<a title="User actions\." class="dropdown-toggle access-actions user-actions" role="button"/);
    assert.match(html, /<li class="dropdown canfar-access-control canfar-anonymous user-anonymous hidden">\s*<a title="Login form" class="dropdown-toggle access-actions login-form" role="button"/);
    assert.equal(await (await fetch(`${replica.origin}/canfar/includes/_application_header.shtml`)).text().then((h) => html.includes(h)), true, 'the header is the one served for the real UI to include');

    const context = await loggedInContext(browser, replica);
    const page = await context.newPage();
    await page.goto(`${replica.origin}/storage/list/`);
    const menu = page.locator('#navbar_list');
    await menu.getByRole('button', { name: DEMO_USER.username, exact: true }).waitFor();
    assert.equal(await menu.locator('a.access-actions.user-actions').innerText(), DEMO_USER.username);
    assert.equal(await menu.locator('a.access-actions.login-form').isVisible(), false, 'the login link is in the page but hidden');
    assert.equal(await menu.locator('a.access-actions').filter({ visible: true }).count(), 1);
    await context.close();

    const anonymous = await browser.newPage();
    await anonymous.goto(`${replica.origin}/storage/list/`);
    await anonymous.locator('#navbar_list').getByRole('button', { name: 'Login', exact: true }).waitFor();
    assert.equal(await anonymous.locator('a.access-actions.user-actions').isVisible(), false, 'the user menu is in the page but hidden');
    assert.equal(await anonymous.locator('#navbar_list a.access-actions').filter({ visible: true }).count(), 1);
    await anonymous.close();
  });

  it('server-rendered header (login-ftl): only the user menu, then a#logout, or only the login link', async () => {
    const t = await loginToken(serverRendered);
    const mine = await (await fetch(`${serverRendered.origin}/storage/list/`, { headers: { cookie: `CADC_SSO="${t}"` } })).text();
    assert.match(mine, /<ul id="navbar_list" class="nav navbar-nav pull-right">\s*<li class="dropdown"><a title="User actions\." class="dropdown-toggle access-actions user-actions" role="button"[^>]*>\nperfpulse-demo <span class="caret"><\/span><\/a>/);
    assert.ok(mine.indexOf('access-actions user-actions') < mine.indexOf('<a id="logout"'), 'a#logout follows the user menu');
    assert.ok(!mine.includes('login-form'), 'no login link beside the user menu');
    const anon = await (await fetch(`${serverRendered.origin}/storage/list/`)).text();
    assert.match(anon, /<li class="dropdown"><a title="Login form" class="dropdown-toggle access-actions login-form" role="button"/);
    assert.ok(!anon.includes('user-actions') && !anon.includes('id="logout"'), 'no user menu beside the login link');
  });

  it('#errorDisplayDiv is only on the error page, which carries the failure status (VOSpaceStatusService → error.ftl)', async () => {
    const cookie = { cookie: `CADC_SSO="${token}"` };
    const listing = await fetch(`${replica.origin}/storage/arc/list${HOME}`, { headers: cookie });
    assert.equal(listing.status, 200);
    assert.ok(!(await listing.text()).includes('errorDisplayDiv'), 'a listing has no error element, hidden or not');
    const anonymous = await fetch(`${replica.origin}/storage/arc/list${HOME}`);
    assert.equal(anonymous.status, 401);
    assert.match(await anonymous.text(), /<div id="errorDisplayDiv" class="errorDisplay" >\s*Unable to fulfil request: Unauthorized \(401\) - The request requires user authentication/);
    const missing = await fetch(`${replica.origin}/storage/list/home/nobody-here`, { headers: cookie });
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /Unable to fulfil request: Not Found \(404\) - The server has not found anything matching the request URI/);
    const svc = await fetch(`${replica.origin}/storage/vault/list/`);
    assert.equal(svc.status, 400);
    assert.equal(await svc.text(), 'service not found in vosui configuration: vault');
  });

  it('Home, the heading and the listing as index.ftl, _main.ftl and filemanager.js render them', async () => {
    const anon = await (await fetch(`${replica.origin}/storage/list/`)).text();
    assert.ok(!anon.includes('id="homeDir"'), 'no Home link without a login');
    const context = await loggedInContext(browser, replica);
    const page = await context.newPage();
    await page.goto(`${replica.origin}/storage/list/`);
    assert.equal((await page.getByRole('main').getByRole('heading', { level: 2 }).innerText()).trim(), 'ROOT');
    const home = page.locator('#navbar-functions').getByRole('link', { name: /\bHome$/ });
    assert.equal(await home.getAttribute('href'), `/storage/arc/list${HOME}`, 'contextPath + vospaceSvcPath + "list" + homeDir');
    await home.click();
    await page.waitForURL(`**/storage/arc/list${HOME}`);
    assert.equal((await page.getByRole('main').getByRole('heading', { level: 2 }).innerText()).trim(), HOME, 'the heading is the folder path');
    const listing = page.locator('#beacon_wrapper');
    assert.match((await listing.getByRole('progressbar').getAttribute('class')) ?? '', /progress-bar-success/);
    assert.equal(await listing.getByRole('status').innerText(), 'Showing 1 to 4 of 4 entries');
    assert.deepEqual(await page.locator('table#beacon tbody tr td:nth-child(2) a').allInnerTexts(), ['README.md', 'data', 'notebooks', 'results.fits']);
    assert.equal(await page.locator('table#beacon tbody a').first().getAttribute('href'), `/storage/arc/file${HOME}/README.md`);
    await context.close();
  });

  it('an empty home folder: no children in the node, DataTables\' empty row and "Showing 0 to 0 of 0 entries"', async () => {
    const t = await loginToken(empty);
    const xml = await (await fetch(`${empty.origin}/arc/nodes${HOME}`, { headers: { authorization: `Bearer ${t}` } })).text();
    assert.match(xml, /<vos:nodes>\s*<\/vos:nodes>/);
    const context = await loggedInContext(browser, empty);
    const page = await context.newPage();
    await page.goto(`${empty.origin}/storage/arc/list${HOME}`);
    assert.equal(await page.locator('#beacon_wrapper').getByRole('status').innerText(), 'Showing 0 to 0 of 0 entries');
    assert.equal(await page.locator('table#beacon tbody td.dataTables_empty').innerText(), 'No data available in table');
    await context.close();
  });

  it('VOSpace: the home node is the owner\'s only; /storage/page answers its rows as StorageItemCSVWriter writes them', async () => {
    const path = `/arc/nodes${HOME}`;
    assert.equal((await fetch(`${replica.origin}${path}`)).status, 401);
    const xml = await (await fetch(`${replica.origin}${path}`, { headers: { authorization: `Bearer ${token}` } })).text();
    assert.match(xml, /uri="vos:\/\/cadc\.nrc\.ca~arc\/home\/perfpulse-demo\/README\.md" xsi:type="vos:DataNode"/);
    const csv = await (await fetch(`${replica.origin}/storage/page${HOME}`, { headers: { cookie: `CADC_SSO="${token}"` } })).text();
    const first = csv.split('\n')[0] ?? '';
    assert.equal(first, `"","data","0.00 B","2026-03-02  -  10:15:00","","","false","false","glyphicon-folder-open","${HOME}/data","vos://cadc.nrc.ca~arc${HOME}/data","/storage/arc/list${HOME}/data","true","true","CN=perfpulse-demo"`);
    assert.equal(csv.trim().split('\n').length, 4);
  });

  it('the storage UI\'s own login: 303 to the folder with CADC_SSO; a refused one is the 401 error page', async () => {
    const login = await fetch(`${replica.origin}/storage/ac/authenticate`, {
      ...form({ username: DEMO_USER.username, password: DEMO_USER.password, redirectPath: HOME }),
      redirect: 'manual',
    });
    assert.equal(login.status, 303);
    assert.equal(login.headers.get('location'), `/storage/list${HOME}`);
    assert.match(login.headers.get('set-cookie') ?? '', /^CADC_SSO="base64:[^"]+"; Max-Age=172800; Path=\//);
    const refused = await fetch(`${replica.origin}/storage/ac/authenticate`, { ...form({ username: DEMO_USER.username, password: 'wrong' }), redirect: 'manual' });
    assert.equal(refused.status, 401);
    assert.match(await refused.text(), /id="errorDisplayDiv"/);
  });
});
