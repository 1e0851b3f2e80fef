// Start-up of bare `playwright test` with a browser launched: a page that loads nothing.
import { test } from '@playwright/test';

test('blank', async ({ page }) => {
  await page.goto('about:blank');
});
