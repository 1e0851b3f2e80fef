/**
 * login: a user signs in on the CADC site through browser SSO (cadc-reference.md §2.1–2.3; each locator
 * traced in docs/journeys.md to opencadc/ac and opencadc/canfar-portal, since the CADC site's own login page,
 * login.js and cadc.user.js are not public).
 *
 * Steps:
 *   open_login_page     GET /access/login until a login form is shown: the page's own, or, when the page shows
 *                       none, the one in the header's Login dropdown (opened by clicking Login)
 *   submit_credentials  fills Username/Password, clicks Login; the page POSTs /access/login, opens the SSO URL it
 *                       answers, /access/sso sets CADC_SSO and 303s back. Ends when the page it lands on (outside
 *                       /access/) has loaded; a refused login fails with the form's #login_fail text.
 *   see_user_menu       the page landed on shows no login form, and the header's authenticated container shows a
 *                       non-empty span.auth-username (filled by cadc.user.js from GET /ac/whoami)
 *   token_login         the API login (§2.1): POST <ws_cadc>/ac/login with username and password answers 200 with
 *                       a token (x-vo-authenticated names the user); GET /ac/whoami with it as Bearer answers 200
 *
 * When the browser login passes, its storage state is saved for the journeys that need a login
 * (the savedLogin fixture, src/runtime/api/journey.ts). Passwords and tokens are handled inside secretly(), so no kept trace holds them.
 */
import { expect, journey, loginForm, openLoginForm, secretly, step, submitLogin } from '../src/runtime/api/journey.ts';

journey({ name: 'login', steps: ['open_login_page', 'submit_credentials', 'see_user_menu', 'token_login'] }, async ({ page, site, credentials, savedLogin }) => {
  let login = loginForm(page);

  await step('open_login_page', async () => {
    login = await openLoginForm(page, site.url('www', '/access/login'));
  });

  await step('submit_credentials', async () => {
    const response = await submitLogin(page, login, credentials, async (res) => {
      if (res.ok()) await page.waitForURL((url) => !url.pathname.startsWith('/access/'));
    });
    if (!response.ok()) {
      const refused = page.locator('form#loginForm #login_fail').filter({ visible: true });
      await expect(refused, 'the login form says why the login was refused').not.toBeEmpty();
      throw new Error(`login refused (${response.status()}): ${(await refused.innerText()).trim()}`);
    }
  });

  await step('see_user_menu', async () => {
    if (await login.form.count()) throw new Error(`landed on a login form after logging in (${new URL(page.url()).pathname})`);
    const user = page.locator('li.user-authenticated span.auth-username');
    await expect(user, "the header's user menu shows who is logged in").toBeVisible();
    await expect(user, 'the user menu names the user').not.toBeEmpty();
  });
  await savedLogin.save();

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
