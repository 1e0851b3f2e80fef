/**
 * The steps each journey declares for this run, read from its declaration
 * (src/runtime/runner/declarations.ts), optional steps whose journey option is off left out. The
 * CLI writes them into the results (JourneyResult.declaredSteps) so that the verdicts can tell a
 * step never reached (src/results/verdicts.ts), and checks a budgets file against them.
 */
import type { EnvProfile } from '../config/profile.ts';
import type { RunResults } from '../results/results.ts';
import { journeySteps } from '../runtime/runner/declarations.ts';
import { journeyFile } from '../runtime/runner/journeys.ts';

/** True when the journey's option `option` is on in the profile (`journeys.science_portal.launch`). */
function optionOn(profile: EnvProfile, journey: string, option: string): boolean {
  const options = (profile.journeys as unknown as Record<string, Record<string, unknown> | undefined>)[journey];
  return options?.[option] === true;
}

/** Every step the journey declares, optional ones included (for checking a budgets file). */
export async function allSteps(journey: string, journeysDir?: string): Promise<string[]> {
  return (await journeySteps(journey, journeyFile(journey, journeysDir))).map((s) => s.name);
}

/** The steps the journey runs with this profile, in declaration order. */
export async function declaredSteps(journey: string, profile: EnvProfile, journeysDir?: string): Promise<string[]> {
  return (await journeySteps(journey, journeyFile(journey, journeysDir))).filter((s) => s.optionalOn === undefined || optionOn(profile, journey, s.optionalOn)).map((s) => s.name);
}

/** Writes every journey's declared steps into its results, in place. */
export async function withDeclaredSteps(results: RunResults, profile: EnvProfile, journeysDir?: string): Promise<RunResults> {
  const cache = new Map<string, string[]>();
  for (const j of results.journeys) {
    if (!cache.has(j.journey)) cache.set(j.journey, await declaredSteps(j.journey, profile, journeysDir).catch(() => []));
    const steps = cache.get(j.journey) as string[];
    if (steps.length) j.declaredSteps = steps;
  }
  return results;
}
