/**
 * What the page's requests did, for classifying a failure (src/results/error-class.ts): every
 * document, XHR and fetch request the journey's pages started while a step ran (the warm-up and
 * the calibration are outside every step), with when it started and ended, the status it
 * answered or the network error it failed with. The results reporter keeps, for a failed step
 * only, the requests that answered >= 400, failed, or were still unanswered when it gave up
 * (StepResult.network); this log itself goes no further. Never a URL, a query or a body: the
 * path is reduced to its page slug at once.
 *
 * Requests made with Playwright's API client (`page.request`) do not go through the browser and
 * are not seen here.
 */
import type { Request } from '@playwright/test';
import { pageSlug } from '../../metrics/labels.ts';
import type { JourneyMeasurements } from '../../results/results.ts';
import type { Collector, CollectorContext } from './types.ts';

/** Where the request log travels from the worker to the results reporter: a test attachment. */
export const NETWORK_ATTACHMENT = 'perfpulse-network';
/** At most this many requests are logged per journey run (a page that polls must not grow it without bound). */
export const MAX_LOGGED_REQUESTS = 2000;
const TYPES = new Set(['document', 'xhr', 'fetch']);

/** One logged request, wall-clock epoch ms. */
export interface LoggedRequest {
  method: string;
  page: string;
  type: string;
  startMs: number;
  /** When its answer's headers came, or it failed; absent when it never ended. */
  endMs?: number;
  status?: number;
  error?: string;
}

export class NetworkCollector implements Collector {
  readonly name = 'network';
  private readonly log = new Map<Request, LoggedRequest>();

  async setup(ctx: CollectorContext): Promise<void> {
    const context = ctx.page.context();
    context.on('request', (r) => {
      if (!TYPES.has(r.resourceType()) || ctx.currentStep() === undefined || this.log.size >= MAX_LOGGED_REQUESTS) return;
      let page = 'other';
      try {
        page = pageSlug(new URL(r.url()).pathname);
      } catch {
        // a data: or blob: URL has no path worth a slug
      }
      this.log.set(r, { method: r.method(), page, type: r.resourceType(), startMs: Date.now() });
    });
    context.on('response', (res) => {
      const entry = this.log.get(res.request());
      if (!entry || entry.endMs !== undefined) return;
      entry.endMs = Date.now();
      entry.status = res.status();
    });
    context.on('requestfailed', (r) => {
      const entry = this.log.get(r);
      if (!entry || entry.endMs !== undefined) return;
      entry.endMs = Date.now();
      entry.error = r.failure()?.errorText ?? 'failed';
    });
  }

  async finish(ctx: CollectorContext): Promise<JourneyMeasurements> {
    await ctx.testInfo.attach(NETWORK_ATTACHMENT, { body: JSON.stringify([...this.log.values()]), contentType: 'application/json' });
    return {};
  }
}
