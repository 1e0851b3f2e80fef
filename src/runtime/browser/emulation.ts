/**
 * How the browser runs a journey beyond the env profile: retries, tracing, a visible window,
 * network throttling and device emulation (`run --retries/--trace/--headed/--throttle/--device`).
 * The CLI checks the flags (src/cli/browser-flags.ts) and hands them over in the run handoff as one
 * `BrowserOptions` block; playwright.config.ts and the journey fixtures (./journey.ts) apply them.
 */
import { createRequire } from 'node:module';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';

/** playwright-core's device descriptors, loaded when first asked for (the CLI needs them only for --device). */
const devicesOf = (): typeof import('playwright-core').devices => (createRequire(import.meta.url)('playwright-core') as typeof import('playwright-core')).devices;

export const TRACE_MODES = ['on-failure', 'on', 'off', 'retain-on-failure'] as const;
export type TraceMode = (typeof TRACE_MODES)[number];

/**
 * --trace on-failure (the default) measures untraced and, when the journey's last measured attempt
 * failed, runs it once more traced for the evidence only: Playwright retries it once beyond
 * --retries, and that extra attempt is never a measurement (results-reporter keeps the measured
 * attempt's entry and adds only the trace). So tracing costs nothing in the step times of a run.
 */
export const evidenceRerun = (o: Pick<BrowserOptions, 'trace'>): boolean => o.trace === 'on-failure';
/** Playwright's retries for a run: --retries, plus the traced evidence re-run of --trace on-failure. */
export const playwrightRetries = (o: Pick<BrowserOptions, 'trace' | 'retries'>): number => o.retries + (evidenceRerun(o) ? 1 : 0);
/** Whether the attempt numbered `retry` (0 = first) is the traced evidence re-run, not a measurement. */
export const isEvidenceAttempt = (o: Pick<BrowserOptions, 'trace' | 'retries'>, retry: number): boolean => evidenceRerun(o) && retry > o.retries;

export interface BrowserOptions {
  /** Playwright retries of a failed journey (0-5); a journey that then passes is flaky, not an outage. */
  retries: number;
  /**
   * on-failure: measure untraced, re-run a failed journey once traced for its evidence (not measured);
   * retain-on-failure: trace every attempt, keep a failed one's (tracing costs step time);
   * on: trace and keep every one; off: never trace. Kept traces are redacted.
   */
  trace: TraceMode;
  /** A visible browser window (needs a display). */
  headed: boolean;
  /** A THROTTLE_PROFILES name other than `none`, or absent. */
  throttle?: string;
  /** A Playwright device name (`devices` of playwright-core), or absent. */
  device?: string;
}

export const DEFAULT_BROWSER_OPTIONS: BrowserOptions = { retries: 0, trace: 'on-failure', headed: false };

export interface ThrottleProfile {
  /** Added to every request from sending it to its response headers, ms. */
  latencyMs: number;
  downloadBytesPerSecond: number;
  uploadBytesPerSecond: number;
  /** Where the numbers come from. */
  source: string;
}

/**
 * Network profiles, as the tools people compare against define them. Chrome DevTools' presets
 * (front_end/core/sdk/NetworkManager.ts, also puppeteer's PredefinedNetworkConditions) scale the
 * nominal link by their own adjustment factors: throughput ×0.8 (slow 3G) or ×0.9, latency ×5,
 * ×3.75 or ×2.75, the same factors Lighthouse's DevTools throttling uses (DEVTOOLS_RTT_ADJUSTMENT_FACTOR
 * 3.75, DEVTOOLS_THROUGHPUT_ADJUSTMENT_FACTOR 0.9 in lighthouse core/config/constants.js).
 * `fast-3g` is what DevTools calls "Fast 3G" (renamed "Slow 4G" in Chrome 126; the numbers are the
 * ones Lighthouse's mobile "slow 4G" throttling uses). `dsl` is WebPageTest's DSL connectivity
 * profile (1.5 Mbps down, 384 kbps up, 50 ms round trip), unscaled.
 */
export const THROTTLE_PROFILES: Readonly<Record<string, ThrottleProfile | undefined>> = {
  none: undefined,
  'slow-3g': {
    latencyMs: 400 * 5,
    downloadBytesPerSecond: ((500 * 1000) / 8) * 0.8,
    uploadBytesPerSecond: ((500 * 1000) / 8) * 0.8,
    source: 'Chrome DevTools "Slow 3G": 500 kbps ×0.8 both ways, 400 ms ×5',
  },
  'fast-3g': {
    latencyMs: 150 * 3.75,
    downloadBytesPerSecond: ((1.6 * 1000 * 1000) / 8) * 0.9,
    uploadBytesPerSecond: ((750 * 1000) / 8) * 0.9,
    source: 'Chrome DevTools "Fast 3G" (now "Slow 4G"): 1.6 Mbps ×0.9 down, 750 kbps ×0.9 up, 150 ms ×3.75',
  },
  'fast-4g': {
    latencyMs: 60 * 2.75,
    downloadBytesPerSecond: ((9 * 1000 * 1000) / 8) * 0.9,
    uploadBytesPerSecond: ((1.5 * 1000 * 1000) / 8) * 0.9,
    source: 'Chrome DevTools "Fast 4G": 9 Mbps ×0.9 down, 1.5 Mbps ×0.9 up, 60 ms ×2.75',
  },
  dsl: {
    latencyMs: 50,
    downloadBytesPerSecond: (1.5 * 1000 * 1000) / 8,
    uploadBytesPerSecond: (384 * 1000) / 8,
    source: 'WebPageTest "DSL": 1.5 Mbps down, 384 kbps up, 50 ms',
  },
};

export const throttleNames = (): string[] => Object.keys(THROTTLE_PROFILES);

export function deviceNames(): string[] {
  return Object.keys(devicesOf());
}

/** Device names that contain `name` (case-insensitive), else those that contain one of its words. */
export function closeDeviceNames(name: string, limit = 8): string[] {
  const all = deviceNames();
  const wanted = name.trim().toLowerCase();
  let close = wanted ? all.filter((d) => d.toLowerCase().includes(wanted)) : [];
  if (!close.length) {
    const words = wanted.split(/[^a-z0-9]+/).filter((w) => w.length >= 2);
    close = all.filter((d) => words.some((w) => d.toLowerCase().includes(w)));
  }
  // the longest shared beginning first ("pixel 77" → "Pixel 7"), portrait before landscape
  const shared = (d: string) => {
    const l = d.toLowerCase();
    let n = 0;
    while (n < l.length && l[n] === wanted[n]) n++;
    return n;
  };
  const landscape = (d: string) => Number(/landscape/i.test(d));
  return close.sort((a, b) => shared(b) - shared(a) || landscape(a) - landscape(b)).slice(0, limit);
}

/**
 * What a device changes in the browser context: viewport, screen, user agent, pixel ratio, mobile
 * and touch. Its `defaultBrowserType` is dropped: journeys always run our Chromium.
 */
export function deviceUse(name: string): Record<string, unknown> {
  const d = devicesOf()[name];
  if (!d) throw new Error(`unknown device ${name}`);
  const { defaultBrowserType: _engine, ...use } = d;
  return use;
}

/** The `device` label value: a slug of the device name (`Pixel 7` → `pixel_7`, `Galaxy S9+` → `galaxy_s9_plus`). */
export function deviceSlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/\+/g, '_plus')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * Extra labels (and Pushgateway grouping labels) that keep a throttled or emulated run's series
 * apart from a plain run's: present only when the condition is set (docs/decisions.md 17).
 */
export function conditionLabels(o: Pick<BrowserOptions, 'throttle' | 'device'> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (o?.throttle && THROTTLE_PROFILES[o.throttle]) out.network = o.throttle;
  if (o?.device) out.device = deviceSlug(o.device);
  return out;
}

/**
 * Throttles every page of the context, present and future, through the Chrome DevTools Protocol
 * (Chromium only). `ready(page)` resolves once that page's conditions are in force. Requests made
 * with Playwright's API client (`page.request`) do not go through the page and are not throttled.
 */
export function throttleContext(context: BrowserContext, profile: ThrottleProfile): { ready(page: Page): Promise<void> } {
  const applied = new WeakMap<Page, Promise<void>>();
  const apply = (page: Page) => {
    if (applied.has(page)) return;
    applied.set(
      page,
      (async () => {
        const session: CDPSession = await context.newCDPSession(page);
        await session.send('Network.enable');
        await session.send('Network.emulateNetworkConditions', {
          offline: false,
          latency: profile.latencyMs,
          downloadThroughput: profile.downloadBytesPerSecond,
          uploadThroughput: profile.uploadBytesPerSecond,
        });
      })(),
    );
  };
  context.on('page', apply);
  for (const p of context.pages()) apply(p);
  return {
    ready: async (page) => {
      apply(page);
      await applied.get(page);
    },
  };
}
