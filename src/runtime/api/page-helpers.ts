/** Small helpers the journeys share. */
import type { Page } from '@playwright/test';
import { URL_ROLES } from '../../config/profile.ts';
import type { Site } from './journey.ts';

/**
 * Aborts requests to hosts outside the env profile (the search page's Aladin sky viewer, §11), so a
 * third-party host never counts in a step's time or hangs it.
 */
export async function blockForeignHosts(page: Page, site: Site): Promise<void> {
  const own = new Set(URL_ROLES.map((r) => new URL(site.url(r)).host));
  await page.route(
    (url) => (url.protocol === 'http:' || url.protocol === 'https:') && !own.has(url.host),
    (route) => route.abort('blockedbyclient'),
  );
}
