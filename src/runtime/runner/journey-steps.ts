/**
 * The steps of a journey, read from its source (`journeys/<name>.journey.ts`) without running it:
 * every `step('<name>', …)` call in file order. A step after a guard `if (!<option>) return;` at
 * its own block level or an outer one runs only when that option is on (science_portal's launch
 * steps after `if (!launch) return;`); it is marked optional with the option's name.
 *
 * A static read, so `perfpulse-journeys journeys` needs no browser; test/loop.test.ts proves it
 * matches the steps a real run reports.
 */
import { readFileSync } from 'node:fs';
import { journeyFile } from './journeys.ts';

export interface StepInfo {
  name: string;
  /** The journey option that must be on for this step to run (e.g. `launch`); absent = always runs. */
  optionalOn?: string;
}

const indentAt = (code: string, index: number) => {
  const lineStart = code.lastIndexOf('\n', index) + 1;
  return /^[ \t]*/.exec(code.slice(lineStart))?.[0].length ?? 0;
};

export function journeySteps(journey: string, file = journeyFile(journey)): StepInfo[] {
  const source = readFileSync(file, 'utf8');
  // blank out comments (keeping offsets and line breaks) so documented steps are not counted
  const code = source.replace(/\/\*[\s\S]*?\*\/|^[ \t]*\/\/.*$/gm, (c) => c.replace(/[^\n]/g, ' '));
  const guards = [...code.matchAll(/^[ \t]*if\s*\(\s*!\s*([\w.]+)\s*\)\s*return\s*;?[ \t]*$/gm)].map((m) => ({
    at: m.index,
    indent: indentAt(code, m.index),
    option: (m[1] as string).split('.').pop() as string,
  }));
  const steps: StepInfo[] = [];
  for (const m of code.matchAll(/\bstep\(\s*(['"`])([A-Za-z0-9_]+)\1/g)) {
    const indent = indentAt(code, m.index);
    const guard = guards.filter((g) => g.at < m.index && g.indent <= indent).pop();
    steps.push(guard ? { name: m[2] as string, optionalOn: guard.option } : { name: m[2] as string });
  }
  return steps;
}
