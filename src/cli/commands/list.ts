/** `perfpulse-journeys envs` and `perfpulse-journeys journeys`: what this installation has. */
import { Command } from 'commander';
import { URL_ROLES, builtinEnvNames, loadProfile } from '../../config/profile.ts';
import { availableJourneys } from '../../runtime/journeys.ts';

export function envsCommand(): Command {
  return new Command('envs')
    .description('list the built-in env profiles and their base URLs')
    .addHelpText('after', '\nExample:\n  $ perfpulse-journeys envs\n\nA custom profile is a .yaml file with the same fields (docs/environments.md).')
    .action(() => {
      for (const name of builtinEnvNames()) {
        const p = loadProfile(name);
        process.stdout.write(`${p.name}  ${p.description}${p.replica ? '  [bundled replica]' : ''}\n`);
        for (const role of URL_ROLES) process.stdout.write(`  ${role.padEnd(8)} ${p.urls[role]}\n`);
      }
    });
}

export function journeysCommand(): Command {
  return new Command('journeys')
    .description('list the journeys this installation has')
    .addHelpText('after', '\nExample:\n  $ perfpulse-journeys journeys\n\nEach is journeys/<name>.journey.ts; docs/journeys.md lists their steps.')
    .action(() => {
      for (const j of availableJourneys()) process.stdout.write(`${j}\n`);
    });
}
