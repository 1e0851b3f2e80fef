/**
 * The journeys a run can have, one file each: the built-in ones, `journeys/<name>.journey.ts` of
 * this checkout (compiled in the package: `dist/journeys/<name>.journey.js`), and, with
 * `--journeys-dir <dir>` or an env profile's `journeys_dir:`, the user's own `<dir>/<name>.journey.ts`
 * beside them (outside node_modules, so Playwright compiles their TypeScript). A user's journey may
 * not take a built-in's name: the name is its `journey` label value.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../../errors.ts';
import { SLUG } from '../../metrics/labels.ts';
import { CODE_EXT, CODE_ROOT, PACKAGE_ROOT } from '../../package.ts';

/** The checkout, or the installed package: package.json, bin/, deploy/ (../../package.ts). */
export const PROJECT_ROOT = PACKAGE_ROOT;
/** The built-in journeys: journeys/ of the checkout, or dist/journeys/ of the package. */
export const JOURNEYS_DIR = join(CODE_ROOT, 'journeys');
/** How a built-in journey's file name ends where this code runs. */
export const BUILTIN_SUFFIX = `.journey${CODE_EXT}`;
/** How a user's journey file name ends. */
export const USER_SUFFIX = '.journey.ts';
/** The `from` of a built-in journey (else it is the user's journeys dir). */
export const BUILT_IN = 'built-in';

export interface JourneyFile {
  name: string;
  file: string;
  /** `built-in`, or the user's journeys dir it was found in. */
  from: string;
}

function filesIn(dir: string, suffix: string): JourneyFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .map((f) => ({ name: f.slice(0, -suffix.length), file: join(dir, f), from: dir }));
}

/** The user's journeys in `dir` (absolute), checked: a directory, slug names, none named as a built-in. */
function userJourneys(dir: string, builtIn: readonly string[]): JourneyFile[] {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new UserError(`journeys dir ${dir}: no such directory`);
  }
  if (!isDir) throw new UserError(`journeys dir ${dir} is not a directory`);
  // by their real paths: in a Kubernetes ConfigMap volume each file is a symlink, and Playwright collects only real files
  const found = filesIn(dir, USER_SUFFIX).map((j) => ({ ...j, file: realpathSync(j.file) }));
  if (!found.length) throw new UserError(`journeys dir ${dir} has no *${USER_SUFFIX} file`);
  for (const j of found) {
    if (!SLUG.test(j.name)) throw new UserError(`journeys dir ${dir}: ${j.name}${USER_SUFFIX} is not named as a journey: use lower-case letters, digits and _, starting with a letter`);
    if (builtIn.includes(j.name)) throw new UserError(`journeys dir ${dir}: ${j.name}${USER_SUFFIX} has the name of a built-in journey: rename it (the name is its journey label)`);
  }
  return found;
}

/** The user's journeys dir, absolute: `--journeys-dir` (from the working directory), else the profile's `journeys_dir`. */
export function userJourneysDir(flag: string | undefined, profile: { journeysDir?: string }): string | undefined {
  if (flag !== undefined && !flag) throw new UserError('--journeys-dir is empty: give a folder of *.journey.ts files');
  return flag ? resolve(flag) : profile.journeysDir;
}

/** Every journey a run can have, sorted by name: the built-in ones and those of `userDir` (absolute). */
export function journeyFiles(userDir?: string): JourneyFile[] {
  const builtIn = filesIn(JOURNEYS_DIR, BUILTIN_SUFFIX).map((j) => ({ ...j, from: BUILT_IN }));
  const user = userDir ? userJourneys(userDir, builtIn.map((j) => j.name)) : [];
  return [...builtIn, ...user].sort((a, b) => (a.name < b.name ? -1 : 1));
}

export function availableJourneys(userDir?: string): string[] {
  return journeyFiles(userDir).map((j) => j.name);
}

/** Validates `--journeys a,b` (all when empty) and returns the names in run order. */
export function selectJourneys(list: string | undefined, userDir?: string): string[] {
  const all = availableJourneys(userDir);
  if (!list) return all;
  const wanted = [...new Set(list.split(',').map((s) => s.trim()).filter(Boolean))];
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length) throw new UserError(`unknown journey ${unknown.join(', ')}: available are ${all.join(', ')}`);
  if (!wanted.length) throw new UserError('--journeys is empty');
  return wanted;
}

/** The file of journey `name`: the user's (in `userDir`) or a built-in one. */
export function journeyFile(name: string, userDir?: string): string {
  const found = userDir ? journeyFiles(userDir).find((j) => j.name === name) : undefined;
  return found?.file ?? join(JOURNEYS_DIR, `${name}${BUILTIN_SUFFIX}`);
}
