/**
 * login: a user signs in on the CADC site through browser SSO (cadc-reference.md §2.2–2.3).
 *
 * Steps:
 *   open_login_page     GET /access/login until the login form is visible
 *   submit_credentials  fill #username/#password, click #submitLogin; the page POSTs /access/login,
 *                       opens the SSO URL it answers, /access/sso sets CADC_SSO and 303s back.
 *                       Ends when the page it lands on has loaded; a refused login fails with the #login_fail text.
 *   see_user_menu       the header's authenticated container shows span.auth-username
 *                       (filled by cadc.user.js from GET /ac/whoami)
 */
import { expect, journey, step } from '../src/runtime/journey.ts';

journey('login', async ({ page, site, credentials }) => {
  await step('open_login_page', async () => {
    await page.goto(site.url('www', '/access/login'));
    await expect(page.locator('form#loginForm')).toBeVisible();
  });

  await step('submit_credentials', async () => {
    await page.locator('input#username').fill(credentials.username);
    await page.locator('input#password').fill(credentials.password);
    const answer = page.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/access/login',
    );
    await page.locator('button#submitLogin').click();
    const response = await answer;
    if (!response.ok()) {
      const refused = page.locator('span#login_fail');
      await expect(refused).not.toBeEmpty();
      throw new Error(`login refused (${response.status()}): ${(await refused.innerText()).trim()}`);
    }
    await page.waitForURL((url) => !url.pathname.startsWith('/access/'));
  });

  await step('see_user_menu', async () => {
    const user = page.locator('li.user-authenticated span.auth-username');
    await expect(user).toBeVisible();
    await expect(user).not.toBeEmpty();
  });
});
