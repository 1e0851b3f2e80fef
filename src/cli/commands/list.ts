/** `perfpulse-journeys envs` and `perfpulse-journeys journeys`: what this installation has. */
import { Command, Option } from 'commander';
import { URL_ROLES, builtinEnvNames, loadProfile } from '../../config/profile.ts';
import { journeyDeclarations, stepsOf } from '../../runtime/runner/declarations.ts';
import { journeyFiles, userJourneysDir } from '../../runtime/runner/journeys.ts';

export function envsCommand(): Command {
  return new Command('envs')
    .description('list the built-in env profiles and their base URLs')
    .addHelpText(
      'after',
      '\nExamples:\n  $ perfpulse-journeys envs\n  $ perfpulse-journeys --env staging --dry-run\n      then measure one of them, printing instead of pushing\n\nA custom profile is a .yaml file with the same fields (docs/environments.md).',
    )
    .action(() => {
      for (const name of builtinEnvNames()) {
        const p = loadProfile(name);
        process.stdout.write(`${p.name}  ${p.description}${p.replica ? '  [bundled replica]' : ''}\n`);
        for (const role of URL_ROLES) process.stdout.write(`  ${role.padEnd(8)} ${p.urls[role]}\n`);
      }
    });
}

/** How a journey option that gates steps is switched on. */
const OPTION_HINTS: Record<string, string> = { launch: '--launch-sessions' };

export function journeysCommand(): Command {
  return new Command('journeys')
    .description('list the journeys a run can have, built-in and your own (--journeys-dir), each with its steps (the step label values)')
    .addOption(new Option('--journeys-dir <dir>', "also your own <name>.journey.ts files there (default: the --env profile's journeys_dir)").env('PERFPULSE_JOURNEYS_DIR'))
    .option('-e, --env <name|file>', 'take journeys_dir from this env profile')
    .option('--json', 'one JSON document: [{journey, from, file, steps: [{step, optional, when?}]}]', false)
    .addHelpText(
      'after',
      `
Examples:
  $ perfpulse-journeys journeys
  $ perfpulse-journeys journeys --json | jq -r '.[] | .journey'
  $ perfpulse-journeys journeys --journeys-dir ./journeys
      the built-in journeys and yours, each marked with where it comes from
  $ perfpulse-journeys --journeys login,search
      then run two of them

Each is a <name>.journey.ts file (built-in: the package's journeys/; yours: --journeys-dir); its
name line says where it comes from, and the steps are those its journey({ steps }) declares. A step
marked "only with --launch-sessions" runs only when that option is on. docs/journeys.md says what
each step does.`,
    )
    .action(async (flags: { json?: boolean; journeysDir?: string; env?: string }) => {
      const dir = userJourneysDir(flags.journeysDir, flags.env ? loadProfile(flags.env) : {});
      const files = journeyFiles(dir);
      const declarations = await journeyDeclarations(files);
      const all = files.map((j, i) => ({ journey: j.name, from: j.from, file: j.file, steps: stepsOf(declarations[i] as (typeof declarations)[number]) }));
      if (flags.json) {
        const doc = all.map(({ journey, from, file, steps }) => ({
          journey,
          from,
          file,
          steps: steps.map((s) => ({ step: s.name, optional: s.optionalOn !== undefined, ...(s.optionalOn ? { when: OPTION_HINTS[s.optionalOn] ?? s.optionalOn } : {}) })),
        }));
        process.stdout.write(`${JSON.stringify(doc)}\n`);
        return;
      }
      for (const { journey, from, steps } of all) {
        process.stdout.write(`${journey}  (${from})\n`);
        const width = Math.max(...steps.map((s) => s.name.length));
        for (const s of steps) {
          const note = s.optionalOn ? `  only with ${OPTION_HINTS[s.optionalOn] ?? `the journey option ${s.optionalOn}`}` : '';
          process.stdout.write(`  ${(s.name.padEnd(width) + note).trimEnd()}\n`);
        }
      }
    });
}
