/**
 * What a journey author writes with: `journey()` declares a journey (one Playwright test whose
 * title is the journey's slug) with its steps and its options, and `step()` a named, timed step
 * inside it. Fixtures give the env profile's URLs, the journey's options and the credentials;
 * browser launch and context set-up happen in fixtures, so they never count in a step's time.
 *
 *   journey(
 *     { name: 'login', steps: ['open_login_page'], options: z.strictObject({ path: z.string().default('/access/login') }) },
 *     async ({ page, site }) => {
 *       await step('open_login_page', async () => { await page.goto(site.url('www', site.options.path)); });
 *     },
 *   );
 *
 * The declaration is read without running the journey (src/runtime/runner/declarations.ts): the
 * `journeys` command lists the steps, and the CLI checks a profile's `journeys.<name>:` against the
 * options schema before a browser starts.
 */
import { rmSync } from 'node:fs';
import { test as base, expect, type Page, type TestInfo } from '@playwright/test';
import { z } from 'zod';
import type { Credentials } from '../../config/credentials.ts';
import type { UrlRole } from '../../config/profile.ts';
import type { MeasureKey } from '../../metrics/catalog.ts';
import { MAX_STEPS_PER_JOURNEY, assertSlug } from '../../metrics/labels.ts';
import { authStatePath, discardAuthState, isLoginUrl, loginAndSave, readAuthState, saveAuthState } from '../browser/auth-state.ts';
import { withCollectors } from '../collectors/index.ts';
import { DEFAULT_BROWSER_OPTIONS, THROTTLE_PROFILES, evidenceRerun, isEvidenceAttempt, throttleContext } from '../browser/emulation.ts';
import { loadedDeclaration, registerDeclaration, type StepDeclaration } from '../runner/declarations.ts';
import type { RunHandoff } from '../runner/handoff.ts';
import { redactTrace } from '../browser/trace-redact.ts';

export interface Site<Options = Record<string, unknown>> {
  /** The env's name, e.g. `prod`. */
  env: string;
  /** An absolute URL on one of the profile's hosts: `url('www', '/access/login')`. */
  url(role: UrlRole, path?: string): string;
  /** This journey's options (`journeys.<name>:` in the env profile), checked against its schema, defaults filled in. */
  options: Options;
  /** Another journey's options, for a journey that goes the same way (download opens search's results). */
  optionsOf(journey: string): Record<string, unknown>;
}

/** The run's saved login (../browser/auth-state.ts), which the journeys marked `auth` start from. */
export interface SavedLogin {
  /** Saves the page's browser state (cookies, localStorage) as the run's login: the login journey does once it is in. */
  save(): Promise<void>;
  /** Throws the saved login away, saying why on stderr: a journey found it no longer works. */
  discard(reason: string): void;
}

interface JourneyFixtures {
  site: Site;
  credentials: Credentials;
  savedLogin: SavedLogin;
  /** Set by `journey(name, body, { auth: true })`: the context starts from the run's saved login. */
  loggedIn: boolean;
  /** Browser-side collectors (src/runtime/collectors): set up before the first step, read before the context closes. */
  collectors: void;
}

interface RunFixtures {
  /** The run handoff (./handoff.ts), which playwright.config.ts reads once and passes in as this option. */
  handoff: RunHandoff | undefined;
  /** The same, checked: the fixtures read the run from here. */
  run: RunHandoff;
}

const SKIP_NO_CREDENTIALS = 'no credentials: set PERFPULSE_USERNAME and PERFPULSE_PASSWORD_FILE (or PERFPULSE_PASSWORD)';

/** The step running right now (collectors attribute each page to it). */
let activeStep: string | undefined;
/** The journey's page (set by the page fixture): a failed step stops its pending navigation. */
let activePage: Page | undefined;

/** Per context: resolves once a page's network throttling (--throttle) is in force. */
const throttled = new WeakMap<object, (page: Page) => Promise<void>>();

export const test = base.extend<JourneyFixtures, RunFixtures>({
  handoff: [undefined, { option: true, scope: 'worker' }],
  run: [
    async ({ handoff }, use) => {
      if (!handoff) throw new Error('no run handoff: the journeys run under perfpulse-journeys (playwright.config.ts passes it in)');
      await use(handoff);
    },
    { scope: 'worker' },
  ],
  // the CLI checked the profile's journeys: section against every declaration and filled in the
  // defaults (src/runtime/runner/declarations.ts resolveJourneyOptions) before the run began
  site: async ({ run }, use, testInfo) => {
    const { profile } = run;
    const optionsOf = (journey: string) => {
      const options = profile.journeys[journey];
      if (!options) throw new Error(`no options for journey "${journey}" in the run handoff`);
      return options;
    };
    await use({
      env: profile.name,
      url: (role, path = '/') => `${profile.urls[role]}${path.startsWith('/') ? path : `/${path}`}`,
      options: optionsOf(testInfo.title),
      optionsOf,
    });
  },
  loggedIn: [false, { option: true }],
  // Journeys marked `auth` start from the run's saved login (./auth-state.ts), logging in first when
  // there is none; without credentials they are skipped while anonymous journeys still run.
  storageState: async ({ storageState, loggedIn, browser, run }, use) => {
    if (!loggedIn) return use(storageState);
    const username = process.env.PERFPULSE_USERNAME;
    const password = process.env.PERFPULSE_PASSWORD;
    test.skip(!username || !password, SKIP_NO_CREDENTIALS);
    // Read once into memory: with --users N another worker may discard the file at any moment.
    const file = authStatePath(run);
    const saved = readAuthState(file);
    const state = saved ?? (await loginAndSave(browser, `${run.profile.urls.www}/access/login`, { username: username as string, password: password as string }, file));
    await use(state);
  },
  // --trace on-failure (default): measured attempts run untraced; the traced evidence re-run of a
  // failed journey (../browser/emulation.ts) keeps its trace. retain-on-failure: every attempt is
  // traced (screenshots + DOM snapshots), a failed one's trace kept; `on` keeps every journey's;
  // `off` never starts tracing. A kept trace has its secrets rewritten out of it (./trace-redact.ts).
  context: async ({ context, loggedIn, run }, use, testInfo) => {
    const browserOptions = run.browserOptions ?? DEFAULT_BROWSER_OPTIONS;
    const throttleProfile = browserOptions.throttle ? THROTTLE_PROFILES[browserOptions.throttle] : undefined;
    if (throttleProfile) throttled.set(context, throttleContext(context, throttleProfile).ready);
    if (loggedIn) {
      const file = authStatePath(run);
      context.on('response', (r) => {
        if ((r.status() === 401 || r.status() === 403) && r.request().resourceType() === 'document') discardAuthState(`a page answered ${r.status()}`, file);
      });
      context.on('page', (p) => watchLoginLanding(p, file));
      for (const p of context.pages()) watchLoginLanding(p, file);
    }
    const evidence = isEvidenceAttempt(browserOptions, testInfo.retry);
    if (browserOptions.trace === 'off' || (evidenceRerun(browserOptions) && !evidence)) return use(context);
    await context.tracing.start({ screenshots: true, snapshots: true, sources: false, title: testInfo.title });
    await use(context);
    const keep = browserOptions.trace === 'on' || evidence ? testInfo.status !== 'skipped' : testInfo.status !== testInfo.expectedStatus;
    if (!keep) {
      await context.tracing.stop().catch(() => undefined);
      return;
    }
    const file = testInfo.outputPath('trace.zip');
    try {
      await context.tracing.stop({ path: file });
      redactTrace(file, [process.env.PERFPULSE_PASSWORD ?? ''].filter(Boolean));
      testInfo.attachments.push({ name: 'trace', path: file, contentType: 'application/zip' });
    } catch {
      rmSync(file, { force: true }); // a trace that could not be cleaned is not kept
    }
  },
  // --throttle: no page is used before its network conditions are in force
  page: async ({ page, context }, use) => {
    await throttled.get(context)?.(page);
    activePage = page;
    try {
      await use(page);
    } finally {
      activePage = undefined;
    }
  },
  savedLogin: async ({ page, run }, use) => {
    const file = authStatePath(run);
    await use({
      save: async () => {
        await saveAuthState(page.context(), file);
      },
      discard: (reason) => discardAuthState(reason, file),
    });
  },
  credentials: async ({}, use) => {
    const username = process.env.PERFPULSE_USERNAME;
    const password = process.env.PERFPULSE_PASSWORD;
    test.skip(!username || !password, SKIP_NO_CREDENTIALS);
    await use({ username: username as string, password: password as string });
  },
  collectors: [async ({ page }, use, testInfo) => withCollectors({ page, testInfo, currentStep: () => activeStep }, use), { auto: true }],
});

export { expect };
// journeys describe their options with zod: authors import it from here with the rest of the API
export { z };
export { flag, nonEmpty, seconds, text } from './options.ts';
// the login form, shared with the fallback login (./auth-state.ts), and the password's guard
export { loginForm, openLoginForm, secretly, submitLogin, waitForPost } from './login-form.ts';

/** What a journey declares (src/runtime/runner/declarations.ts reads it without running the journey). */
export interface JourneySpec<Options extends z.ZodObject> {
  /** The `journey` label value, a slug; the file is journeys/<name>.journey.ts. */
  name: string;
  /**
   * Every step the journey can run, in order: its `step()` names (`step` label values). A step
   * that runs only when a boolean option is on is `{ name, when: '<option>' }`.
   */
  steps: readonly StepDeclaration[];
  /** Its options under `journeys.<name>:` in an env profile: a strict zod object, every key with a default. */
  options?: Options;
  /** Start from the run's saved login (logging in first when there is none); skipped without credentials. */
  auth?: boolean;
}

type TestBody = Parameters<typeof test>[2];
type Fixtures = Parameters<TestBody>[0];
/** The fixtures a journey's body gets: Playwright's and ours, `site.options` typed by the journey's schema. */
export type JourneyArgs<Options> = Omit<Fixtures, 'site'> & { site: Site<Options> };

const NO_OPTIONS = z.strictObject({});

/** Declares a journey: its name, steps and options, and its body. */
export function journey<Options extends z.ZodObject = typeof NO_OPTIONS>(
  spec: JourneySpec<Options>,
  body: (args: JourneyArgs<z.output<Options>>, testInfo: TestInfo) => Promise<void>,
): void {
  assertSlug('journey name', spec.name);
  const names = spec.steps.map((s) => (typeof s === 'string' ? s : s.name));
  for (const n of names) assertSlug('step name', n);
  if (new Set(names).size !== names.length) throw new Error(`journey "${spec.name}" declares a step twice`);
  if (names.length > MAX_STEPS_PER_JOURNEY) throw new Error(`journey "${spec.name}" declares more than ${MAX_STEPS_PER_JOURNEY} steps`);
  const options = spec.options ?? NO_OPTIONS;
  for (const s of spec.steps) {
    if (typeof s !== 'string' && !(s.when in options.shape)) throw new Error(`journey "${spec.name}": step "${s.name}" runs when "${s.when}", which is not one of its options`);
  }
  const { declareTest } = registerDeclaration({ name: spec.name, steps: spec.steps, options, auth: spec.auth ?? false });
  if (!declareTest) return;
  // Playwright reads the fixtures a test uses from its body's parameter list: the body goes in as it is
  const declare = () => test(spec.name, { annotation: { type: 'perfpulse.journey', description: spec.name } }, body as unknown as TestBody);
  if (!spec.auth) return declare();
  test.describe(() => {
    test.use({ loggedIn: true });
    declare();
  });
}

/** Records a measured value of this journey (base unit of its metric); see JOURNEY_MEASURES. */
export function record(key: MeasureKey, value: number): void {
  if (!Number.isFinite(value)) return;
  test.info().annotations.push({ type: 'perfpulse.measure', description: JSON.stringify([key, value]) });
}

function watchLoginLanding(page: Page, authStateFile: string): void {
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame() && isLoginUrl(frame.url())) discardAuthState('a journey landed on the login page', authStateFile);
  });
}

const stepsSeen = new WeakMap<TestInfo, Set<string>>();

/** A timed step; `name` is its `step` label value and must be unique within the journey. */
export async function step<T>(name: string, body: () => Promise<T>): Promise<T> {
  assertSlug('step name', name);
  const info = test.info();
  const seen = stepsSeen.get(info) ?? new Set<string>();
  stepsSeen.set(info, seen);
  if (seen.has(name)) throw new Error(`step "${name}" appears twice in journey "${info.title}"`);
  const declared = loadedDeclaration(info.title)?.steps.map((s) => (typeof s === 'string' ? s : s.name));
  if (declared && !declared.includes(name)) throw new Error(`step "${name}" is not among the steps journey "${info.title}" declares (${declared.join(', ')})`);
  seen.add(name);
  return test.step(
    name,
    async () => {
      activeStep = name;
      try {
        return await body();
      } catch (err) {
        if (activePage) await stopPendingNavigation(activePage);
        throw err;
      } finally {
        activeStep = undefined;
      }
    },
    { box: true },
  );
}

/**
 * Stops a navigation the page is still waiting for, as the browser's Stop button does (CDP
 * Page.stopLoading), keeping the document it shows. A step that failed on a hung page load (goto's
 * 30 s) leaves the navigation pending, and Chromium then runs no script and takes no screenshot in
 * the page: the failure screenshot and the collectors' last read (page.evaluate) would wait for it
 * until the journey's timeout, and the journey would fail with that timeout, not the step's error.
 */
async function stopPendingNavigation(page: Page): Promise<void> {
  if (page.isClosed()) return;
  try {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Page.stopLoading');
    await cdp.detach();
  } catch {
    // not Chromium, or the page went away: nothing pending to stop
  }
}
