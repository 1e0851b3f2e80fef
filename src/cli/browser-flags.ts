/**
 * `run --retries/--trace/--headed/--throttle/--device`: checked before anything starts, each
 * mistake one line (UserError, exit 2), turned into the handoff's BrowserOptions block.
 */
import { UserError } from '../errors.ts';
import { FLAG_RANGES, numberFlag } from './flags.ts';
import { DEFAULT_BROWSER_OPTIONS, TRACE_MODES, THROTTLE_PROFILES, closeDeviceNames, deviceNames, throttleNames, type BrowserOptions, type TraceMode } from '../runtime/browser/emulation.ts';

export const MAX_RETRIES = FLAG_RANGES['--retries'].max;

export interface BrowserFlags {
  retries?: string;
  trace?: string;
  headed?: boolean;
  throttle?: string;
  device?: string;
}

export function browserOptionsFrom(flags: BrowserFlags, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): BrowserOptions {
  const out: BrowserOptions = { ...DEFAULT_BROWSER_OPTIONS };
  if (flags.retries !== undefined) {
    out.retries = numberFlag('--retries', flags.retries);
  }
  if (flags.trace !== undefined) {
    if (!(TRACE_MODES as readonly string[]).includes(flags.trace)) {
      throw new UserError(`--trace must be one of ${TRACE_MODES.join(', ')} (got ${JSON.stringify(flags.trace)})`);
    }
    out.trace = flags.trace as TraceMode;
  }
  if (flags.headed) {
    if (platform !== 'darwin' && platform !== 'win32' && !env.DISPLAY) {
      throw new UserError('--headed needs a display and DISPLAY is not set: run it under a virtual one, e.g. `xvfb-run -a perfpulse-journeys --headed ...` (Debian package xvfb)');
    }
    out.headed = true;
  }
  if (flags.throttle !== undefined) {
    if (!(flags.throttle in THROTTLE_PROFILES)) {
      throw new UserError(`unknown --throttle profile ${JSON.stringify(flags.throttle)}: use one of ${throttleNames().join(', ')}`);
    }
    if (THROTTLE_PROFILES[flags.throttle]) out.throttle = flags.throttle;
  }
  if (flags.device !== undefined) {
    const exact = deviceNames().find((d) => d === flags.device) ?? deviceNames().find((d) => d.toLowerCase() === flags.device?.toLowerCase());
    if (!exact) {
      const close = closeDeviceNames(flags.device);
      const more = closeDeviceNames(flags.device, Infinity).length - close.length;
      const hint = close.length ? `did you mean ${close.map((d) => JSON.stringify(d)).join(', ')}${more > 0 ? ` (or ${more} more)` : ''}?` : 'Playwright knows e.g. "Pixel 7", "iPhone 15", "iPad Mini", "Desktop Chrome"';
      throw new UserError(`unknown --device ${JSON.stringify(flags.device)}: ${hint}`);
    }
    out.device = exact;
  }
  return out;
}
