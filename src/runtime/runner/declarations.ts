/**
 * What each journey declares beside its code (`journey({ name, steps, options, auth }, body)` in
 * journeys/<name>.journey.ts, src/runtime/api/journey.ts): its steps in order and the zod schema of
 * its options under `journeys.<name>:` in an env profile. Nothing central lists journeys, steps or
 * options: this module reads the declarations from the journey files themselves.
 *
 * Inside the Playwright runner a journey file declares a Playwright test. Read from here (the CLI,
 * `journeys`, conformance, tests), the same file is imported while `collecting` is set, and
 * `journey()` only hands its declaration over: no test is declared, no browser is started.
 */
import { registerHooks } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { formatPath, nearestKey, unknownKeyMessage } from '../../config/schema.ts';
import { UserError } from '../../errors.ts';
import { CODE_EXT, COMPILED } from '../../package.ts';
import { journeyFile, journeyFiles, type JourneyFile } from './journeys.ts';

/** A declared step: its name, or its name and the boolean option that must be on for it to run. */
export type StepDeclaration = string | { name: string; when: string };

export interface JourneyDeclaration {
  /** The `journey` label value; the file is journeys/<name>.journey.ts. */
  name: string;
  /** Every step the journey can run, in order (the `step` label values). */
  steps: readonly StepDeclaration[];
  /** Its options (`journeys.<name>:`), strict, every key with its default. */
  options: z.ZodObject;
  /** The journey starts from the run's saved login. */
  auth: boolean;
}

export interface StepInfo {
  name: string;
  /** The journey option that must be on for this step to run (e.g. `launch`); absent = always runs. */
  optionalOn?: string;
}

/**
 * The declarations seen in this process, and how many imports from here are in progress (several
 * may overlap; while any is, journey() declares no test). On globalThis, so that a user's journey
 * importing 'perfpulse-journeys' (the package's compiled entry) and the CLI share them even where
 * they load two copies of this module (the sources in a checkout, dist/ in the package).
 */
const state: { declared: Map<string, JourneyDeclaration>; collecting: number } = ((globalThis as Record<symbol, unknown>)[
  Symbol.for('perfpulse-journeys.declarations')
] ??= { declared: new Map(), collecting: 0 }) as never;
const declared = state.declared;

/** Called by journey(): keeps the declaration, and says whether a Playwright test is to be declared too. */
export function registerDeclaration(d: JourneyDeclaration): { declareTest: boolean } {
  declared.set(d.name, d);
  return { declareTest: state.collecting === 0 };
}

/** The declaration of a journey loaded in this process (the journey fixtures' lookup). */
export function loadedDeclaration(name: string): JourneyDeclaration | undefined {
  return declared.get(name);
}

let sourcesEntry = false;
let standIn = false;

/**
 * The CLI's process (src/cli/main.ts) reads declarations only: from then on a journey file's
 * `@playwright/test` is ./playwright-stand-in.ts while it is read from here, so the CLI does not
 * load Playwright's test runner just to read what a journey declares. Never inside the runner.
 */
export function declareWithoutPlaywright(): void {
  if (standIn) return;
  standIn = true;
  const url = new URL(`./playwright-stand-in${CODE_EXT}`, import.meta.url).href;
  registerHooks({
    resolve: (specifier, context, next) =>
      specifier === '@playwright/test' && state.collecting > 0 ? { url, format: COMPILED ? 'module' : 'module-typescript', shortCircuit: true } : next(specifier, context),
  });
}

/**
 * Run from the sources (this checkout), a user's journey that imports 'perfpulse-journeys' must get
 * the journey API of these sources, not the package's compiled dist/ (which a checkout need not
 * have built): the name is resolved to ../api/index.ts for the imports made from here.
 */
function resolvePackageToSources(): void {
  if (COMPILED || sourcesEntry) return;
  sourcesEntry = true;
  const entry = pathToFileURL(fileURLToPath(new URL('../api/index.ts', import.meta.url))).href;
  registerHooks({
    resolve: (specifier, context, next) => (specifier === 'perfpulse-journeys' ? { url: entry, format: 'module-typescript', shortCircuit: true } : next(specifier, context)),
  });
}

/** The declarations of these journey files (default: the built-in journeys), read from the files. */
export async function journeyDeclarations(files: readonly JourneyFile[] = journeyFiles()): Promise<JourneyDeclaration[]> {
  const out: JourneyDeclaration[] = [];
  for (const { name, file } of files) {
    if (!declared.has(name)) {
      resolvePackageToSources();
      state.collecting++;
      try {
        await import(pathToFileURL(file).href);
      } finally {
        state.collecting--;
      }
    }
    const d = declared.get(name);
    if (!d) throw new UserError(`${file} declares no journey named '${name}': its journey({ name }) must be its file name`);
    out.push(d);
  }
  return out;
}

export function stepsOf(d: JourneyDeclaration): StepInfo[] {
  return d.steps.map((s) => (typeof s === 'string' ? { name: s } : { name: s.name, optionalOn: s.when }));
}

/** The steps a journey declares, in order; `journeys` lists them, test/loop.test.ts compares them with a real run's. */
export async function journeySteps(name: string, file: string = journeyFile(name)): Promise<StepInfo[]> {
  const [d] = await journeyDeclarations([{ name, file, from: '' }]);
  return stepsOf(d as JourneyDeclaration);
}

/** One journey's options from the profile's `journeys.<name>:`, defaults filled; a mistake is one line. */
export function parseJourneyOptions(d: JourneyDeclaration, raw: unknown, where: string): Record<string, unknown> {
  const r = d.options.safeParse(raw ?? {});
  if (r.success) return r.data as Record<string, unknown>;
  const issue = r.error.issues[0] as z.core.$ZodIssue;
  const base = ['journeys', d.name, ...issue.path];
  if (issue.code === 'unrecognized_keys') {
    const known = Object.keys(d.options.shape);
    throw new UserError(`${where}: ${formatPath([...base, issue.keys[0] as string])}: ${unknownKeyMessage(issue.keys, known)}`);
  }
  throw new UserError(`${where}: ${formatPath(base)}: ${issue.message}`);
}

/**
 * Every journey's options for a run (the built-in ones and those of the user's `userDir`): the
 * profile's `journeys:` section checked against the declarations (an unknown journey or option is refused), each journey's defaults filled in.
 */
export async function resolveJourneyOptions(
  raw: Readonly<Record<string, unknown>>,
  where: string,
  userDir?: string,
): Promise<Record<string, Record<string, unknown>>> {
  const all = await journeyDeclarations(journeyFiles(userDir));
  const names = all.map((d) => d.name);
  for (const name of Object.keys(raw)) {
    if (!names.includes(name)) {
      const hint = nearestKey(name, names);
      throw new UserError(`${where}: journeys.${name}: unknown journey; ${hint ? `did you mean ${hint}?` : `available are ${names.join(', ')}`}`);
    }
  }
  return Object.fromEntries(all.map((d) => [d.name, parseJourneyOptions(d, raw[d.name], where)]));
}
