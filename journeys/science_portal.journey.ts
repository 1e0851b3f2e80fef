/**
 * science_portal: log in to the CANFAR Science Portal and list sessions; with launching enabled
 * (`--launch-sessions` or `journeys.science_portal.launch: true`) also launch a session, wait
 * until it is Running and delete it (cadc-reference.md §2.5, §5.1, §11).
 *
 * The portal keeps its own login (a token in localStorage from its login dialog), so this journey logs
 * in through the dialog as a timed step rather than reusing the run's saved login.
 *
 * Steps:
 *   open_portal      GET <canfar>/science-portal until the login dialog (#login-dialog-title) opens by itself
 *   log_in           fill input#login-username / input#login-password, click [aria-label="Submit login"]; the
 *                    POST /science-portal/api/auth/login must answer 2xx (else the #login-error-message text)
 *                    and the dialog must close
 *   list_sessions    until GET /science-portal/api/sessions has answered and the Launch button shows
 *   launch_session   (launch only) pick type, project and image in the #session-type / #session-project /
 *                    #session-image comboboxes, fill #session-name last, click Launch; ends when the
 *                    POST answers 201 and a card with the session's name is listed (Pending)
 *   wait_running     (launch only) until that card shows "Running". The page refreshes only at its polling
 *                    tick (10 s while Pending), so this includes up to one tick of lag (§11)
 *   delete_session   (launch only) [aria-label="Delete session"] on the card, confirm; ends when the card is
 *                    gone (the page polls every 5 s while Terminating, so up to one tick of lag)
 * A session this journey launched is deleted through the API if the journey fails after launching it.
 */
import { expect, journey, secretly, step, test } from '../src/runtime/journey.ts';

journey('science_portal', async ({ page, site, credentials }) => {
  const { launch, sessionType, image, timeoutSeconds } = site.options.science_portal;
  const deadline = timeoutSeconds * 1000;
  if (launch) test.setTimeout(3 * deadline + 120_000);
  const isApi = (method: string, suffix: string) => (r: import('@playwright/test').Response) =>
    r.request().method() === method && new URL(r.url()).pathname === `/science-portal/api${suffix}`;

  await step('open_portal', async () => {
    await page.goto(site.url('canfar', '/science-portal'));
    await expect(page.locator('#login-dialog-title')).toBeVisible();
  });

  const sessionsLoaded = page.waitForResponse(isApi('GET', '/sessions'), { timeout: deadline });
  sessionsLoaded.catch(() => undefined);

  await step('log_in', async () => {
    await page.locator('input#login-username').fill(credentials.username);
    const answer = await secretly(page, async () => {
      await page.locator('input#login-password').fill(credentials.password);
      const post = page.waitForResponse(isApi('POST', '/auth/login'));
      await page.locator('button[type=submit][aria-label="Submit login"]').click();
      return post;
    });
    if (!answer.ok()) {
      const error = page.locator('#login-error-message');
      await expect(error).not.toBeEmpty();
      throw new Error(`portal login refused (${answer.status()}): ${(await error.innerText()).trim()}`);
    }
    await expect(page.locator('#login-dialog-title')).toBeHidden();
  });

  await step('list_sessions', async () => {
    const res = await sessionsLoaded;
    if (!res.ok()) throw new Error(`session list failed: GET /science-portal/api/sessions answered ${res.status()}`);
    await expect(page.getByRole('button', { name: 'Launch', exact: true })).toBeVisible();
  });

  if (!launch) return;

  const [project = '', ...rest] = image.split('/');
  const imageOption = rest.join('/');
  const name = `pp${Date.now().toString(36)}`.slice(0, 15);
  const card = page.locator('.session-card').filter({ has: page.getByText(name, { exact: true }) });
  let sessionId: string | undefined;
  let deleted = false;
  try {
    await step('launch_session', async () => {
      const pick = async (id: string, option: string) => {
        await page.locator(`#${id}`).click();
        await page.getByRole('option', { name: option, exact: true }).click();
      };
      await pick('session-type', sessionType);
      await pick('session-project', project);
      await pick('session-image', imageOption);
      await page.locator('#session-name').fill(name);
      const launchButton = page.getByRole('button', { name: 'Launch', exact: true });
      await expect(launchButton).toBeEnabled({ timeout: deadline });
      const created = page.waitForResponse(isApi('POST', '/sessions'), { timeout: deadline });
      await launchButton.click();
      const res = await created;
      if (res.status() !== 201) throw new Error(`launch failed: POST /science-portal/api/sessions answered ${res.status()}`);
      sessionId = ((await res.json()) as { id: string }).id;
      await expect(card).toBeVisible({ timeout: deadline });
    });

    await step('wait_running', async () => {
      await expect(card).toContainText('Running', { timeout: deadline });
    });

    await step('delete_session', async () => {
      await card.getByRole('button', { name: 'Delete session' }).click();
      await page.locator('[role=dialog]:has(#delete-session-dialog-description)').getByRole('button', { name: 'Delete', exact: true }).click();
      deleted = true;
      await expect(card).toHaveCount(0, { timeout: deadline });
    });
  } finally {
    if (sessionId && !deleted) {
      const id = sessionId;
      await secretly(page, async () => {
        const token = await page.evaluate(() => localStorage.getItem('canfar_auth_token'));
        await page.request
          .delete(site.url('canfar', `/science-portal/api/sessions/${encodeURIComponent(id)}`), {
            headers: token ? { authorization: `Bearer ${token}` } : {},
            failOnStatusCode: false,
          })
          .catch(() => undefined);
      });
    }
  }
});
