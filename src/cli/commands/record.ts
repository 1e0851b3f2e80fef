/** `perfpulse-journeys record <name>`: flags, help and examples. */
import { Command, Option } from 'commander';
import { builtinEnvNames } from '../../config/profile.ts';
import type { RecordFlags } from '../../record/record.ts';

const RECORD_HELP = `
Opens Chromium with the Playwright Inspector on the env's start page. Do what the journey should
do, then close the browser window: the recording becomes <name>.journey.ts in your journeys dir
(--journeys-dir, else the --env profile's journeys_dir, else ./journeys; in a checkout of
perfpulse-journeys without either, its own journeys/ as a built-in journey), with
- one step per action that commits something (a goto, Enter, a click that is not just focusing a
  field), named after it (open_<page>, click_<name>, submit_<field>); or your own steps, from
  "// step: <name>" lines in a --from recording;
- URLs of the env's hosts written as site.url('<role>', '/path'); other hosts kept and flagged;
- every typed user name or password replaced by credentials.username / credentials.password
  (never written to the file, nor printed).
With credentials (PERFPULSE_USERNAME + PERFPULSE_PASSWORD_FILE, or the replica's demo user for
--env local) the browser logs in first and the journey starts from the run's saved login
({ auth: true }). It needs a display: on a server, run it under xvfb-run -a.

Examples:
  $ perfpulse-journeys record my_search
      record on the bundled replica, starting at /en/, logged in as its demo user
  $ perfpulse-journeys record storage_upload --env local --start canfar:/storage/list/
  $ perfpulse-journeys record sso_login --no-login
      start logged out, to record a login (the typed password becomes credentials.password)
  $ PERFPULSE_USERNAME=me PERFPULSE_PASSWORD_FILE=~/.cadc-pw perfpulse-journeys record my_flow --env prod
  $ xvfb-run -a perfpulse-journeys record my_flow
      on a machine without a desktop (the browser runs on a virtual display)
  $ npx playwright codegen --target playwright-test -o rec.spec.ts http://127.0.0.1:8080/en/
  $ perfpulse-journeys record my_flow --from rec.spec.ts
      convert a recording made elsewhere (no browser needed)
  $ perfpulse-journeys record my_flow --journeys-dir ./journeys --from rec.spec.ts
      into ./journeys/my_flow.journey.ts, importing from 'perfpulse-journeys'

Then: perfpulse-journeys --env local --journeys <name> --dry-run (with --journeys-dir <dir> for yours)
Exit codes: 0 written, 2 bad input (name not a slug or a built-in's, journey exists without --force, no display,
unreadable recording), 4 aborted by SIGINT/SIGTERM (nothing written).`;

export function recordCommandDefinition(): Command {
  return new Command('record')
    .description('record a new journey in a headed browser (Playwright codegen) and write <name>.journey.ts into your journeys dir')
    .argument('<name>', 'the journey name: a slug such as my_search (its journey label and file name)')
    .addOption(new Option('-e, --env <name|file>', `env profile: ${builtinEnvNames().join(', ')}, or a .yaml file`).default('local'))
    .option('--start <path>', 'where the browser starts: a path on www, or <role>:<path> (role www, canfar, ws_cadc, ws, ws_uv)', '/en/')
    .option('--no-login', 'start logged out even when credentials are set (to record a login)')
    .addOption(new Option('--journeys-dir <dir>', "write it there, as one of your journeys (default: the --env profile's journeys_dir, else ./journeys outside a checkout)").env('PERFPULSE_JOURNEYS_DIR'))
    .option('--force', 'overwrite <name>.journey.ts if it exists', false)
    .option('--from <file>', 'convert this Playwright Test recording instead of opening a browser')
    .addOption(new Option('--browser <path>', 'Chromium executable (default: Playwright\'s own if installed, else /usr/bin/chromium)').env('PERFPULSE_BROWSER'))
    .addHelpText('after', RECORD_HELP)
    .action(async (name: string, flags: RecordFlags) => {
      // loaded when used: the recorder brings Playwright's test runner, which no other command needs in this process
      const { recordCommand } = await import('../../record/record.ts');
      process.exitCode = await recordCommand(name, flags);
    });
}
