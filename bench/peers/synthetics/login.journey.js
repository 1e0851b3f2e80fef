// The login journey in @elastic/synthetics: journey() with a step() each (params.base, params.user, params.pass).
import { journey, step } from '@elastic/synthetics';
import { openLoginPage, seeUserMenu, submitCredentials } from '../login-steps.mjs';

journey('login', ({ page, params }) => {
  let login;
  step('open_login_page', async () => {
    login = await openLoginPage(page, params.base);
  });
  step('submit_credentials', async () => {
    await submitCredentials(page, login, params.user, params.pass);
  });
  step('see_user_menu', async () => {
    await seeUserMenu(page, login);
  });
});
