/**
 * The replica's Science Portal page in a real Chromium: the behaviours of the real front end
 * (opencadc/science-portal f6823b5) that the science_portal journey depends on. Each of these
 * failed on the replica before it modelled them (issue 13).
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { faultTable } from '../src/replica/faults.ts';
import type { ReplicaImage } from '../src/replica/images.ts';
import { startReplica, type Replica, type ReplicaOptions } from '../src/replica/server.ts';
import { DEMO_USER } from '../src/replica/users.ts';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
const img = (id: string, types = ['notebook']): ReplicaImage => ({ id: `images.canfar.net/${id}`, types });

describe('replica: the Science Portal page, as the real front end behaves', () => {
  let browser: Browser;
  const replicas: Replica[] = [];
  before(async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  });
  after(async () => {
    await browser.close();
    await Promise.all(replicas.map((r) => r.stop()));
  });

  const replica = async (opts: ReplicaOptions = {}) => {
    const r = await startReplica({ sessionPendingMs: 300, sessionTerminatingMs: 300, ...opts });
    replicas.push(r);
    return r;
  };
  const token = async (r: Replica) => (await (await fetch(`${r.origin}/ac/login`, form({ username: DEMO_USER.username, password: DEMO_USER.password }))).text()).trim();
  const launchViaSkaha = async (r: Replica, tok: string, name: string) => {
    const res = await fetch(`${r.origin}/skaha/v1/session`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name, image: 'images.canfar.net/skaha/astroml:latest', type: 'notebook' }).toString(),
    });
    assert.equal(res.status, 200, await res.clone().text());
    const id = (await res.text()).trim();
    // Running before the page loads: a Pending session would be refreshed only at the page's 10 s tick
    for (let status = ''; status !== 'Running'; await sleep(50)) {
      status = ((await (await fetch(`${r.origin}/skaha/v1/session/${id}`, { headers: { authorization: `Bearer ${tok}` } })).json()) as { status: string }).status;
    }
    return id;
  };
  /** A page already logged in (the portal's token in localStorage), on the dashboard. */
  const loggedIn = async (r: Replica): Promise<Page> => {
    const tok = await token(r);
    const context = await browser.newContext();
    await context.addInitScript((t) => localStorage.setItem('canfar_auth_token', t), tok);
    const page = await context.newPage();
    await page.goto(`${r.origin}/science-portal`);
    await page.getByRole('tabpanel', { name: 'Standard' }).getByRole('button', { name: 'Launch', exact: true }).waitFor();
    return page;
  };
  const sessionsPanel = (page: Page) => page.locator('.MuiPaper-root').filter({ has: page.getByText(/^Active Sessions( \(\d+\))?$/) });

  it('opens the login dialog by itself once the auth check says "not logged in", not before; the fields are found by role', async () => {
    const r = await replica({ faults: faultTable(['GET /science-portal/api/auth/status=delay:1500']) });
    const page = await browser.newPage();
    try {
      let statusAnswered = false;
      page.on('response', (res) => {
        if (new URL(res.url()).pathname === '/science-portal/api/auth/status') statusAnswered = true;
      });
      await page.goto(`${r.origin}/science-portal`);
      const dialog = page.getByRole('dialog', { name: /^Login\b/ });
      await dialog.waitFor();
      assert.equal(statusAnswered, true, 'the dialog opened only after GET /science-portal/api/auth/status answered');
      assert.equal(await page.locator('#login-dialog-title').innerText().then((t) => t.startsWith('Login')), true);
      // MUI TextField: aria-label on the wrapper and a <label for> on the input, so a label query finds two elements
      assert.equal(await dialog.getByLabel('Username', { exact: true }).count(), 2);
      assert.equal(await dialog.getByRole('textbox', { name: 'Username', exact: true }).count(), 1);
      assert.equal(await dialog.getByRole('textbox', { name: 'Password', exact: true }).count(), 1);
      assert.equal(await page.getByRole('heading', { name: 'Sign in to access the Science Portal' }).count(), 0, 'the page behind the dialog is aria-hidden');
      assert.equal(await page.getByText('Sign in to access the Science Portal').isVisible(), true);
    } finally {
      await page.close();
    }
  });

  it('a refused login is retried once, then the dialog says "Login failed: 401"', async () => {
    const r = await replica();
    const page = await browser.newPage();
    try {
      let posts = 0;
      page.on('request', (q) => {
        if (q.method() === 'POST' && new URL(q.url()).pathname === '/science-portal/api/auth/login') posts++;
      });
      await page.goto(`${r.origin}/science-portal`);
      const dialog = page.getByRole('dialog', { name: /^Login\b/ });
      await dialog.getByRole('textbox', { name: 'Username', exact: true }).fill(DEMO_USER.username);
      await dialog.getByRole('textbox', { name: 'Password', exact: true }).fill('wrong-password');
      await dialog.getByRole('button', { name: 'Submit login' }).click();
      await assert.doesNotReject(dialog.getByRole('alert').getByText('Login failed: 401').waitFor());
      assert.equal(posts, 2);
    } finally {
      await page.close();
    }
  });

  it('lists sessions as MUI cards without ids or data attributes, in list order, each found by the name it shows', async () => {
    const r = await replica();
    const tok = await token(r);
    await launchViaSkaha(r, tok, 'notebook1');
    await launchViaSkaha(r, tok, 'analysis2');
    const page = await loggedIn(r);
    try {
      const panel = sessionsPanel(page);
      await panel.getByText('Active Sessions (2)', { exact: true }).waitFor();
      assert.equal(await page.locator('.session-card').count(), 0);
      const cards = panel.locator('.MuiCard-root');
      assert.equal(await cards.count(), 2);
      const marked = await cards.evaluateAll((els) =>
        els.flatMap((el) => [el, ...Array.from(el.querySelectorAll('*'))]).flatMap((e) => Array.from(e.attributes).map((a) => a.name)).filter((n) => n === 'id' || n.startsWith('data-')),
      );
      assert.deepEqual(marked, []);
      const byName = (name: string) => cards.filter({ has: page.getByText(name, { exact: true }) });
      assert.equal(await byName('notebook1').count(), 1);
      assert.equal(await byName('analysis2').count(), 1);
      assert.match(await cards.first().innerText(), /notebook1/);
      await byName('notebook1').getByText('Running', { exact: true }).waitFor();
      assert.equal(await byName('notebook1').getByRole('button', { name: 'Delete session' }).isEnabled(), true);
    } finally {
      await page.context().close();
    }
  });

  for (const [title, images, project, offered, chosen] of [
    ['astroml:latest when offered', [img('skaha/astroml:24.07'), img('skaha/astroml:latest'), img('other/tool:1')], 'skaha', ['astroml:latest', 'astroml:24.07'], 'astroml:latest'],
    ['another astroml:* without latest, newest first', [img('skaha/zeta:1'), img('skaha/astroml:23.11'), img('skaha/astroml:24.07'), img('skaha/alpha:2')], 'skaha', ['alpha:2', 'astroml:24.07', 'astroml:23.11', 'zeta:1'], 'astroml:24.07'],
    ['else the first, in the first project by name without skaha', [img('beta/zeta:1'), img('alpha/tool:2.10'), img('alpha/tool:2.9')], 'alpha', ['tool:2.10', 'tool:2.9'], 'tool:2.10'],
  ] as const) {
    it(`image options read name:version and the form preselects ${title}`, async () => {
      const r = await replica({ images: [...images, img('skaha/stress-ng:latest', ['headless'])] });
      const page = await loggedIn(r);
      try {
        const tab = page.getByRole('tabpanel', { name: 'Standard' });
        assert.equal(await tab.locator('#session-project').innerText(), project);
        assert.equal(await tab.locator('#session-image').innerText(), chosen);
        await tab.locator('#session-image').click();
        const options = await page.getByRole('listbox').getByRole('option').allInnerTexts();
        assert.deepEqual(options, ['Select image', ...offered]);
        assert.equal(await page.getByRole('tabpanel', { name: 'Standard' }).count(), 0, 'an open list hides the page from the accessibility tree');
        await page.keyboard.press('Escape');
        await tab.locator('#session-type').click();
        assert.deepEqual(await page.getByRole('listbox').getByRole('option').allInnerTexts(), ['notebook', 'desktop', 'carta', 'contributed', 'firefly']);
        await page.keyboard.press('Escape');
      } finally {
        await page.context().close();
      }
    });
  }

  it('prefills the name notebook<N+1> and rewrites it when the session count changes; launches with the typed name', async () => {
    const r = await replica();
    const tok = await token(r);
    await launchViaSkaha(r, tok, 'old1');
    const page = await loggedIn(r);
    try {
      const tab = page.getByRole('tabpanel', { name: 'Standard' });
      const name = tab.getByPlaceholder('Enter session name');
      assert.equal(await name.inputValue(), 'notebook2');
      await name.fill('mine1');
      const posted = page.waitForRequest((q) => q.method() === 'POST' && new URL(q.url()).pathname === '/science-portal/api/sessions');
      await tab.getByRole('button', { name: 'Launch', exact: true }).click();
      assert.deepEqual((await posted).postDataJSON(), { sessionType: 'notebook', sessionName: 'mine1', containerImage: 'images.canfar.net/skaha/astroml:latest' });
      await sessionsPanel(page).locator('.MuiCard-root').filter({ has: page.getByText('mine1', { exact: true }) }).waitFor();
      await page.waitForFunction(() => (document.querySelector('#session-name') as HTMLInputElement | null)?.value === 'notebook3');
    } finally {
      await page.context().close();
    }
  });

  it('deletes through the "Delete Session" dialog; the card shows Terminating until a later poll no longer lists it', async () => {
    const r = await replica({ sessionTerminatingMs: 1000 });
    const tok = await token(r);
    await launchViaSkaha(r, tok, 'gone1');
    const page = await loggedIn(r);
    try {
      const card = sessionsPanel(page).locator('.MuiCard-root').filter({ has: page.getByText('gone1', { exact: true }) });
      await card.getByText('Running', { exact: true }).waitFor();
      await card.getByRole('button', { name: 'Delete session' }).click();
      const confirm = page.getByRole('dialog', { name: 'Delete Session' });
      assert.match(await confirm.locator('#delete-session-dialog-description').innerText(), /cannot be undone/);
      assert.equal(await page.getByRole('heading', { name: /^Active Sessions/ }).count(), 0, 'behind the dialog the page is aria-hidden');
      assert.equal(await card.count(), 1, 'found by text, the card is still there behind the dialog');
      const deleted = page.waitForResponse((res) => res.request().method() === 'DELETE');
      await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
      assert.equal((await deleted).status(), 204);
      await card.getByText('Terminating', { exact: true }).waitFor();
      const gone = page.waitForResponse(async (res) => new URL(res.url()).pathname === '/science-portal/api/sessions' && (await res.text()) === '[]');
      await gone;
      await card.waitFor({ state: 'detached' });
    } finally {
      await page.context().close();
    }
  });
});
