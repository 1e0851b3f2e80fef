// The login journey's three browser steps in bare Playwright: test.step around the shared bodies.
import { test } from '@playwright/test';
import { openLoginPage, seeUserMenu, submitCredentials } from '../peers/login-steps.mjs';

test('login', async ({ page }) => {
  const base = process.env.BENCH_BASE as string;
  const login = await test.step('open_login_page', () => openLoginPage(page, base));
  await test.step('submit_credentials', () => submitCredentials(page, login, process.env.BENCH_USER as string, process.env.BENCH_PASS as string));
  await test.step('see_user_menu', () => seeUserMenu(page, login));
});
