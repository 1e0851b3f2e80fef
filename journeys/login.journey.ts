/**
 * login: a user signs in on the CADC site through browser SSO (cadc-reference.md §2.2–2.3).
 *
 * Steps:
 *   open_login_page     GET /access/login until the login form is visible
 *   submit_credentials  fill #username/#password, click #submitLogin; the page POSTs /access/login,
 *                       opens the SSO URL it answers, /access/sso sets CADC_SSO and 303s back.
 *                       Ends when the page it lands on has loaded; a refused login fails with the #login_fail text.
 *   see_user_menu       the page landed on is not a login form (form#loginForm), and the header's authenticated
 *                       container shows span.auth-username (filled by cadc.user.js from GET /ac/whoami)
 *   token_login         the API login (§2.1): POST <ws_cadc>/ac/login with username and password answers 200 with
 *                       a token (x-vo-authenticated names the user); GET /ac/whoami with it as Bearer answers 200
 *
 * When the browser login passes, its storage state is saved for the journeys that need a login
 * (src/runtime/auth-state.ts). Passwords and tokens are handled inside secretly(), so no kept trace holds them.
 */
import { saveAuthState } from '../src/runtime/auth-state.ts';
import { expect, journey, secretly, step } from '../src/runtime/journey.ts';

journey('login', async ({ page, site, credentials }) => {
  await step('open_login_page', async () => {
    await page.goto(site.url('www', '/access/login'));
    await expect(page.locator('form#loginForm')).toBeVisible();
  });

  await step('submit_credentials', async () => {
    await page.locator('input#username').fill(credentials.username);
    const response = await secretly(page, async () => {
      await page.locator('input#password').fill(credentials.password);
      const answer = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/access/login');
      await page.locator('button#submitLogin').click();
      const res = await answer;
      if (res.ok()) await page.waitForURL((url) => !url.pathname.startsWith('/access/'));
      return res;
    });
    if (!response.ok()) {
      const refused = page.locator('span#login_fail');
      await expect(refused).not.toBeEmpty();
      throw new Error(`login refused (${response.status()}): ${(await refused.innerText()).trim()}`);
    }
  });

  await step('see_user_menu', async () => {
    if (await page.locator('form#loginForm').isVisible()) throw new Error(`landed on a login form after logging in (${new URL(page.url()).pathname})`);
    const user = page.locator('li.user-authenticated span.auth-username');
    await expect(user).toBeVisible();
    await expect(user).not.toBeEmpty();
  });
  await saveAuthState(page.context());

  await step('token_login', async () => {
    await secretly(page, async () => {
      const res = await page.request.post(site.url('ws_cadc', '/ac/login'), {
        form: { username: credentials.username, password: credentials.password },
        failOnStatusCode: false,
      });
      if (res.status() !== 200) throw new Error(`token login refused: POST /ac/login answered ${res.status()}`);
      const token = (await res.text()).trim();
      if (!token) throw new Error('token login answered 200 without a token');
      const who = res.headers()['x-vo-authenticated'];
      if (who && who !== credentials.username) throw new Error(`token login authenticated someone else (${who.length} characters)`);
      const whoami = await page.request.get(site.url('ws_cadc', '/ac/whoami'), {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        failOnStatusCode: false,
      });
      if (whoami.status() !== 200) throw new Error(`the token was not accepted: GET /ac/whoami answered ${whoami.status()}`);
    });
  });
});
