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
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { UserError } from '../../errors.ts';
import { availableJourneys, journeyFile } from './journeys.ts';

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

const declared = new Map<string, JourneyDeclaration>();
/** Imports in progress from here (a count: several may overlap); while any is, journey() declares no test. */
let collecting = 0;

/** Called by journey(): keeps the declaration, and says whether a Playwright test is to be declared too. */
export function registerDeclaration(d: JourneyDeclaration): { declareTest: boolean } {
  declared.set(d.name, d);
  return { declareTest: collecting === 0 };
}

/** The declaration of a journey loaded in this process (the journey fixtures' lookup). */
export function loadedDeclaration(name: string): JourneyDeclaration | undefined {
  return declared.get(name);
}

/** The declarations of the named journeys (default: all this installation has), read from their files. */
export async function journeyDeclarations(names: readonly string[] = availableJourneys()): Promise<JourneyDeclaration[]> {
  const out: JourneyDeclaration[] = [];
  for (const name of names) {
    if (!declared.has(name)) {
      collecting++;
      try {
        await import(pathToFileURL(journeyFile(name)).href);
      } finally {
        collecting--;
      }
    }
    const d = declared.get(name);
    if (!d) throw new UserError(`journeys/${name}.journey.ts declares no journey named '${name}': its journey({ name }) must match the file name`);
    out.push(d);
  }
  return out;
}

export function stepsOf(d: JourneyDeclaration): StepInfo[] {
  return d.steps.map((s) => (typeof s === 'string' ? { name: s } : { name: s.name, optionalOn: s.when }));
}

/** The steps a journey declares, in order; `journeys` lists them, test/loop.test.ts compares them with a real run's. */
export async function journeySteps(name: string): Promise<StepInfo[]> {
  const [d] = await journeyDeclarations([name]);
  return stepsOf(d as JourneyDeclaration);
}

/** The candidate `word` is a prefix of (or that is a prefix of it), else the closest within 3 edits: for "did you mean" hints. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const distance = (a: string, b: string) => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let prev = row[0] as number;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const cur = row[j] as number;
        row[j] = Math.min(cur + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = cur;
      }
    }
    return row[b.length] as number;
  };
  const prefixed = candidates.find((c) => c.startsWith(word) || word.startsWith(c));
  if (prefixed) return prefixed;
  const best = candidates.map((c) => ({ c, d: distance(word, c) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= 3 ? best.c : undefined;
}

/** One journey's options from the profile's `journeys.<name>:`, defaults filled; a mistake is one line. */
export function parseJourneyOptions(d: JourneyDeclaration, raw: unknown, where: string): Record<string, unknown> {
  const r = d.options.safeParse(raw ?? {});
  if (r.success) return r.data as Record<string, unknown>;
  const issue = r.error.issues[0] as z.core.$ZodIssue;
  const path = [`journeys.${d.name}`, ...issue.path.map(String)].join('.');
  if (issue.code === 'unrecognized_keys') {
    const known = Object.keys(d.options.shape);
    const key = issue.keys[0] as string;
    const hint = nearest(key, known);
    throw new UserError(`${where}: ${path}.${key}: unknown option${hint ? `; did you mean ${hint}?` : ''} (${d.name} takes ${known.join(', ')})`);
  }
  throw new UserError(`${where}: ${path} ${issue.message}`);
}

/**
 * Every journey's options for a run: the profile's `journeys:` section checked against the
 * declarations (an unknown journey or option is refused), each journey's defaults filled in.
 */
export async function resolveJourneyOptions(raw: Readonly<Record<string, unknown>>, where: string): Promise<Record<string, Record<string, unknown>>> {
  const all = await journeyDeclarations();
  const names = all.map((d) => d.name);
  for (const name of Object.keys(raw)) {
    if (!names.includes(name)) {
      const hint = nearest(name, names);
      throw new UserError(`${where}: journeys.${name}: unknown journey${hint ? `; did you mean ${hint}?` : ''} (available are ${names.join(', ')})`);
    }
  }
  return Object.fromEntries(all.map((d) => [d.name, parseJourneyOptions(d, raw[d.name], where)]));
}
