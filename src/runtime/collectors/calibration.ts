/**
 * Harness overhead: calibration steps against a loopback page that does nothing (served by this
 * process, so it works for every env), timed exactly like a real step: `test.step` around
 * `page.goto` and a visibility check. Their wall time is what the harness itself (Playwright
 * protocol, navigation, a renderer for a new origin, actionability checks) adds to a step.
 *
 * One warm-up navigation first (counted in set-up, never in a step). Then SAMPLES steps before the
 * journey and SAMPLES after it, so that the figure sees the machine as the journey saw it; each
 * sample navigates to a different origin than the page before it (two servers, alternating), the
 * way a journey's first step does. The largest sample is exported: an upper estimate, not a lucky one.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import type { JourneyMeasurements } from '../../results/results.ts';
import type { Collector, CollectorContext } from './types.ts';

export const CALIBRATION_SAMPLES = 3;
/** Path of the do-nothing page; the page-timing collector never counts it as a journey page. */
export const CALIBRATION_PATH = '/__perfpulse_calibration';
/** Title of the calibration steps; reporters skip it (it is not a journey step). */
export const CALIBRATION_STEP = 'perfpulse calibration (not a journey step)';

/** The do-nothing page: no subresources, no script; one visible element to wait for. */
export const NOOP_PAGE = '<!doctype html><html><head><meta charset="utf-8"><title>noop</title></head><body><p id="noop">ok</p></body></html>';

export async function startNoopServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(NOOP_PAGE) });
    res.end(NOOP_PAGE);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export class CalibrationCollector implements Collector {
  readonly name = 'calibration';
  private samples: number[] = [];
  private setupDoneAtMs: number | undefined;
  private servers: Array<{ url: string; close(): Promise<void> }> = [];
  private n = 0;

  private async sample(ctx: CollectorContext, timed: boolean): Promise<void> {
    const server = this.servers[this.n % this.servers.length];
    if (!server) return;
    this.n++;
    const visit = async () => {
      await ctx.page.goto(`${server.url}${CALIBRATION_PATH.slice(1)}?n=${this.n}`);
      await expect(ctx.page.locator('#noop')).toBeVisible();
    };
    if (!timed) return visit();
    const t0 = Date.now();
    await test.step(CALIBRATION_STEP, visit, { box: true });
    this.samples.push(Date.now() - t0);
  }

  private async round(ctx: CollectorContext): Promise<void> {
    for (let i = 0; i < CALIBRATION_SAMPLES; i++) await this.sample(ctx, true);
    await ctx.page.goto('about:blank');
  }

  async setup(ctx: CollectorContext): Promise<void> {
    this.servers = [await startNoopServer(), await startNoopServer()];
    await this.sample(ctx, false); // warm-up: the first navigation of a fresh page pays for process start-up
    this.setupDoneAtMs = Date.now();
    await this.round(ctx);
  }

  async finish(ctx: CollectorContext): Promise<JourneyMeasurements> {
    try {
      // after a failure the page must stay as it failed, for Playwright's screenshot
      if (ctx.testInfo.status === 'passed' && !ctx.page.isClosed()) await this.round(ctx);
    } catch {
      // a page that cannot navigate any more: the samples before the journey stand
    } finally {
      for (const s of this.servers) await s.close();
    }
    const out: JourneyMeasurements = {};
    if (this.samples.length) out.calibrationMs = this.samples;
    if (this.setupDoneAtMs !== undefined) out.setupDoneAtMs = this.setupDoneAtMs;
    return out;
  }
}
