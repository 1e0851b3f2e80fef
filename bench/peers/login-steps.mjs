/**
 * The login journey's three browser steps (journeys/login.journey.ts: open_login_page,
 * submit_credentials, see_user_menu) with the same locators (src/runtime/api/login-form.ts), as plain
 * Playwright calls every peer can run: bare `playwright test` (bench/bare), Artillery's Playwright
 * engine and @elastic/synthetics (bench/peers/*) each wrap them in their own kind of step. No
 * assertion library: a locator's waitFor() is the same wait that expect(...).toBeVisible() polls.
 * The bench's own code, plain JavaScript, so that each peer loads it without a TypeScript loader.
 */

/** Playwright's locators of the shown login form (login-form.ts loginForm). */
export function loginForm(page) {
  const form = page.locator('form#loginForm').filter({ visible: true });
  return {
    form,
    username: form.getByLabel('Username').or(form.locator('input#username')),
    password: form.getByLabel('Password').or(form.locator('input#password')),
    submit: form.getByRole('button', { name: 'Login' }),
  };
}

/** open_login_page: GET /access/login until a login form is shown (the page's own or the header's dropdown). */
export async function openLoginPage(page, base) {
  const login = loginForm(page);
  await page.goto(`${base}/access/login`);
  if (!(await login.form.count())) {
    const anonymous = page.locator('li.user-anonymous');
    const toggle = anonymous.getByRole('link', { name: 'Login', exact: true }).or(anonymous.getByRole('button', { name: 'Login', exact: true }));
    await toggle.waitFor({ state: 'visible' });
    await toggle.click();
  }
  await login.form.waitFor({ state: 'visible' });
  return login;
}

/** submit_credentials: fill, click Login, wait for the POST's answer and the page it lands on outside /access/. */
export async function submitCredentials(page, login, username, password) {
  await login.username.fill(username);
  await login.password.fill(password);
  const answer = page.waitForResponse('**/access/login');
  answer.catch(() => undefined);
  await login.submit.click();
  const res = await answer;
  if (res.request().method() !== 'POST') throw new Error('expected a POST to /access/login');
  if (!res.ok()) throw new Error(`login refused (${res.status()})`);
  await page.waitForURL((url) => !url.pathname.startsWith('/access/'));
}

/** see_user_menu: no login form, and the header's authenticated container names the user. */
export async function seeUserMenu(page, login) {
  if (await login.form.count()) throw new Error('landed on a login form after logging in');
  // visible and not empty, in one wait
  await page.locator('li.user-authenticated span.auth-username').filter({ hasText: /\S/ }).waitFor({ state: 'visible' });
}

export const STEPS = ['open_login_page', 'submit_credentials', 'see_user_menu'];
