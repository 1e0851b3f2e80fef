/**
 * Per page, browser time: TTFB, FCP, LCP, INP and CLS from the `web-vitals` package (6.2.x) and
 * DOMContentLoaded / load from Navigation Timing, all on the page's own clock from the start of
 * its navigation.
 *
 * The web-vitals IIFE build and the code that registers its callbacks go in as ONE init script
 * (since Playwright 1.46 each init script has its own function scope, so a second script would not
 * see `webVitals`). Callbacks use reportAllChanges; every change is pushed to Node through a
 * binding, and the latest values of the page still open are read with page.evaluate before the
 * context closes. A document belongs to the step that was running when it announced itself.
 * A value not measured is left out, never 0.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MAX_PAGES_PER_JOURNEY, pageSlug } from '../../metrics/labels.ts';
import type { JourneyMeasurements, PageTiming } from '../../results/results.ts';
import { CALIBRATION_PATH } from './calibration.ts';
import type { Collector, CollectorContext } from './types.ts';

const require = createRequire(import.meta.url);
const BINDING = '__perfpulsePageTiming';
const STATE = '__perfpulsePageState';

/** What the page reports: its document id, path, and the latest values (browser ms; CLS unit-less). */
export interface PageReport {
  doc: string;
  path: string;
  values: Partial<Record<'TTFB' | 'FCP' | 'LCP' | 'INP' | 'CLS' | 'DCL' | 'LOAD', number>>;
}

/** Registration code, run in the page right after the web-vitals IIFE in the same function scope. */
type WebVitals = Record<string, ((cb: (m: { name: string; value: number }) => void, o: object) => void) | undefined>;

function register(wv: WebVitals, bindingName: string, stateName: string): void {
  if (window !== window.top || !/^https?:$/.test(location.protocol)) return;
  const state = {
    doc: `${performance.timeOrigin}-${Math.random().toString(36).slice(2)}`,
    path: location.pathname,
    values: {} as Record<string, number>,
  };
  Object.defineProperty(window, stateName, { value: state });
  const send = () => {
    const fn = (window as unknown as Record<string, unknown>)[bindingName];
    if (typeof fn === 'function') (fn as (r: unknown) => Promise<void>)(JSON.parse(JSON.stringify(state))).catch(() => undefined);
  };
  const record = (m: { name: string; value: number }) => {
    state.values[m.name] = m.value;
    send();
  };
  for (const on of ['onTTFB', 'onFCP', 'onLCP', 'onINP', 'onCLS']) wv[on]?.(record, { reportAllChanges: true });
  const nav = () => {
    const e = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    if (e && e.domContentLoadedEventEnd > 0) state.values.DCL = e.domContentLoadedEventEnd;
    if (e && e.loadEventEnd > 0) state.values.LOAD = e.loadEventEnd;
    send();
  };
  addEventListener('DOMContentLoaded', () => setTimeout(nav, 0));
  addEventListener('load', () => setTimeout(nav, 0));
  send(); // announce the document while its step runs
}

/** The one init-script string: the web-vitals IIFE and the registration, in one scope. */
export function pageTimingScript(): string {
    // the package exports no path to its IIFE build; it sits next to the UMD build that `require` resolves
  const iife = readFileSync(join(dirname(require.resolve('web-vitals')), 'web-vitals.iife.js'), 'utf8');
    // `webVitals` is the IIFE's `var`, visible only inside this one script's scope
  return `${iife}\n;(${register.toString()})(webVitals, ${JSON.stringify(BINDING)}, ${JSON.stringify(STATE)});`;
}

const FIELDS: Array<[keyof PageReport['values'], keyof PageTiming]> = [
  ['TTFB', 'ttfbMs'],
  ['FCP', 'fcpMs'],
  ['LCP', 'lcpMs'],
  ['INP', 'inpMs'],
  ['CLS', 'cls'],
  ['DCL', 'domContentLoadedMs'],
  ['LOAD', 'loadMs'],
];

export class PageTimingCollector implements Collector {
  readonly name = 'page-timings';
  /** Document id → its step, page slug and latest values. */
  private readonly docs = new Map<string, PageTiming>();
  private readonly slugs = new Set<string>();

  accept(report: PageReport, step: string | undefined): void {
    let t = this.docs.get(report.doc);
    if (!t) {
      if (!step || report.path.startsWith(CALIBRATION_PATH)) return; // set-up and calibration pages are not the journey's
      let page = pageSlug(report.path);
      if (!this.slugs.has(page) && this.slugs.size >= MAX_PAGES_PER_JOURNEY) page = 'other';
      this.slugs.add(page);
      t = { step, page };
      this.docs.set(report.doc, t);
    }
    for (const [from, to] of FIELDS) {
      const v = report.values[from];
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0) (t as unknown as Record<string, number>)[to] = v;
    }
  }

  async setup(ctx: CollectorContext): Promise<void> {
    await ctx.page.exposeBinding(BINDING, (_source, report: PageReport) => this.accept(report, ctx.currentStep()));
    await ctx.page.addInitScript(pageTimingScript());
  }

  async finish(ctx: CollectorContext): Promise<JourneyMeasurements> {
    // The page still open has not been left, so its latest values were maybe never pushed.
    const last = await ctx.page
      .evaluate((name) => (window as unknown as Record<string, PageReport | undefined>)[name], STATE)
      .catch(() => undefined);
    if (last) this.accept(last, undefined);
    // One entry per (step, page): the last document of that page in that step wins.
    const byKey = new Map<string, PageTiming>();
    for (const t of this.docs.values()) byKey.set(`${t.step}\u0000${t.page}`, t);
    const pages = [...byKey.values()].filter((t) => Object.keys(t).length > 2);
    return pages.length ? { pages } : {};
  }
}
