/**
 * search: Advanced Search on the CADC site, anonymously (cadc-reference.md §3, with the §11 corrections).
 *
 * Steps:
 *   open_search_page  GET <www>/en/search/ until a Search button (`button.submit-query`) is enabled: the app
 *                     enables it after its service lookup and TAP_SCHEMA query (§3.2, §11)
 *   fill_form         type the target into [id="Plane.position.bounds"]; to pick a collection, wait until the
 *                     data train has filled [id="Observation.collection"] (§11), then select it by value
 *   submit_search     click Search; ends when the results grid header says "Showing {n} rows" (read n) or the
 *                     empty-result message shows; a non-2xx /search/find, an errorMessage (Error tab) or no
 *                     answer within journeys.search.timeout_seconds fails the step
 *
 * Sky-viewer requests to other hosts (Aladin) are blocked so they never count (§11).
 */
import { expect, journey, record, step, test } from '../src/runtime/journey.ts';
import { blockForeignHosts } from '../src/runtime/page-helpers.ts';

journey('search', async ({ page, site }) => {
  const { target, collection, timeoutSeconds } = site.options.search;
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
    const search = page.locator('button.submit-query').first();
    await expect(search, 'the Search button is enabled once the page is ready').toBeEnabled({ timeout: deadline });
    if (dialogs.length) throw new Error(`search page: ${dialogs[0]}`);
  });

  await step('fill_form', async () => {
    if (target) await page.locator('[id="Plane.position.bounds"]').fill(target);
    if (collection) {
      const list = page.locator('[id="Observation.collection"]');
      await expect(list.locator('option').first(), 'the data train fills the collection list').toBeAttached({ timeout: deadline });
      await list.selectOption(collection);
    }
  });

  await step('submit_search', async () => {
    const find = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/search/find', {
      timeout: deadline,
    });
    await page.locator('button.submit-query').first().click();
    const answer = await find;
    if (!answer.ok()) throw new Error(`search failed: /search/find answered ${answer.status()}`);
    const label = page.locator('span.grid-header-label');
    const empty = page.locator('#cadcvotv-empty-results-message');
    const error = page.locator('#errorTable');
    const outcome = await Promise.race([
      expect(label).toContainText('Showing', { timeout: deadline }).then(() => 'results' as const),
      expect(empty).toBeVisible({ timeout: deadline }).then(() => 'empty' as const),
      expect(error).not.toBeEmpty({ timeout: deadline }).then(() => 'error' as const),
    ]).catch(() => 'timeout' as const);
    if (outcome === 'error') throw new Error(`search failed (Error tab): ${(await error.innerText()).trim().split('\n')[0]}`);
    if (outcome === 'timeout') throw new Error(`search gave no results within ${timeoutSeconds} s`);
    if (outcome === 'empty') {
      record('searchResultRows', 0);
      return;
    }
    const text = await label.innerText();
    const rows = Number(/(\d+)/.exec(text)?.[1]);
    if (!Number.isFinite(rows)) throw new Error(`cannot read the row count from "${text}"`);
    record('searchResultRows', rows);
  });
});
