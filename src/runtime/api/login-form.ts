/**
 * The CADC site's login form, as the login journey and the fallback login (./auth-state.ts
 * loginAndSave) both use it, so the two cannot drift apart. Each locator is traced in
 * docs/journeys.md ("login") to opencadc/ac and opencadc/canfar-portal `_page_header.html`.
 *
 * The form may be in the page, in the header's Login dropdown (hidden until Login is clicked), or
 * in both at once: the one shown counts. The password is typed inside secretly(), which empties
 * every password field afterwards, so no DOM snapshot of a kept trace shows it.
 */
import { expect, type Locator, type Page, type Response } from '@playwright/test';
import type { Credentials } from '../../config/credentials.ts';

/**
 * Runs `body` (typing a password, submitting it), then empties every password field, so later DOM
 * snapshots of the trace cannot show it. Kept traces are also redacted as a whole (./trace-redact.ts).
 */
export async function secretly<T>(page: Page, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    await page
      .evaluate(() => document.querySelectorAll<HTMLInputElement>('input[type=password]').forEach((el) => (el.value = '')))
      .catch(() => undefined);
  }
}

export interface LoginForm {
  /** The shown `form#loginForm` (page or header dropdown). */
  form: Locator;
  username: Locator;
  password: Locator;
  submit: Locator;
}

/** The login form's controls, by label, inside whichever form#loginForm is shown. */
export function loginForm(page: Page): LoginForm {
  const form = page.locator('form#loginForm').filter({ visible: true });
  return {
    form,
    username: form.getByLabel('Username').or(form.locator('input#username')),
    password: form.getByLabel('Password').or(form.locator('input#password')),
    // the button's name may start with an icon font's glyph (" Login"): not exact
    submit: form.getByRole('button', { name: 'Login' }),
  };
}

/**
 * Opens `url` (the login page) until a login form is shown: the page's own, or, when the page
 * shows none, the one in the header's Login dropdown, opened by clicking Login.
 */
export async function openLoginForm(page: Page, url: string): Promise<LoginForm> {
  const login = loginForm(page);
  await page.goto(url);
  if (!(await login.form.count())) {
    // no form on the page: the header's Login dropdown holds one (canfar-portal _page_header.html)
    const anonymous = page.locator('li.user-anonymous');
    const toggle = anonymous.getByRole('link', { name: 'Login', exact: true }).or(anonymous.getByRole('button', { name: 'Login', exact: true }));
    await expect(toggle, 'the page shows a login form, or the header shows Login').toBeVisible();
    await toggle.click();
  }
  await expect(login.form, 'the login form is shown').toBeVisible();
  return login;
}

/**
 * Fills Username and Password and clicks Login; answers the page's POST /access/login (waited for
 * by URL, so a timeout names it). `then(answer)` runs still inside secretly() (e.g. waiting
 * for the page the login lands on, while the password field may still be in the page).
 */
export async function submitLogin(page: Page, login: LoginForm, credentials: Credentials, then?: (answer: Response) => Promise<void>): Promise<Response> {
  await login.username.fill(credentials.username);
  return secretly(page, async () => {
    await login.password.fill(credentials.password);
    const answer = waitForPost(page, '**/access/login');
    answer.catch(() => undefined);
    await login.submit.click();
    const res = await answer;
    await then?.(res);
    return res;
  });
}

/**
 * The response to a POST whose URL matches `glob`. Waited for by URL (not a predicate), so that a
 * timeout's error names what was waited for (`response "**\/search/find"`, src/results/failure.ts);
 * the method is checked on the answer. Only for URLs the page requests with POST alone.
 */
export async function waitForPost(page: Page, glob: string, opts: { timeout?: number } = {}): Promise<Response> {
  const res = await page.waitForResponse(glob, opts);
  const method = res.request().method();
  if (method !== 'POST') throw new Error(`expected a POST to ${new URL(res.url()).pathname}, the page sent ${method}`);
  return res;
}
