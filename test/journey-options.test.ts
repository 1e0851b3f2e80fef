/**
 * Journey options: each journey declares its options' schema beside its code
 * (journeys/<name>.journey.ts), the profile's `journeys:` section is checked against them
 * (src/runtime/runner/declarations.ts), and `replica_faults:` (docs/environments.md).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadProfile, parseProfile } from '../src/config/profile.ts';
import { withJourneyOptions } from '../src/cli/run-plan.ts';
import { journeyDeclarations, journeySteps, resolveJourneyOptions } from '../src/runtime/runner/declarations.ts';
import { availableJourneys } from '../src/runtime/runner/journeys.ts';

const urls = `urls:\n${['www', 'canfar', 'ws_cadc', 'ws', 'ws_uv'].map((r) => `  ${r}: https://${r}.example.org`).join('\n')}\n`;

/** The defaults the journeys declare: values that exist on the real portals (cadc-reference.md §3, §4.1, §5). */
const DEFAULTS = {
  download: { file: '/data/pub/CFHT/1722795p.fits.fz', timeout_seconds: 300 },
  login: {},
  science_portal: { launch: false, session_type: 'notebook', image: 'skaha/astroml:latest', timeout_seconds: 300 },
  search: { target: 'M101', collection: 'CFHT', timeout_seconds: 60 },
  storage: {},
};

describe('journey declarations', () => {
  it('every journey file declares itself under its file name, with its steps', async () => {
    const all = await journeyDeclarations();
    assert.deepEqual(all.map((d) => d.name), availableJourneys());
    assert.deepEqual((await journeySteps('science_portal')).filter((s) => s.optionalOn).map((s) => `${s.name}:${s.optionalOn}`), [
      'launch_session:launch',
      'wait_running:launch',
      'delete_session:launch',
    ]);
    assert.equal(all.find((d) => d.name === 'storage')?.auth, true);
    assert.equal(all.find((d) => d.name === 'search')?.auth, false);
  });
});

describe('env profile journey options', () => {
  it('fills the declared defaults, and every built-in profile leaves launching off', async () => {
    for (const name of ['local', 'prod', 'staging']) {
      const p = await withJourneyOptions(loadProfile(name), false);
      assert.deepEqual(p.journeys, DEFAULTS, name);
      assert.deepEqual(p.replicaFaults, []);
    }
  });

  it('reads the options a user sets, and --launch-sessions turns launching on', async () => {
    const p = parseProfile(
      `name: mine\n${urls}journeys:\n  search:\n    target: "NGC 1275"\n    collection: ""\n    timeout_seconds: 30\n  download:\n    file: /data/pub/JCMT/x.sdf\n  science_portal:\n    image: skaha/carta:4.1\n    session_type: carta\n`,
      'mine.yaml',
    );
    const run = await withJourneyOptions(p, false);
    assert.deepEqual(run.journeys.search, { target: 'NGC 1275', collection: '', timeout_seconds: 30 });
    assert.equal(run.journeys.download?.file, '/data/pub/JCMT/x.sdf');
    assert.equal(run.journeys.science_portal?.session_type, 'carta');
    assert.equal(run.journeys.science_portal?.launch, false);
    assert.equal((await withJourneyOptions(p, true)).journeys.science_portal?.launch, true);
    assert.deepEqual(p.journeys.science_portal, { image: 'skaha/carta:4.1', session_type: 'carta' }, 'the loaded profile is not changed');
  });

  it('refuses bad options with one line naming the profile, the field and what it must be', async () => {
    const cases: Array<[string, RegExp]> = [
      ['journeys: [1]', /^env profile mine\.yaml: journeys: must be a mapping of journey name to options/],
      ['journeys:\n  search: 3', /^env profile mine\.yaml: journeys\.search: must be a mapping/],
      ['journeys:\n  nope: {}', /^env profile mine\.yaml: journeys\.nope: unknown journey; available are download, login, science_portal, search, storage$/],
      ['journeys:\n  serach: {}', /^env profile mine\.yaml: journeys\.serach: unknown journey; did you mean search\?$/],
      ['journeys:\n  search:\n    timeout: 5', /^env profile mine\.yaml: journeys\.search\.timeout: unknown key; did you mean timeout_seconds\?$/],
      ['journeys:\n  login:\n    target: x', /^env profile mine\.yaml: journeys\.login\.target: unknown key; nothing may be set here$/],
      ['journeys:\n  search:\n    target: ""\n    collection: ""', /^env profile mine\.yaml: journeys\.search: needs a target or a collection$/],
      ['journeys:\n  search:\n    target: 5', /^env profile mine\.yaml: journeys\.search\.target: must be a string$/],
      ['journeys:\n  search:\n    timeout_seconds: -1', /^env profile mine\.yaml: journeys\.search\.timeout_seconds: must be a number of seconds between 0 and 3600$/],
      ['journeys:\n  search:\n    timeout_seconds: 4000', /timeout_seconds: must be a number of seconds between 0 and 3600$/],
      ['journeys:\n  download:\n    file: ""', /^env profile mine\.yaml: journeys\.download\.file: must be a non-empty string$/],
      ['journeys:\n  download:\n    file: data/pub/x', /journeys\.download\.file: must be a path such as \/data\/pub\/CFHT\/1722795p\.fits\.fz$/],
      ['journeys:\n  science_portal:\n    launch: "yes"', /journeys\.science_portal\.launch: must be true or false$/],
      ['journeys:\n  science_portal:\n    image: ""', /journeys\.science_portal\.image: must be a non-empty string$/],
    ];
    for (const [yaml, message] of cases) {
      await assert.rejects(
        async () => withJourneyOptions(parseProfile(`name: mine\n${urls}${yaml}\n`, 'mine.yaml'), false),
        (err: Error) => err.name === 'UserError' && message.test(err.message),
        yaml,
      );
    }
  });

  it('refuses bad replica faults', () => {
    const cases: Array<[string, RegExp]> = [
      ['replica_faults:\n  - "GET /en/=hang"', /replica_faults: needs replica: true/],
      ['replica_faults: "GET /en/=hang"', /replica_faults: must be a list/],
    ];
    for (const [yaml, message] of cases) assert.throws(() => parseProfile(`name: mine\n${urls}${yaml}\n`, 'mine.yaml'), message, yaml);
  });

  it('the options resolved with no journeys: section are the declared defaults', async () => {
    assert.deepEqual(await resolveJourneyOptions({}, 'x'), DEFAULTS);
  });
});
