/**
 * Log in once per run: the first journey that needs a logged-in browser (or the login journey,
 * when it passes) saves the browser's storage state (cookies such as CADC_SSO, localStorage) to a
 * file only this user can read (mode 0600); later journeys start from it instead of logging in
 * again. The file is thrown away when a journey lands on a login page or gets 401/403 with it, and
 * at the end of the run (results reporter), so a token never outlives the run on disk. With
 * `--users N` several workers read, save and discard it at once: writes are renamed into place and
 * a context starts from the state read into memory (readAuthState), so a worker may log in twice
 * but never reads a torn file or one deleted under it.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, BrowserContext } from '@playwright/test';
import type { Credentials } from '../../config/credentials.ts';
import type { RunHandoff } from '../runner/handoff.ts';
import { openLoginForm, submitLogin } from '../api/login-form.ts';

export const AUTH_STATE_MODE = 0o600;

/**
 * Where this run keeps its storage state: next to the run's results file (the CLI's private temp
 * dir). The fixtures and the results reporter pass the handoff they were given; journeys reach it
 * through the `savedLogin` fixture (../api/journey.ts).
 */
export function authStatePath(handoff: RunHandoff): string {
  return join(dirname(handoff.resultsFile), 'perfpulse-auth-state.json');
}

/** A Playwright storage state (cookies, localStorage per origin), as saved and as a context takes it. */
export type AuthState = Awaited<ReturnType<BrowserContext['storageState']>>;

/** Saves the context's storage state, atomically, readable by this user only (by default: this run's file). */
export async function saveAuthState(context: BrowserContext, file: string): Promise<string> {
  return writeAuthState(await context.storageState(), file);
}

/**
 * Writes a storage state to a temp file of this writer's own (pid and a random part: with
 * `--users N` several workers may save at once), then renames it over the saved login: a reader sees
 * the old file, the new one, or none, never a half-written one; the last writer wins.
 */
export function writeAuthState(state: AuthState, file: string): string {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(state), { mode: AUTH_STATE_MODE });
    chmodSync(tmp, AUTH_STATE_MODE);
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
  return file;
}

/**
 * The saved login, read once into memory, or undefined when there is none. Another worker may
 * discard it between a check and a read, so a context is started from this object, never from the
 * path: a missing file means "log in again", not a crash.
 */
export function readAuthState(file: string): AuthState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as AuthState;
  } catch {
    return undefined; // cannot happen with rename-into-place writers; treat as no saved login
  }
}

/**
 * Throws the saved login away. With a reason (a journey found it no longer works), says so on
 * stderr, so a person sees why the next journey logs in again.
 */
export function discardAuthState(reason: string | undefined, file: string): void {
  if (!existsSync(file)) return;
  rmSync(file, { force: true });
  if (reason) process.stderr.write(`saved login discarded: ${reason}\n`);
}

/** Pages that mean "you are not logged in" (cadc-reference.md §2.2, §2.4). */
export function isLoginUrl(url: string): boolean {
  try {
    const { pathname } = new URL(url);
    return /^\/access\/login\b|\/login\.html$|\/connexion\.html$/.test(pathname);
  } catch {
    return false;
  }
}

/**
 * Logs in through the CADC site's browser SSO (§2.2) in a context of its own (never traced) and
 * saves its storage state. Finds the login form as the login journey does (./login-form.ts). Waits for `/access/sso` to set CADC_SSO rather than for any page, so a
 * broken landing page does not stop the other journeys from logging in.
 */
export async function loginAndSave(browser: Browser, loginUrl: string, credentials: Credentials, file: string): Promise<AuthState> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    // the same form, found the same way, as the login journey (./login-form.ts): page or header dropdown
    const login = await openLoginForm(page, loginUrl);
    const sso = page.waitForResponse((r) => new URL(r.url()).pathname === '/access/sso', { timeout: 30_000 });
    sso.catch(() => undefined);
    const answer = await submitLogin(page, login, credentials);
    if (!answer.ok()) throw new Error(`login for the other journeys refused (${answer.status()})`);
    const hop = await sso;
    if (hop.status() >= 400) throw new Error(`SSO answered ${hop.status()}`);
    const cookies = await context.cookies();
    if (!cookies.some((c) => c.name === 'CADC_SSO')) throw new Error('login did not set CADC_SSO');
    const state = await context.storageState();
    writeAuthState(state, file);
    return state;
  } finally {
    await context.close();
  }
}
