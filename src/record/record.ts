/**
 * `perfpulse-journeys record <name>`: Playwright's recorder (headed Chromium + the Inspector) on the
 * env's start page, then the recording turned into `journeys/<name>.journey.ts` (./convert.ts).
 *
 * The browser is Debian's Chromium (or --browser), never a download, so we start the recorder
 * ourselves (./codegen.ts) instead of `npx playwright codegen`. With credentials (the environment,
 * or the replica's demo user for --env local) the browser first logs in through /access/login in a
 * context of its own, which is not recorded, and the recorded context starts from that login; the
 * journey is then declared `{ auth: true }`. `--no-login` starts logged out (to record a login).
 *
 * Secrets: the recording, which holds whatever was typed, and the saved login live in a private
 * temporary directory (0700) that is deleted at the end; the journey is written only after the
 * converter has replaced every typed credential by a reference, and nothing printed holds them.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { credentialsFromEnv, type Credentials } from '../config/credentials.ts';
import { URL_ROLES, loadProfile, withReplicaOrigin, type EnvProfile, type UrlRole } from '../config/profile.ts';
import { ExitCode, UserError, oneLine } from '../errors.ts';
import { SLUG } from '../metrics/labels.ts';
import { startReplica } from '../replica/server.ts';
import { DEMO_USER } from '../replica/users.ts';
import { loginAndSave, type AuthState } from '../runtime/browser/auth-state.ts';
import { CHROMIUM_ARGS, browserEnv, browserVersion, expectedChromiumVersion, resolveBrowserPath, versionWarning } from '../runtime/browser/browser.ts';
import { COMPILED } from '../package.ts';
import { PROJECT_ROOT, USER_SUFFIX, availableJourneys, journeyFile, userJourneysDir } from '../runtime/runner/journeys.ts';
import { startCodegen } from './codegen.ts';
import { convertRecording, type Conversion } from './convert.ts';

export interface RecordFlags {
  env: string;
  force?: boolean;
  /** Commander's `--no-login`: false to start logged out. */
  login?: boolean;
  start?: string;
  browser?: string;
  from?: string;
  journeysDir?: string;
}

/** Where a recorded journey goes, and how it is shown and run. */
interface Target {
  file: string;
  /** The file as the user sees it: relative to the checkout, or to the working directory. */
  shown: string;
  /** What the journey imports the journey API from. */
  api: string;
  /** The user's journeys dir, when it goes there. */
  dir?: string;
}

/**
 * The journeys dir of --journeys-dir or the profile's journeys_dir; else, outside this checkout (an
 * installed package), ./journeys; else the checkout's own journeys/, as a built-in journey.
 */
function targetOf(name: string, flags: RecordFlags, profile: EnvProfile): Target {
  const dir = userJourneysDir(flags.journeysDir, profile) ?? (COMPILED ? resolve('journeys') : undefined);
  if (!dir) {
    const file = journeyFile(name);
    return { file, shown: relative(PROJECT_ROOT, file), api: '../src/runtime/api/journey.ts' };
  }
  if (availableJourneys().includes(name)) throw new UserError(`${name} is the name of a built-in journey: give yours another name (the name is its journey label)`);
  const file = join(dir, `${name}${USER_SUFFIX}`);
  return { file, shown: relative(process.cwd(), file), api: 'perfpulse-journeys', dir };
}

/**
 * Test hook, not a user option: Chromium also listens for CDP on this 127.0.0.1 port, so a test
 * can drive the recorded page from outside the process, as a user's mouse and keyboard would.
 */
export const CDP_PORT_VAR = 'PERFPULSE_RECORD_CDP_PORT';

const info = (line: string) => process.stderr.write(`${line}\n`);

export async function recordCommand(name: string, flags: RecordFlags): Promise<ExitCode> {
  // 1. Everything that can be wrong with the input, before anything starts.
  if (!SLUG.test(name)) throw new UserError(`journey name ${JSON.stringify(name)} is not a slug: use lower-case letters, digits and _, starting with a letter (e.g. "open_storage")`);
  const profile = loadProfile(flags.env);
  const target = targetOf(name, flags, profile);
  if (existsSync(target.file) && !flags.force) throw new UserError(`${target.shown} exists: pass --force to overwrite it`);
  const credentials = credentialsFromEnv(process.env, profile.replica ? DEMO_USER : undefined);
  const start = parseStart(flags.start ?? '/en/');
  if (flags.from) return fromFile(name, flags.from, profile, credentials, target);
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    throw new UserError(`record opens a headed browser and there is no display (DISPLAY is not set): run it as xvfb-run -a perfpulse-journeys record ${name}${flags.env !== 'local' ? ` --env ${flags.env}` : ''}, or on a desktop`);
  }
  const browserPath = resolveBrowserPath(flags.browser ?? process.env.PERFPULSE_BROWSER);
  const cdpPort = process.env[CDP_PORT_VAR];
  if (cdpPort !== undefined && !/^\d{1,5}$/.test(cdpPort)) throw new UserError(`${CDP_PORT_VAR} must be a port number`);
  const warning = versionWarning(browserVersion(browserPath), expectedChromiumVersion());
  if (warning) info(`warning: ${warning}`);

  const workDir = mkdtempSync(join(tmpdir(), 'perfpulse-record-'));
  const cleanups: Array<() => Promise<unknown>> = [];
  let aborted = false;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const onSignal = (sig: NodeJS.Signals) => {
    info(`received ${sig}: closing the browser, nothing written`);
    aborted = true;
    finish();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    // 2. The env: the replica for --env local, like `run`.
    let env = profile;
    if (profile.replica) {
      const replica = await startReplica();
      cleanups.push(replica.stop);
      env = withReplicaOrigin(profile, replica.origin);
      info(`replica: serving the CADC portal on ${replica.origin}`);
    }
    const startUrl = `${env.urls[start.role]}${start.path}`;

    // 3. A headed Chromium of ours, logged in first when credentials are there.
    const browser: Browser = await chromium
      .launch({
        executablePath: browserPath,
        headless: false,
        args: [...CHROMIUM_ARGS, ...(cdpPort ? [`--remote-debugging-port=${cdpPort}`, '--remote-debugging-address=127.0.0.1'] : [])],
        env: displayEnv(process.env),
        handleSIGINT: false,
        handleSIGTERM: false,
      })
      .catch((err: Error) => {
        const why = /Missing X server|no authorization protocol|cannot open display/i.exec(err.message)?.[0] ?? (err.message.split('\n')[0] as string).slice(0, 200);
        throw new UserError(`could not start a headed Chromium on display ${process.env.DISPLAY ?? process.env.WAYLAND_DISPLAY}: ${why} (try xvfb-run -a perfpulse-journeys record …)`);
      });
    cleanups.push(() => browser.close());
    let storageState: AuthState | undefined;
    const stateFile = join(workDir, 'login-state.json');
    if (credentials && flags.login !== false) {
      try {
        storageState = await loginAndSave(browser, `${env.urls.www}/access/login`, credentials, stateFile);
        info(`logged in as the configured user: recording starts from that login (the journey gets { auth: true })`);
      } catch (err) {
        info(`could not log in first (${oneLine(err)}): recording starts logged out`);
      }
    } else {
      info(flags.login === false ? 'recording starts logged out (--no-login)' : 'no credentials (PERFPULSE_USERNAME, PERFPULSE_PASSWORD_FILE): recording starts logged out');
    }
    const context = await browser.newContext(storageState ? { storageState } : {});
    rmSync(stateFile, { force: true });
    const recording = join(workDir, 'recording.spec.ts');
    await startCodegen(context, recording);

    // 4. Record until the user closes the browser (its last page), or a signal.
    browser.on('disconnected', finish);
    context.on('close', finish);
    context.on('page', (p) => p.on('close', () => context.pages().length || finish()));
    const page = await context.newPage();
    page.on('close', () => context.pages().length || finish());
    info(`recording on ${start.role}:${start.path} of env ${env.name}: do what the journey should do, then close the browser window`);
    await page.goto(startUrl).catch((err: Error) => info(`could not open ${start.role}:${start.path}: ${oneLine(err)}`));
    await finished;
    await context.close().catch(() => undefined); // makes Playwright write the recording's last actions
    await browser.close().catch(() => undefined);
    if (aborted) return ExitCode.aborted;

    // 5. Convert and write.
    const text = existsSync(recording) ? readFileSync(recording, 'utf8') : '';
    if (!/\n\s*await /.test(text)) throw new UserError(`nothing was recorded: ${target.shown} not written`);
    const result = convertRecording(text, { name, env: env.name, urls: env.urls, ...(credentials ? { credentials } : {}), auth: storageState !== undefined, api: target.api });
    writeJourney(target.file, result.source);
    report(target, name, profile.name, result);
    return ExitCode.ok;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    for (const stop of cleanups.reverse()) await stop().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * `--from <file>`: converts a recording made elsewhere (`npx playwright codegen --target
 * playwright-test -o file` on a desktop). With a replica env, the first loopback origin in it
 * (where the recording started) is the replica it was recorded on; other origins are flagged.
 */
function fromFile(name: string, file: string, profile: EnvProfile, credentials: Credentials | undefined, target: Target): ExitCode {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read recording ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let env = profile;
  if (profile.replica) {
    const first = /https?:\/\/(?:127\.\d+\.\d+\.\d+|localhost|\[::1\])(?::\d+)?(?=[/'"`])/.exec(text)?.[0];
    env = withReplicaOrigin(profile, first ?? 'http://127.0.0.1');
  }
  const auth = /\bstorageState\s*:/.test(text);
  const result = convertRecording(text, { name, env: env.name, urls: env.urls, ...(credentials ? { credentials } : {}), auth, api: target.api });
  writeJourney(target.file, result.source);
  report(target, name, profile.name, result);
  return ExitCode.ok;
}

function writeJourney(target: string, source: string): void {
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, source);
  renameSync(tmp, target);
}

function report(target: Target, name: string, env: string, r: Conversion): void {
  const { shown } = target;
  for (const note of r.notes) info(`note: ${note}`);
  if (r.foreignOrigins.length) info(`note: kept as recorded, not env ${env}'s URLs (flagged in the file): ${r.foreignOrigins.join(', ')}`);
  if (r.credentialFills) info(`typed credentials replaced by credentials.username / credentials.password: ${r.credentialFills}`);
  process.stdout.write(`wrote ${shown}: ${r.steps.length} step${r.steps.length === 1 ? '' : 's'} (${r.steps.join(', ')})\n`);
  const dir = target.dir ? ` --journeys-dir ${relative(process.cwd(), target.dir) || '.'}` : '';
  process.stdout.write(`run it: perfpulse-journeys --env ${env}${dir} --journeys ${name} --dry-run\n`);
}

/** The browser's environment (no credentials, browserEnv) plus what a display needs. */
function displayEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out = browserEnv(env);
  for (const k of ['XAUTHORITY', 'WAYLAND_DISPLAY']) if (env[k]) out[k] = env[k] as string;
  return out;
}

/** `--start /path` (on www) or `--start <role>:/path`. */
function parseStart(value: string): { role: UrlRole; path: string } {
  const m = /^(?:([a-z_]+):)?(\/.*)$/.exec(value);
  const role = (m?.[1] ?? 'www') as UrlRole;
  if (!m || !(URL_ROLES as readonly string[]).includes(role)) {
    throw new UserError(`--start ${JSON.stringify(value)}: give a path such as /en/ (on www) or <role>:/path with a role of ${URL_ROLES.join(', ')}`);
  }
  return { role, path: m[2] as string };
}
