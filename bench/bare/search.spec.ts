// The search journey's three steps (journeys/search.journey.ts, its default options: target M101,
// collection CFHT) in bare Playwright, with the same locators (src/runtime/api/advanced-search.ts)
// and the same blocking of foreign hosts; test.step for each.
import { expect, test } from '@playwright/test';

test('search', async ({ page }) => {
  const base = process.env.BENCH_BASE as string;
  const own = new URL(base).host;
  await page.route((url) => (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== own, (route) => route.abort('blockedbyclient'));
  const form = page.locator('form#queryForm');
  const search = form.getByRole('button', { name: 'Search', exact: true }).first();
  await test.step('open_search_page', async () => {
    await page.goto(`${base}/en/search/`);
    await expect(search).toBeEnabled({ timeout: 60_000 });
  });
  await test.step('fill_form', async () => {
    const input = form.getByLabel('Target', { exact: true });
    if (!(await input.isVisible())) await form.locator('summary').filter({ hasText: /^\s*Target\s*$/ }).click();
    await expect(input).toBeVisible();
    await input.fill('M101');
    const list = form.locator('#caom2_data_train').getByLabel('Collection', { exact: true });
    await expect(list.locator('option').first()).toBeAttached();
    await list.selectOption('CFHT');
  });
  await test.step('submit_search', async () => {
    const find = page.waitForResponse('**/search/find');
    await search.click();
    const answer = await find;
    if (!answer.ok()) throw new Error(`search failed: ${answer.status()}`);
    const header = page.locator('#results-grid-header');
    await expect(header.locator('span.grid-header-label')).toHaveText(/Showing \d+ rows/, { timeout: 60_000 });
    await expect(header.locator('img.grid-header-icon')).toHaveAttribute('src', /transparent-20\.png$/, { timeout: 60_000 });
  });
});
