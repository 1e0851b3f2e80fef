/** Env profile additions: `journeys:` options and `replica_faults:` (docs/environments.md). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_JOURNEY_OPTIONS } from '../src/config/journey-options.ts';
import { loadProfile, parseProfile, withSessionLaunch } from '../src/config/profile.ts';

const urls = `urls:\n${['www', 'canfar', 'ws_cadc', 'ws', 'ws_uv'].map((r) => `  ${r}: https://${r}.example.org`).join('\n')}\n`;

describe('env profile journey options', () => {
  it('fills defaults, and every built-in profile leaves launching off', () => {
    for (const name of ['local', 'prod', 'staging']) {
      const p = loadProfile(name);
      assert.deepEqual(p.journeys, DEFAULT_JOURNEY_OPTIONS, name);
      assert.equal(p.journeys.science_portal.launch, false);
      assert.deepEqual(p.replicaFaults, []);
    }
  });

  it('reads the options a user sets, and --launch-sessions turns launching on', () => {
    const p = parseProfile(
      `name: mine\n${urls}journeys:\n  search:\n    target: "NGC 1275"\n    collection: ""\n    timeout_seconds: 30\n  download:\n    file: /data/pub/JCMT/x.sdf\n  science_portal:\n    image: skaha/carta:4.1\n    session_type: carta\n`,
      'mine.yaml',
    );
    assert.deepEqual(p.journeys.search, { target: 'NGC 1275', collection: '', timeoutSeconds: 30 });
    assert.equal(p.journeys.download.file, '/data/pub/JCMT/x.sdf');
    assert.equal(p.journeys.science_portal.sessionType, 'carta');
    assert.equal(withSessionLaunch(p).journeys.science_portal.launch, true);
    assert.equal(p.journeys.science_portal.launch, false, 'the original is not changed');
  });

  it('refuses bad options with one line naming the field', () => {
    const cases: Array<[string, RegExp]> = [
      ['journeys: [1]', /journeys: must be a mapping of journey name to options/],
      ['journeys:\n  nope: {}', /unknown journey\(s\) nope/],
      ['journeys:\n  search:\n    target: ""\n    collection: ""', /needs a target or a collection/],
      ['journeys:\n  search:\n    timeout_seconds: -1', /timeout_seconds must be a number/],
      ['journeys:\n  download:\n    file: data/pub/x', /must be a path/],
      ['journeys:\n  science_portal:\n    launch: "yes"', /launch must be true or false/],
      ['replica_faults:\n  - "GET /en/=hang"', /replica_faults: needs replica: true/],
      ['replica_faults: "GET /en/=hang"', /replica_faults: must be a list/],
    ];
    for (const [yaml, message] of cases) assert.throws(() => parseProfile(`name: mine\n${urls}${yaml}\n`, 'mine.yaml'), message, yaml);
  });
});
