// Start-up of bare `playwright test` alone: a test that needs no browser.
import { test } from '@playwright/test';

test('nothing', () => {});
