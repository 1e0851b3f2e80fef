/**
 * storage: the CANFAR storage UI with the run's saved login, listing the user's home folder
 * (cadc-reference.md §2.4, §6.1; the listing comes from VOSpace nodes XML, §6.2).
 *
 * Steps:
 *   open_storage_ui   GET <canfar>/storage/list/ until table#beacon shows and the logged-in marker
 *                     a.access-actions.user-actions names the user; landing logged out fails the step
 *                     and throws the saved login away
 *   list_home_folder  click #homeDir; ends when h2[property=name] names the user's home and table#beacon has
 *                     rows; a #errorDisplayDiv message fails the step
 */
import { discardAuthState } from '../src/runtime/auth-state.ts';
import { expect, journey, step } from '../src/runtime/journey.ts';

journey(
  'storage',
  async ({ page, site }) => {
    const username = process.env.PERFPULSE_USERNAME as string;

    await step('open_storage_ui', async () => {
      await page.goto(site.url('canfar', '/storage/list/'));
      await expect(page.locator('table#beacon')).toBeVisible();
      const user = page.locator('a.access-actions.user-actions');
      const anonymous = page.locator('a.access-actions.login-form');
      await expect(user.or(anonymous).first()).toBeVisible();
      if (await anonymous.isVisible()) {
        discardAuthState('the storage UI shows the login link');
        throw new Error('the storage UI shows the login link: the saved login was not accepted (discarded)');
      }
      await expect(user).toHaveText(username);
    });

    await step('list_home_folder', async () => {
      await page.locator('#homeDir').click();
      await expect(page.locator('h2[property=name]')).toHaveText(username);
      const rows = page.locator('table#beacon tbody tr');
      const error = page.locator('#errorDisplayDiv:not(.hidden)');
      await expect(rows.or(error).first()).toBeVisible();
      if (await error.isVisible()) throw new Error(`home folder listing failed: ${(await error.innerText()).trim()}`);
    });
  },
  { auth: true },
);
