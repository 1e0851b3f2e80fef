// Artillery's Playwright engine calls loginFlow(page, vuContext, events, test); test.step(name, fn)
// emits the histogram browser.step.<name> (ms, Date.now() around fn).
import { openLoginPage, seeUserMenu, submitCredentials } from '../login-steps.mjs';

export async function loginFlow(page, _vuContext, _events, test) {
  let login;
  await test.step('open_login_page', async () => {
    login = await openLoginPage(page, process.env.BENCH_BASE);
  });
  await test.step('submit_credentials', () => submitCredentials(page, login, process.env.BENCH_USER, process.env.BENCH_PASS));
  await test.step('see_user_menu', () => seeUserMenu(page, login));
}
