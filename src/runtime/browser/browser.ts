/**
 * Which Chromium runs the journeys. We never download a browser: the executable comes from
 * `--browser`/PERFPULSE_BROWSER, else Playwright's own browser when one is installed, else
 * Debian's `/usr/bin/chromium`. The pinned Playwright expects one Chromium major version; another
 * one usually works but is warned about.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { UserError } from '../../errors.ts';

const require = createRequire(import.meta.url);
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export function resolveBrowserPath(explicit: string | undefined): string {
  if (explicit) {
    if (!existsSync(explicit)) throw new UserError(`browser ${explicit} does not exist (from --browser or PERFPULSE_BROWSER)`);
    return explicit;
  }
  const own = playwrightBrowsersMayExist() ? (require('playwright-core') as typeof import('playwright-core')).chromium.executablePath() : undefined;
  if (own && existsSync(own)) return own;
  if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  throw new UserError(`no Chromium found: run \`npm run setup\` (installs Debian's chromium) or pass --browser <path>`);
}

/**
 * Whether Playwright may have downloaded a Chromium of its own: only then is playwright-core (~0.35 s
 * of CPU to load) asked for its path. Its browsers live in PLAYWRIGHT_BROWSERS_PATH (`0`: inside the
 * package) or the user's cache folder (`ms-playwright`), one `chromium-<revision>` folder each.
 */
export function playwrightBrowsersMayExist(env: NodeJS.ProcessEnv = process.env): boolean {
  const set = env.PLAYWRIGHT_BROWSERS_PATH;
  if (set === '0') return true;
  const dirs = set
    ? [set]
    : [join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ms-playwright'), join(homedir(), 'Library', 'Caches', 'ms-playwright'), ...(env.LOCALAPPDATA ? [join(env.LOCALAPPDATA, 'ms-playwright')] : [])];
  return dirs.some((d) => {
    try {
      return readdirSync(d).some((e) => e.startsWith('chromium'));
    } catch {
      return false;
    }
  });
}

/** `156.0.8078.79` from `<exe> --version`, or undefined when it cannot be read. */
export function browserVersion(executable: string): string | undefined {
  const out = spawnSync(executable, ['--version'], { encoding: 'utf8', timeout: 15_000 });
  return /(\d+\.\d+\.\d+\.\d+)/.exec(out.stdout ?? '')?.[1];
}

/** The Chromium version the installed playwright-core was built for. */
export function expectedChromiumVersion(): string {
  const file = join(dirname(require.resolve('playwright-core/package.json')), 'browsers.json');
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { browsers: { name: string; browserVersion: string }[] };
  return doc.browsers.find((b) => b.name === 'chromium')?.browserVersion ?? 'unknown';
}

/** A warning line when the majors differ, else undefined. */
export function versionWarning(actual: string | undefined, expected: string): string | undefined {
  const major = (v: string | undefined) => v?.split('.')[0];
  if (!actual) return `could not read the browser's version; Playwright ${playwrightVersion()} expects Chromium ${expected}`;
  if (major(actual) !== major(expected)) {
    return `Chromium ${actual} differs from the ${major(expected)}.x that Playwright ${playwrightVersion()} expects; timings may shift or actions may fail`;
  }
  return undefined;
}

export function playwrightVersion(): string {
  return (require('playwright-core/package.json') as { version: string }).version;
}

/** Chromium flags for a closed network and a container (engineering-notes.md). */
export const CHROMIUM_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--disable-gpu',
];

/** The test hook that gives Chromium host-resolver rules (docs/faults.md): never set it in production. */
export const HOST_RULES_VAR = 'PERFPULSE_TEST_HOST_RESOLVER_RULES';

/**
 * Chromium's `--host-resolver-rules` from PERFPULSE_TEST_HOST_RESOLVER_RULES, checked: a test of the
 * fault matrix makes a name not resolve (`MAP name ~NOTFOUND`) or resolve to loopback
 * (`MAP name 127.0.0.1`) inside Chromium, with no real lookup. Only those two forms, and only
 * loopback targets, so the hook can never point a journey at another machine. Undefined when unset.
 */
export function hostResolverRules(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env[HOST_RULES_VAR]?.trim();
  if (!raw) return undefined;
  for (const rule of raw.split(',').map((r) => r.trim())) {
    if (!/^MAP [A-Za-z0-9.*-]+ (?:~NOTFOUND|127(?:\.\d{1,3}){3}|\[::1\]|localhost)(?::\d{1,5})?$/.test(rule)) {
      throw new UserError(`${HOST_RULES_VAR}: bad rule ${JSON.stringify(rule)}: use "MAP <host> ~NOTFOUND" or "MAP <host> 127.0.0.1" (loopback only), comma-separated`);
    }
  }
  return raw;
}

/** The Chromium flags of a run: CHROMIUM_ARGS, and the test hook's host-resolver rules when the handoff has them. */
export function chromiumArgs(hostRules: string | undefined): string[] {
  return hostRules ? [...CHROMIUM_ARGS, `--host-resolver-rules=${hostRules}`] : CHROMIUM_ARGS;
}

/**
 * The only environment Chromium gets: no credentials, tokens or gateway URLs. DISPLAY and
 * XAUTHORITY (the X server's cookie file, set by xvfb-run) let a --headed browser open its window.
 */
export function browserEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const keep = ['HOME', 'PATH', 'TMPDIR', 'LANG', 'LC_ALL', 'TZ', 'DISPLAY', 'XAUTHORITY', 'XDG_RUNTIME_DIR', 'FONTCONFIG_PATH'];
  const out: Record<string, string> = {};
  for (const k of keep) if (env[k]) out[k] = env[k] as string;
  return out;
}
