/**
 * search_page: an example of a journey of your own, written by `perfpulse-journeys init`.
 * Advanced Search on the CADC site, anonymously. The locators are the built-in search journey's
 * helpers (searchButton, fillConstraint), traced to opencadc/caom2ui in perfpulse-journeys'
 * docs/journeys.md; trace your own to the front end's source the same way.
 *
 * Steps (each is a `step` label value, timed as the user feels it):
 *   open_search_page  GET <www>/en/search/ until the Search button is enabled: the page enables it
 *                     once its service lookup and TAP_SCHEMA query have answered
 *   enter_target      opens the Target section (a collapsed <details>) and types a target
 *
 * Every URL comes from the env profile (site.url(role, path)), so it runs unchanged on --env local
 * (the bundled replica) and on your portal.
 */
import { blockForeignHosts, expect, fillConstraint, journey, searchButton, seconds, step, text, z } from 'perfpulse-journeys';

journey(
  {
    name: 'search_page',
    // every step, in order: `perfpulse-journeys journeys` lists them without running the journey
    steps: ['open_search_page', 'enter_target'],
    // its options, under journeys.search_page: in an env profile (an unknown one is refused)
    options: z.strictObject({ target: text('M101'), timeout_seconds: seconds(60) }),
  },
  async ({ page, site }) => {
    const { target, timeout_seconds: timeoutSeconds } = site.options;
    await blockForeignHosts(page, site); // other hosts (the sky viewer) never count in a step's time

    await step('open_search_page', async () => {
      await page.goto(site.url('www', '/en/search/'));
      await expect(searchButton(page), 'the Search button is enabled once the page has its TAP schema').toBeEnabled({ timeout: timeoutSeconds * 1000 });
    });

    await step('enter_target', async () => {
      await fillConstraint(page, 'Target', target, timeoutSeconds * 1000);
    });
  },
);
