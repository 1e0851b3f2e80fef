/**
 * What a journey author writes with: `journey()` declares a journey (one Playwright test whose
 * title is the journey's slug) and `step()` a named, timed step inside it. Fixtures give the env
 * profile's URLs and the credentials; browser launch and context set-up happen in fixtures, so
 * they never count in a step's time.
 *
 *   journey('login', async ({ page, site, credentials }) => {
 *     await step('open_login_page', async () => { await page.goto(site.url('www', '/access/login')); });
 *   });
 */
import { test as base, expect, type TestInfo } from '@playwright/test';
import type { Credentials } from '../config/credentials.ts';
import type { UrlRole } from '../config/profile.ts';
import { MAX_STEPS_PER_JOURNEY, assertSlug } from '../metrics/labels.ts';
import { withCollectors } from './collectors/index.ts';
import { readHandoff } from './handoff.ts';

export interface Site {
  /** The env's name, e.g. `prod`. */
  env: string;
  /** An absolute URL on one of the profile's hosts: `url('www', '/access/login')`. */
  url(role: UrlRole, path?: string): string;
}

interface JourneyFixtures {
  site: Site;
  credentials: Credentials;
  /** Browser-side collectors (src/runtime/collectors): set up before the first step, read before the context closes. */
  collectors: void;
}

/** The step running right now (collectors attribute each page to it). */
let activeStep: string | undefined;

const handoff = readHandoff();

export const test = base.extend<JourneyFixtures>({
  site: async ({}, use) => {
    const { profile } = handoff;
    await use({
      env: profile.name,
      url: (role, path = '/') => `${profile.urls[role]}${path.startsWith('/') ? path : `/${path}`}`,
    });
  },
  credentials: async ({}, use) => {
    const username = process.env.PERFPULSE_USERNAME;
    const password = process.env.PERFPULSE_PASSWORD;
    test.skip(
      !username || !password,
      'no credentials: set PERFPULSE_USERNAME and PERFPULSE_PASSWORD_FILE (or PERFPULSE_PASSWORD)',
    );
    await use({ username: username as string, password: password as string });
  },
  collectors: [async ({ page }, use, testInfo) => withCollectors({ page, testInfo, currentStep: () => activeStep }, use), { auto: true }],
});

export { expect };

/** Declares a journey; `name` is its `journey` label value. */
export function journey(name: string, body: Parameters<typeof test>[2]): void {
  assertSlug('journey name', name);
  test(name, { annotation: { type: 'perfpulse.journey', description: name } }, body);
}

const stepsSeen = new WeakMap<TestInfo, Set<string>>();

/** A timed step; `name` is its `step` label value and must be unique within the journey. */
export async function step<T>(name: string, body: () => Promise<T>): Promise<T> {
  assertSlug('step name', name);
  const info = test.info();
  const seen = stepsSeen.get(info) ?? new Set<string>();
  stepsSeen.set(info, seen);
  if (seen.has(name)) throw new Error(`step "${name}" appears twice in journey "${info.title}"`);
  if (seen.size >= MAX_STEPS_PER_JOURNEY) throw new Error(`journey "${info.title}" has more than ${MAX_STEPS_PER_JOURNEY} steps`);
  seen.add(name);
  return test.step(
    name,
    async () => {
      activeStep = name;
      try {
        return await body();
      } finally {
        activeStep = undefined;
      }
    },
    { box: true },
  );
}
