/**
 * search: Advanced Search on the CADC site, anonymously (cadc-reference.md §3, §11, §12; every locator
 * traced to opencadc/caom2ui@1214fb8 in docs/journeys.md).
 *
 * Steps:
 *   open_search_page  GET <www>/en/search/ until the form's Search button is enabled: the app enables it
 *                     after its service lookup and TAP_SCHEMA query (§3.2, §11)
 *   fill_form         opens the Target section (a collapsed <details>: click its "Target" summary) and
 *                     types the target; to pick a collection, waits until the data train has built its
 *                     Collection list (§11), then selects it by value (a value not offered fails at once)
 *   submit_search     clicks Search; ends when the results grid header says "Showing {n} rows" with its
 *                     idle icon (every row arrived; read n); a non-2xx /search/find, an alert() from the
 *                     page or no answer within journeys.search.timeout_seconds fails the step
 *
 * Sky-viewer requests to other hosts (Aladin) are blocked so they never count (§11).
 */
import { fillConstraint, pickDataTrainValue, searchButton, waitForResults } from '../src/runtime/api/advanced-search.ts';
import { expect, journey, record, seconds, step, test, text, waitForPost, z } from '../src/runtime/api/journey.ts';
import { blockForeignHosts } from '../src/runtime/api/page-helpers.ts';

journey(
  {
    name: 'search',
    steps: ['open_search_page', 'fill_form', 'submit_search'],
    // journeys.search: in an env profile (docs/environments.md); defaults that exist on the real portal (cadc-reference.md §3)
    options: z
      .strictObject({ target: text('M101'), collection: text('CFHT'), timeout_seconds: seconds(60) })
      .refine((o) => o.target || o.collection, { error: 'needs a target or a collection' }),
  },
  async ({ page, site }) => {
    const { target, collection, timeout_seconds: timeoutSeconds } = site.options;
    const deadline = timeoutSeconds * 1000;
    test.setTimeout(Math.max(test.info().timeout, 3 * deadline + 30_000));
    await blockForeignHosts(page, site);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss().catch(() => undefined);
    });

    await step('open_search_page', async () => {
      await page.goto(site.url('www', '/en/search/'));
      await expect(searchButton(page), 'the Search button is enabled once the page has its TAP schema').toBeEnabled({ timeout: deadline });
      if (dialogs.length) throw new Error(`search page: ${dialogs[0]}`);
    });

    await step('fill_form', async () => {
      if (target) await fillConstraint(page, 'Target', target, deadline);
      if (collection) await pickDataTrainValue(page, 'Collection', collection, deadline);
    });

    await step('submit_search', async () => {
      // by URL, so that a timeout's failure line names /search/find (caom2ui POSTs the form there)
      const find = waitForPost(page, '**/search/find', { timeout: deadline });
      find.catch(() => undefined);
      const before = dialogs.length;
      await searchButton(page).click();
      const answer = await find;
      if (!answer.ok()) throw new Error(`search failed: /search/find answered ${answer.status()}`);
      record('searchResultRows', await waitForResults(page, deadline, dialogs, before));
    });
  },
);
