/**
 * science_portal: log in to the CANFAR Science Portal and list sessions; with launching enabled
 * (`--launch-sessions` or `journeys.science_portal.launch: true`) also launch a session, wait
 * until it is Running and delete it. Every locator and wait is traced to opencadc/science-portal
 * at f6823b5 in docs/journeys.md.
 *
 * The portal keeps its own login (a token in localStorage from its login dialog), so this journey logs
 * in through the dialog as a timed step rather than reusing the run's saved login.
 *
 * Steps:
 *   open_portal      GET <canfar>/science-portal until the login dialog opens by itself
 *   log_in           fill Username / Password, click "Submit login"; the POST /science-portal/api/auth/login
 *                    must answer 2xx (else the dialog's alert text) and the dialog must close
 *   list_sessions    until GET /science-portal/api/sessions has answered and the launch form's Launch shows
 *   launch_session   (launch only) pick type, project and image in the #session-type / #session-project /
 *                    #session-image lists (an option that is not offered fails at once, naming what is),
 *                    type the session name last, click Launch; ends when the session's card is listed, or
 *                    fails with the reason the launch dialog shows
 *   wait_running     (launch only) until that card shows "Running". The page refreshes only at its polling
 *                    tick (10 s while Pending), so this includes up to one tick of lag; a card still listed
 *                    at the deadline fails as "listed but not Running within N s" (skaha was slow)
 *   delete_session   (launch only) the card's "Delete session", then "Delete" in the confirmation; ends when
 *                    the card is gone (the page polls every 5 s while Terminating, so up to one tick of lag)
 * A session this journey launched is deleted through the API if the journey fails after launching it.
 */
import type { Response } from '@playwright/test';
import { expect, flag, journey, nonEmpty, seconds, secretly, step, test, waitForPost, z } from '../src/runtime/api/journey.ts';

/** The lists' first, empty choice (sessionLaunchForm.tsx:1076-1078, 1119-1121); not an offer. */
const PLACEHOLDERS = ['Select project', 'Select image'];
/** The Launch button's tooltip when 3 sessions exist (lib/sessions/sessionQuota.ts:4, 18-21; implementation/launchFormWidget.tsx:127-128). */
const QUOTA_REACHED = /reached the maximum limit of \d+ active sessions/;

journey(
  {
    name: 'science_portal',
    steps: ['open_portal', 'log_in', 'list_sessions', { name: 'launch_session', when: 'launch' }, { name: 'wait_running', when: 'launch' }, { name: 'delete_session', when: 'launch' }],
    // journeys.science_portal: in an env profile (docs/environments.md); --launch-sessions sets launch (cadc-reference.md §5)
    options: z.strictObject({ launch: flag(false), session_type: nonEmpty('notebook'), image: nonEmpty('skaha/astroml:latest'), timeout_seconds: seconds(300) }),
  },
  async ({ page, site, credentials }) => {
    const { launch, session_type: sessionType, image, timeout_seconds: timeoutSeconds } = site.options;
    const deadline = timeoutSeconds * 1000;
    if (launch) test.setTimeout(3 * deadline + 120_000);
    const apiPath = (suffix: string) => `/science-portal/api${suffix}`;
    const isApi = (method: string, suffix: string) => (r: Response) =>
      r.request().method() === method && new URL(r.url()).pathname === apiPath(suffix);

    // The login dialog, named by its title "Login" (implementation/loginModal.tsx:179-191).
    const loginDialog = page.getByRole('dialog', { name: /^Login\b/ });
    // The Active Sessions panel: the widget whose <h2> reads "Active Sessions" or "Active Sessions (N)"
    // (implementation/dashboardWidget.tsx:126-184, activeSessionsWidget.tsx:66-67, 94-100). Found by text,
    // not role: while a dialog is open MUI hides the rest of the page from the accessibility tree, and
    // that must not make a card look gone.
    const sessionsPanel = page.locator('.MuiPaper-root').filter({ has: page.getByText(/^Active Sessions( \(\d+\))?$/) });
    // The launch form's Standard tab (implementation/sessionLaunchForm.tsx:109-124, 821, 958-1257).
    const launchForm = page.getByRole('tabpanel', { name: 'Standard' });
    const launchButton = launchForm.getByRole('button', { name: 'Launch', exact: true });

    await step('open_portal', async () => {
      await page.goto(site.url('canfar', '/science-portal'));
      await expect(loginDialog, 'the login dialog opens by itself (the portal in CANFAR login mode)').toBeVisible();
    });

    const sessionsLoaded = page.waitForResponse(isApi('GET', '/sessions'), { timeout: deadline });
    sessionsLoaded.catch(() => undefined);

    await step('log_in', async () => {
      await loginDialog.getByRole('textbox', { name: 'Username', exact: true }).fill(credentials.username);
      const answer = await secretly(page, async () => {
        await loginDialog.getByRole('textbox', { name: 'Password', exact: true }).fill(credentials.password);
        // by URL, so that a timeout's failure line names the login endpoint (lib/api/login.ts POSTs there)
        const post = waitForPost(page, `**${apiPath('/auth/login')}`, { timeout: deadline });
        post.catch(() => undefined);
        await loginDialog.getByRole('button', { name: 'Submit login' }).click();
        return post;
      });
      if (!answer.ok()) {
        // the portal retries a refused login once, then shows "Login failed: <status>" (lib/api/login.ts:67-69)
        const error = loginDialog.getByRole('alert');
        await expect(error, 'the login dialog says why the login was refused').not.toBeEmpty();
        throw new Error(`portal login refused (${answer.status()}): ${(await error.innerText()).trim()}`);
      }
      await expect(loginDialog, 'the login dialog closes').toBeHidden();
    });

    await step('list_sessions', async () => {
      const res = await sessionsLoaded;
      if (!res.ok()) throw new Error(`session list failed: GET ${apiPath('/sessions')} answered ${res.status()}`);
      await expect(launchButton, 'the launch form has loaded (its Launch button shows)').toBeVisible({ timeout: deadline });
    });

    if (!launch) return;

    const [project = '', ...rest] = image.split('/');
    const imageOption = rest.join('/');
    const name = `pp${Date.now().toString(36)}`.slice(0, 15);
    // A session card: a MUI card without ids or data attributes, found by the name it shows
    // (implementation/sessionCard.tsx:373-436).
    const card = sessionsPanel.locator('.MuiCard-root').filter({ has: page.getByText(name, { exact: true }) });
    let sessionId: string | undefined;
    let deleted = false;

    /** Opens one of the form's lists and picks `wanted`; fails at once, naming what is offered, if it is not. */
    const pick = async (id: string, what: string, wanted: string, scope: string) => {
      const box = launchForm.locator(`#${id}`);
      await expect(box, `the ${what} list shows`).toBeVisible();
      if (await box.isDisabled()) throw new Error(`no ${what} is offered${scope}`);
      await box.click();
      const list = page.getByRole('listbox');
      await expect(list, `the ${what} list opens`).toBeVisible();
      const offered = (await list.getByRole('option').allInnerTexts()).map((t) => t.trim()).filter((t) => t && !PLACEHOLDERS.includes(t));
      if (!offered.includes(wanted)) {
        await page.keyboard.press('Escape');
        throw new Error(`${what} "${wanted}" is not offered${scope}; offered: ${offered.join(', ') || 'none'}`);
      }
      await list.getByRole('option', { name: wanted, exact: true }).click();
      await expect(box, `the ${what} list shows the choice`).toHaveText(wanted);
    };

    try {
      await step('launch_session', async () => {
        await pick('session-type', 'session type', sessionType, '');
        await pick('session-project', 'project', project, ` for session type ${sessionType}`);
        await pick('session-image', 'image', imageOption, ` in project ${project} for session type ${sessionType} (journeys.science_portal.image: ${image})`);
        // typed last: the portal rewrites the name when the type or the session count changes (sessionLaunchForm.tsx:380-387)
        const nameBox = launchForm.getByPlaceholder('Enter session name');
        await nameBox.fill(name);
        const quota = launchForm.getByLabel(QUOTA_REACHED);
        if (await quota.count()) throw new Error(`the portal refuses a new session: ${await quota.getAttribute('aria-label')}`);
        await expect(launchButton, 'the Launch button is enabled once type, project and image are chosen').toBeEnabled();

        const answers: number[] = [];
        const onResponse = (r: Response) => {
          if (!isApi('POST', '/sessions')(r)) return;
          answers.push(r.status());
          // skaha answers the id as text with a newline (skaha PostAction.java:231); the BFF passes it on (sessions/route.ts:208-219)
          if (r.status() === 201) void r.json().then((d: { id?: string }) => (sessionId = d.id?.trim() || sessionId), () => undefined);
        };
        page.on('response', onResponse);
        try {
          const sent = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === apiPath('/sessions'), { timeout: deadline });
          await launchButton.click();
          const sentName = ((await sent).postDataJSON() as { sessionName?: string }).sessionName;
          if (sentName !== name) throw new Error(`the portal sent session name "${sentName}", not the one typed ("${name}")`);
          // Either the card is listed, or the launch dialog shows why not (after one retry:
          // lib/providers/QueryProvider.tsx:30-33, implementation/sessionRequestModal.tsx:74-79).
          const refusal = page.getByRole('dialog', { name: 'Request New Session' }).getByRole('alert');
          await expect
            .poll(async () => ((await card.count()) > 0 ? 'listed' : (await refusal.count()) > 0 ? 'refused' : 'waiting'), {
              message: 'the new session is listed, or the launch dialog says why not',
              timeout: deadline,
            })
            .not.toBe('waiting');
          if ((await card.count()) === 0) {
            const statuses = answers.join(', ') || 'nothing';
            throw new Error(`launch refused: ${(await refusal.innerText()).trim()} (POST ${apiPath('/sessions')} answered ${statuses})`);
          }
          await expect(card, 'the new session is listed').toBeVisible();
        } finally {
          page.off('response', onResponse);
        }
      });

      await step('wait_running', async () => {
        try {
          await expect(card.getByText('Running', { exact: true }), 'the session card shows Running').toBeVisible({ timeout: deadline });
        } catch (err) {
          // Still listed, never Running: skaha did not start it in time (a wait for the service, so
          // `timeout`), not an element the page lacks. A card that vanished keeps Playwright's words.
          if (await card.isVisible().catch(() => false)) throw new Error(`the session is listed but not Running within ${deadline / 1000} s`);
          throw err;
        }
      });

      await step('delete_session', async () => {
        await card.getByRole('button', { name: 'Delete session' }).click();
        const confirm = page.getByRole('dialog', { name: 'Delete Session' });
        const answer = page.waitForResponse((r) => r.request().method() === 'DELETE' && new URL(r.url()).pathname.startsWith(apiPath('/sessions/')), { timeout: deadline });
        await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
        const res = await answer;
        if (!res.ok()) throw new Error(`delete refused: DELETE ${apiPath('/sessions/{id}')} answered ${res.status()}`);
        deleted = true;
        await expect(confirm, 'the delete confirmation closes').toBeHidden();
        await expect(card, 'the session card is gone').toHaveCount(0, { timeout: deadline });
      });
    } finally {
      if (sessionId && !deleted) {
        const id = sessionId;
        await secretly(page, async () => {
          const token = await page.evaluate(() => localStorage.getItem('canfar_auth_token')).catch(() => null);
          await page.request
            .delete(site.url('canfar', apiPath(`/sessions/${encodeURIComponent(id)}`)), {
              headers: token ? { authorization: `Bearer ${token}` } : {},
              failOnStatusCode: false,
            })
            .catch(() => undefined);
        });
      }
    }
  },
);
