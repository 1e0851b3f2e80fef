/**
 * storage: the CANFAR storage UI with the run's saved login, listing the user's home folder
 * (cadc-reference.md §2.4, §6, §12; every locator traced to opencadc/storage-ui f870bb0 in docs/journeys.md).
 *
 * Steps:
 *   open_storage_ui   GET <canfar>/storage/list/; ends when the listing's status line says what it shows and the
 *                     header's access menu shows the user menu named after the user. The login link instead
 *                     fails the step and throws the saved login away; an error status fails it at once.
 *   list_home_folder  clicks Home in the listing's toolbar; ends when the heading names …/<user>, the progress
 *                     bar says every page is in, and the status line gives the count of entries (recorded, 0 for
 *                     an empty home folder). The error page (#errorDisplayDiv) fails the step with its text.
 *
 * The header is not in storage-ui (its canfar theme includes www.canfar.net's application header, not public):
 * with it both the user menu and the login link are in the page and a script shows one; with the older
 * server-rendered header only one is. Locators find the one that is shown, so either works.
 */
import { expect, journey, record, step } from '../src/runtime/api/journey.ts';

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

journey(
  { name: 'storage', steps: ['open_storage_ui', 'list_home_folder'], auth: true },
  async ({ page, site, savedLogin }) => {
    const username = process.env.PERFPULSE_USERNAME as string;
    const accessMenu = page.locator('#navbar_list');
    const userMenu = accessMenu.getByRole('button', { name: username, exact: true });
    const loginLink = accessMenu.getByRole('button', { name: 'Login', exact: true });
    const listing = page.locator('#beacon_wrapper');
    const status = listing.getByRole('status');
    const errorPage = page.locator('#errorDisplayDiv');
    const failure = async (what: string, code: number) =>
      new Error(`${what} answered ${code}${(await errorPage.count()) ? `: ${(await errorPage.innerText()).trim().split('\n')[0]}` : ''}`);

    await step('open_storage_ui', async () => {
      const res = await page.goto(site.url('canfar', '/storage/list/'));
      if (res && res.status() >= 400) throw await failure('the storage UI', res.status());
      await expect(status, 'the folder listing says how many entries it shows').toHaveText(/^Showing .* entries/);
      await expect(userMenu.or(loginLink), `the header shows the user menu named "${username}" or the login link`).toBeVisible();
      if (await loginLink.isVisible()) {
        savedLogin.discard('the storage UI shows the login link');
        throw new Error('the storage UI shows the login link: the saved login was not accepted (discarded)');
      }
    });

    await step('list_home_folder', async () => {
      // its name starts with the glyphicon's private-use character (CSS ::before): " Home"
      const home = page.locator('#navbar-functions').getByRole('link', { name: /\bHome$/ });
      await expect(home, 'the listing toolbar offers Home (the UI shows it only when the home folder exists)').toBeVisible();
      const navigation = page.waitForResponse((r) => r.request().isNavigationRequest() && r.frame() === page.mainFrame());
      await home.click();
      const res = await navigation;
      if (res.status() >= 400) throw await failure('the home folder', res.status());
      const heading = page.getByRole('main').getByRole('heading', { level: 2 }).filter({ hasText: new RegExp(`/${escapeRe(username)}\\s*$`) });
      await expect(heading.or(errorPage), `the heading names the home folder …/${username}, or the error page`).toBeVisible();
      if (await errorPage.isVisible()) throw new Error(`home folder listing failed: ${(await errorPage.innerText()).trim().split('\n')[0]}`);
      await expect(listing.getByRole('progressbar'), 'the listing says every page of the folder is in').toHaveClass(/progress-bar-success/);
      await expect(status, 'the status line gives the number of entries').toHaveText(/ of [\d,]+ entries/);
      const text = await status.innerText();
      const rows = Number(/ of ([\d,]+) entries/.exec(text)?.[1]?.replace(/,/g, ''));
      if (!Number.isFinite(rows)) throw new Error(`cannot read the number of entries from "${text}"`);
      record('storageHomeRows', rows);
    });
  },
);
