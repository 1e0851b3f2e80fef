/**
 * Harness overhead: before the journey's first step, a calibration step against a loopback page
 * that does nothing (served by this process, so it works for every env) is timed exactly like a
 * real step: `test.step` around `page.goto` and a visibility check. Its wall time is what the
 * harness itself (Playwright protocol, navigation, actionability) adds to every step. One warm-up
 * navigation first (counted in set-up, never in a step), then SAMPLES timed steps; the largest is
 * exported, so the figure is an upper estimate rather than a lucky one.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import type { JourneyMeasurements } from '../results.ts';
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

  async setup(ctx: CollectorContext): Promise<void> {
    const noop = await startNoopServer();
    try {
      const visit = async (n: number) => {
        await ctx.page.goto(`${noop.url}${CALIBRATION_PATH.slice(1)}?n=${n}`);
        await expect(ctx.page.locator('#noop')).toBeVisible();
      };
      await visit(0); // warm-up: the first navigation of a fresh page pays for process start-up
      this.setupDoneAtMs = Date.now();
      for (let i = 1; i <= CALIBRATION_SAMPLES; i++) {
        const t0 = Date.now();
        await test.step(CALIBRATION_STEP, () => visit(i), { box: true });
        this.samples.push(Date.now() - t0);
      }
      await ctx.page.goto('about:blank');
    } finally {
      await noop.close();
    }
  }

  async finish(): Promise<JourneyMeasurements> {
    const out: JourneyMeasurements = {};
    if (this.samples.length) out.calibrationMs = this.samples;
    if (this.setupDoneAtMs !== undefined) out.setupDoneAtMs = this.setupDoneAtMs;
    return out;
  }
}
