/**
 * download: a public file through /data/pub and its redirect to the file service, then the
 * Download Manager chooser from Advanced Search results (cadc-reference.md §4.1, §4.3, §3.5).
 *
 * Steps:
 *   request_file           ask the browser for <ws>/data/pub/<ARCHIVE>/<file> (journeys.download.file); it follows
 *                          the 303 to /minoc/files/<token>/<uri>; ends when the download starts (response headers in)
 *   receive_file           ends when the last byte is saved; the size must equal Content-Length and the MD5 the
 *                          `Digest` header, when the server sent them
 *   open_results           <www>/en/search/?Observation.collection=<collection> auto-submits (§3.2 (5)); ends when
 *                          the results grid header shows "Showing {n} rows" with its idle icon and a row link shows
 *   open_download_manager  ticks the top row of the grid, clicks Download; the `DOWNLOAD` popup shows the
 *                          Download Manager's chooser with its "TAR file" and "URL list in a file" buttons (§4.3)
 *
 * Recorded: time to first byte, to completion, bytes, throughput (bytes / body-transfer time).
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import type { Download } from '@playwright/test';
import { resultsHeader, waitForResults } from '../src/runtime/api/advanced-search.ts';
import { expect, journey, record, seconds, step, test, z } from '../src/runtime/api/journey.ts';
import { blockForeignHosts } from '../src/runtime/api/page-helpers.ts';

function md5Base64(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('md5');
    createReadStream(path)
      .on('data', (d) => hash.update(d))
      .on('end', () => resolve(hash.digest('base64')))
      .on('error', reject);
  });
}

/** `p`, or a failure `<missing> within N s` when it takes longer than `ms`. */
function within<T>(ms: number, missing: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${missing} within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

const PATH_ERROR = 'must be a path such as /data/pub/CFHT/1722795p.fits.fz';

journey(
  {
    name: 'download',
    steps: ['request_file', 'receive_file', 'open_results', 'open_download_manager'],
    // journeys.download: in an env profile (docs/environments.md); a public file of the real archive (cadc-reference.md §4.1)
    options: z.strictObject({
      file: z
        .string({ error: 'must be a non-empty string' })
        .min(1, { error: 'must be a non-empty string' })
        .startsWith('/', { error: PATH_ERROR })
        .default('/data/pub/CFHT/1722795p.fits.fz'),
      timeout_seconds: seconds(300),
    }),
  },
  async ({ page, site }) => {
    const { file, timeout_seconds: timeoutSeconds } = site.options;
    // open_results opens the search journey's results page: its collection and its deadline
    const search = site.optionsOf('search') as { collection: string; timeout_seconds: number };
    const deadline = timeoutSeconds * 1000;
    test.setTimeout(Math.max(test.info().timeout, 2 * deadline + search.timeout_seconds * 1000 + 60_000));
    const fileUrl = site.url('ws', file);
    let download: Download | undefined;
    let startedAt = 0;
    let firstByteAt = 0;
    let headers: Record<string, string> = {};
    // The file opens in a tab of its own, as a browser does for a direct link; the main page stays usable.
    const filePage = await page.context().newPage();
    filePage.on('response', (r) => {
      if (new URL(r.url()).pathname.includes('/files/') && r.status() === 200) headers = r.headers();
    });

    await step('request_file', async () => {
      startedAt = performance.now();
      const event = filePage.waitForEvent('download', { timeout: 0 }); // the step's own deadline below names the file
      event.catch(() => undefined);
      // A navigation that becomes a download rejects ("Download is starting"); an error page resolves with its status.
      const navigation = filePage.goto(fileUrl, { timeout: deadline }).then(
        (res) => res,
        () => null,
      );
      const first = await within(
        deadline,
        `download of ${file}: no answer`,
        Promise.race([event.then((d) => ({ d })), navigation.then((res) => (res ? { res } : new Promise<never>(() => undefined)))]),
      ).catch(async (err: Error) => {
        // A hung navigation would also hang the failure screenshot: close the file's tab.
        await filePage.close().catch(() => undefined);
        throw err;
      });
      if ('res' in first) throw new Error(`download of ${file} failed: ${first.res?.status()} ${first.res?.statusText()}`);
      download = first.d;
      firstByteAt = performance.now();
      record('downloadFirstByte', (firstByteAt - startedAt) / 1000);
    });

    await step('receive_file', async () => {
      const d = download as Download;
      // the headers came (request_file ended): what is missing now is the rest of the body
      const path = await within(deadline, `download of ${file}: not received in full`, d.path());
      const failure = await d.failure();
      if (failure) throw new Error(`download of ${file} failed: ${failure}`);
      const doneAt = performance.now();
      const bytes = statSync(path).size;
      const expected = Number(headers['content-length']);
      if (Number.isFinite(expected) && expected !== bytes) throw new Error(`download of ${file} is ${bytes} bytes, Content-Length said ${expected}`);
      const digest = /md5=([A-Za-z0-9+/=]+)/.exec(headers.digest ?? '')?.[1];
      if (digest && digest !== (await md5Base64(path))) throw new Error(`download of ${file} does not match its Digest`);
      record('downloadBytes', bytes);
      record('downloadDuration', (doneAt - startedAt) / 1000);
      if (doneAt - firstByteAt >= 1) record('downloadThroughput', bytes / ((doneAt - firstByteAt) / 1000));
      await d.delete();
      await filePage.close();
    });

    await step('open_results', async () => {
      await blockForeignHosts(page, site);
      const collection = search.collection || 'CFHT';
      // The page reports a collection it does not know with an alert() (cadc.search.app.js:1511-1528).
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss().catch(() => undefined);
      });
      await page.goto(site.url('www', `/en/search/?Observation.collection=${encodeURIComponent(collection)}`));
      await waitForResults(page, search.timeout_seconds * 1000, dialogs);
      await expect(page.locator('#resultTable a.quicksearch_link').first(), 'the results grid shows its rows').toBeVisible();
    });

    await step('open_download_manager', async () => {
      // The grid draws only the rows in view, sorted by Start Date, and draws a row again (last in the DOM)
      // when its checkbox changes: take the top row's checkbox by its row class, `_select_vov_<n>`.
      const rows = page.locator('#resultTable .grid-canvas');
      const top = rows.getByRole('checkbox').first();
      await expect(top, 'the results grid has a row with a checkbox').toBeVisible();
      const rowClass = ((await top.getAttribute('class')) ?? '').split(/\s+/).find((c) => c.startsWith('_select_'));
      if (!rowClass) throw new Error('the top row\'s checkbox has no _select_<row> class');
      const box = rows.locator(`input.${rowClass}`);
      await box.check();
      await expect(box, 'the top row is ticked').toBeChecked();
      const popup = page.waitForEvent('popup');
      await resultsHeader(page).getByRole('button', { name: 'Download', exact: true }).click();
      const chooser = await popup;
      for (const name of ['TAR file', 'URL list in a file']) {
        await expect(chooser.getByRole('button', { name, exact: true }), `the Download Manager offers "${name}"`).toBeVisible();
      }
    });
  },
);
