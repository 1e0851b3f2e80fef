/** `perfpulse-journeys init [dir]`: flags, help and examples. */
import { Command } from 'commander';
import { initCommand } from '../init.ts';

const INIT_HELP = `
Writes a monitoring project of your own into <dir> (default: the current directory):
  package.json       perfpulse-journeys and the Node it runs on, pinned
  env.yaml           an env profile to edit (your portal's URLs), journeys_dir: journeys
  journeys/          search_page.journey.ts, an example journey that passes on --env local
  kustomization.yaml an overlay of the package's deploy/ manifests, with your profile and journeys
  README.md          the two commands, then what to edit
  tsconfig.json, .gitignore
If any of these files is already there, nothing is written (exit 2).

Examples:
  $ perfpulse-journeys init portal-monitoring
  $ cd portal-monitoring && npm install
  $ npx perfpulse-journeys --env local --journeys-dir journeys
      the built-in journeys and the example one, on the bundled replica`;

export function initCommandDefinition(): Command {
  return new Command('init')
    .description('scaffold a monitoring project: package.json, env profile, journeys/ with an example, a kustomize overlay, README')
    .argument('[dir]', 'where (default: the current directory)', '.')
    .addHelpText('after', INIT_HELP)
    .action((dir: string) => {
      process.exitCode = initCommand(dir);
    });
}
