/**
 * Failures on purpose, one per test, each inside a boxed step as journey.ts's step() makes them:
 * what Playwright 1.64 really says when an expectation or an action fails in Chromium. The test's
 * title names the case; test/failure.test.ts reads what ./reporter.ts collected.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';

export const PASSWORD = 'pw-Secret-4711';
export const TOKEN = 'base64:ZXhwaXJ5dGltZT0xNzAwMDAwMDAwJnVzZXJpZD1kZW1v';

const PAGE = `<!doctype html><html><body>
<header><span class="grid-header-label">Showing 3 rows</span></header>
<div id="error-grid-header"><span class="grid-header-label">Error</span></div>
<button class="submit-query" disabled>Search</button>
<p id="status">Hello world</p>
<li class="user-authenticated d-none" style="display:none"><span class="auth-username">perfpulse-demo</span></li>
<form><label>Password <input id="password" type="password"></label></form>
</body></html>`;

let server: Server;
let origin = '';
let closedOrigin = '';

test.beforeAll(async () => {
  // /hang never answers; /slow-load answers, then one of its images never does
  server = createServer((req, res) => {
    if (req.url?.startsWith('/hang')) return;
    res.setHeader('content-type', 'text/html');
    res.end(req.url === '/slow-load' ? '<p>partly</p><img src="/hang.png">' : PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
  closedOrigin = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise((resolve) => closed.close(resolve));
});

test.afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function failing(name: string, body: (page: Page) => Promise<unknown>, opts: { testTimeoutMs?: number } = {}): void {
  test(name, async ({ page }) => {
    test.fail(); // expected to fail: Playwright keeps the worker (and its browser) for the next case
    if (opts.testTimeoutMs) test.setTimeout(opts.testTimeoutMs);
    await page.goto(`${origin}/`);
    await test.step('the_step', async () => body(page), { box: true });
  });
}

failing('visible_missing', (page) => expect(page.locator('form#loginForm')).toBeVisible());
failing('visible_hidden', (page) => expect(page.locator('li.user-authenticated span.auth-username')).toBeVisible());
failing('contain_text_wrong', (page) => expect(page.locator('#status')).toContainText('Showing'));
failing('contain_text_strict', (page) => expect(page.locator('span.grid-header-label')).toContainText('Showing'));
failing('enabled_custom_message', (page) => expect(page.locator('button.submit-query').first(), 'the Search button is enabled once the page is ready').toBeEnabled());
failing('enabled_disabled', (page) => expect(page.getByRole('button', { name: 'Search' })).toBeEnabled());
failing('have_text', (page) => expect(page.locator('#status')).toHaveText('perfpulse-demo'));
failing('have_text_regex', (page) => expect(page.locator('#status')).toHaveText(/Showing \d+ rows/));
failing('not_empty_missing', (page) => expect(page.locator('span#login_fail')).not.toBeEmpty());
failing('attached_custom_message', (page) => expect(page.locator('[id="Observation.collection"]').locator('option').first(), 'the data train fills the collection list').toBeAttached());
failing('or_first', (page) => expect(page.locator('a.access-actions.user-actions').or(page.locator('a.access-actions.login-form')).first()).toBeVisible());
failing('label_filter', (page) => expect(page.getByLabel('Target').filter({ hasText: 'M101' })).toBeVisible());
failing('have_count', (page) => expect(page.locator('span.grid-header-label')).toHaveCount(1));
failing('have_url', (page) => expect(page).toHaveURL(/\/storage\/list\//));
failing('value_custom_message', async () => expect(3, 'rows in the grid').toBe(4));
failing('poll_custom_message', async () => expect.poll(async () => 1, { message: 'rows appear', timeout: 1000 }).toBe(2));
failing('click_missing', (page) => page.locator('#homeDir').click());
failing('click_disabled', (page) => page.locator('button.submit-query').click());
failing('click_strict', (page) => page.locator('span.grid-header-label').click());
failing('fill_missing', (page) => page.locator('input#username').fill('perfpulse-demo'));
failing('select_option_missing', (page) => page.locator('[id="Observation.collection"]').selectOption('CFHT'));
failing('wait_for_response_predicate', (page) => page.waitForResponse((r) => new URL(r.url()).pathname === '/search/find'));
failing('wait_for_response_glob', (page) => page.waitForResponse('**/search/find'));
failing('wait_for_url_predicate', (page) => page.waitForURL((url) => url.pathname.startsWith('/storage/')));
failing('wait_for_event', (page) => page.waitForEvent('popup'));
failing('locator_wait_for', (page) => page.locator('#cadcvotv-empty-results-message').waitFor());
failing('goto_hang', (page) => page.goto(`${origin}/hang/en/search/`));
failing('goto_subresource_hangs', (page) => page.goto(`${origin}/slow-load`));
failing('goto_refused', (page) => page.goto(`${closedOrigin}/en/search/`));
failing('goto_journey_timeout', (page) => page.goto(`${origin}/hang/storage/list/`, { timeout: 10_000 }), { testTimeoutMs: 2000 });
failing('api_refused', (page) => page.request.get(`${closedOrigin}/ac/whoami`, { headers: { authorization: `Bearer ${TOKEN}` } }));
failing('api_hang', (page) => page.request.post(`${origin}/hang/ac/login`, { form: { username: 'perfpulse-demo', password: PASSWORD }, timeout: 1000 }));
failing('password_value', async (page) => {
  await page.locator('#password').fill(PASSWORD);
  await expect(page.locator('#password')).toHaveValue('');
});
failing('own_error', async () => {
  throw new Error('search failed: /search/find answered 500');
});
failing('own_error_after_expect', async (page) => {
  const outcome = await expect(page.locator('#cadcvotv-empty-results-message'))
    .toBeVisible({ timeout: 300 })
    .then(() => 'empty')
    .catch(() => 'timeout');
  if (outcome === 'timeout') throw new Error('search gave no results within 60 s');
});
failing('journey_timeout', (page) => expect(page.locator('table#beacon')).toBeVisible({ timeout: 10_000 }), { testTimeoutMs: 2000 });
failing('journey_timeout_action', (page) => page.locator('#homeDir').click({ timeout: 10_000 }), { testTimeoutMs: 2000 });
failing('page_closed', async (page) => {
  await page.close();
  await page.locator('#homeDir').click();
});

// outside every step: an action, and the test's own timeout
test('outside_step', async ({ page }) => {
  test.fail();
  await page.goto(`${origin}/`);
  await page.locator('#homeDir').click();
});
test('outside_step_timeout', async () => {
  test.fail();
  test.setTimeout(1000);
  await new Promise(() => undefined);
});
