/**
 * The Advanced Search page's controls, shared by the search and download journeys. Each locator is
 * traced to caom2ui's source at opencadc/caom2ui@1214fb8 (docs/journeys.md names file and line);
 * `caom2ui:` below is caom2-search-server/src/main/resources/META-INF/resources/ there.
 */
import type { Dialog, Locator, Page } from '@playwright/test';
import { expect } from './journey.ts';

/** The CAOM-2 search form (caom2ui:caom2_search.jsp:69); the hidden ObsCore form has the same controls. */
export const searchForm = (page: Page): Locator => page.locator('form#queryForm');

/** Its Search button (caom2_search.jsp:86-92, the top one of two; disabled until the TAP schema is in). */
export const searchButton = (page: Page): Locator => searchForm(page).getByRole('button', { name: 'Search', exact: true }).first();

/**
 * Types into a constraint that sits in a collapsed `<details>` (caom2ui:position.jsp:25-30,
 * text_formgroup.jsp:29-34): a user clicks the summary that shows the field's label, then types. A
 * section that is already open (a value in it keeps it open, cadc.search.form.js:1077-1091) is not
 * clicked again, since a second click would close it.
 */
export async function fillConstraint(page: Page, label: string, value: string, timeoutMs: number): Promise<void> {
  const form = searchForm(page);
  const input = form.getByLabel(label, { exact: true });
  if (!(await input.isVisible())) {
    const summary = form.locator('summary').filter({ hasText: new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) });
    await summary.click({ timeout: timeoutMs });
  }
  await expect(input, `the ${label} field shows once its section is open`).toBeVisible({ timeout: timeoutMs });
  await input.fill(value);
}

/**
 * Picks a value in one of the data train's lists (caom2ui:hierarchy.jsp:15-30; the selects are built
 * by hierarchy.js when the data-train query answers, after the Search button is enabled, §11). A value
 * the list does not offer fails at once, naming what it offers.
 */
export async function pickDataTrainValue(page: Page, label: string, value: string, timeoutMs: number): Promise<void> {
  const list = searchForm(page).locator('#caom2_data_train').getByLabel(label, { exact: true });
  await expect(list.locator('option').first(), `the data train fills the ${label} list`).toBeAttached({ timeout: timeoutMs });
  const offered = await list.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter((v) => v !== ''));
  if (!offered.includes(value)) throw new Error(`${label} ${value} is not offered; the ${label} list has: ${offered.join(', ') || 'nothing'}`);
  await list.selectOption(value);
}

/** The results grid's header (caom2ui:results.jsp:91-107); the Error tab has a second `span.grid-header-label` (index.jsp:107-109). */
export const resultsHeader = (page: Page): Locator => page.locator('#results-grid-header');

/**
 * Waits until the results have all arrived and answers the row count. The header label says
 * "Showing {n} rows ({m} before filtering)." (cadc.search.app.js ROW_COUNT_MESSAGE) already while the
 * rows stream in, at the start of each 500-row page, with the busy icon up; the final count comes with
 * the idle icon `cadcVOTV/images/transparent-20.png` (caom2ui cadcVOTV/javascript/cadc.votv.js:156-177, 200-208, 225-233,
 * 1663-1678). An `alert()` meanwhile (an `errorMessage` from /search/find, cadc.search.app.js:2219-2222,
 * or a results stream that fails, :2200-2207) fails at once with its text; so does one already in
 * `dialogs` after index `from` (the journey's own record of the page's dialogs, which it dismisses).
 */
export async function waitForResults(page: Page, timeoutMs: number, dialogs: readonly string[] = [], from = 0): Promise<number> {
  const end = Date.now() + timeoutMs;
  const left = () => Math.max(1, end - Date.now());
  const header = resultsHeader(page);
  const label = header.locator('span.grid-header-label');
  const icon = header.locator('img.grid-header-icon');
  const loaded = (async () => {
    await expect(label, 'the results grid header shows "Showing {n} rows"').toHaveText(/Showing \d+ rows/, { timeout: left() });
    await expect(icon, 'the results grid header icon turns idle: every row has arrived').toHaveAttribute('src', /transparent-20\.png$/, { timeout: left() });
    return label.innerText();
  })();
  // A dialog left open blocks the page (and the failure screenshot): dismiss it here, whoever else listens.
  let onDialog: ((d: Dialog) => void) | undefined;
  const alerted = new Promise<never>((_, reject) => {
    const earlier = dialogs.slice(from);
    if (earlier.length) reject(new Error(`the search page said: ${(earlier[0] as string).trim().split('\n')[0]}`));
    onDialog = (d) => {
      reject(new Error(`the search page said: ${d.message().trim().split('\n')[0]}`));
      void d.dismiss().catch(() => undefined);
    };
    page.on('dialog', onDialog);
  });
  loaded.catch(() => undefined);
  alerted.catch(() => undefined);
  const text = await Promise.race([loaded, alerted]).finally(() => page.off('dialog', onDialog as (d: Dialog) => void));
  const rows = Number(/Showing (\d+) rows/.exec(text)?.[1]);
  if (!Number.isFinite(rows)) throw new Error(`cannot read the row count from "${text}"`);
  return rows;
}
