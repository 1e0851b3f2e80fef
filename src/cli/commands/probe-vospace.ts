/** `perfpulse-journeys probe vospace`: the VOSpace transfer probe (src/probes/ops/vospace.ts) on an env profile. */
import type { Command } from 'commander';
import { VOSPACE_OPTIONS, vospaceDefaults } from '../../probes/ops/vospace.ts';
import { PROBE_EXIT_CODES } from '../help.ts';
import { vospaceDelivered } from '../probe-runs.ts';
import { vospaceTable } from '../probe-tables.ts';
import { opsProbeCommand } from './probe-ops.ts';

const VOSPACE_HELP = `
What it does, for the run's user (PERFPULSE_USERNAME, PERFPULSE_PASSWORD[_FILE]; the demo user on --env local),
on each service, as vcp does (docs/probes.md):
  set-up      login, the service's endpoints from the registry, a test node left by an earlier run deleted,
              the scratch folder home/<user>/<folder> created when missing (none of it timed)
  vos_push    negotiate a pushToVoSpace transfer (POST <svc>/synctrans and its 303s), PUT the random bytes
              with Digest: md5=…, check the Digest the service answers
  vos_pull    negotiate a pullFromVoSpace transfer, GET the bytes, compare their md5 with the answer's
              Digest and with the bytes pushed (a mismatch fails as class download)
  vos_delete  DELETE <svc>/nodes/<file>
  clean-up    always, also after a failure or Ctrl-C: the test node, and the scratch folder when empty
Each operation is timed per phase: negotiate, transfer, whole (perfpulse_vos_transfer_duration_seconds{kind,phase}).
Pushed with PUT to job perfpulse_vos_transfers, group {env}. It writes to the user's storage: a plain
run does it only where the env profile enables probes.vospace (the local profile does).

Examples:
  $ perfpulse-journeys probe vospace --env local
      push, pull and delete 1 MiB on the bundled replica's vault and arc, print the exposition text
  $ PERFPULSE_USERNAME=me PERFPULSE_PASSWORD_FILE=/run/secrets/cadc \\
      perfpulse-journeys probe vospace --env prod --services arc --size 16MiB --pushgateway http://pushgateway:9091
  $ perfpulse-journeys probe vospace --env local --replica-fault "GET /arc/files/{path+}=corrupt" --dry-run
${PROBE_EXIT_CODES}`;

export function vospaceProbeCommand(): Command {
  return opsProbeCommand({
    name: 'vospace',
    description: "time a VOSpace transfer as vcp does it: push, pull (digest compared) and delete a test file under the user's home on vault and/or arc",
    help: VOSPACE_HELP,
    options: VOSPACE_OPTIONS,
    defaults: vospaceDefaults,
    onStop: 'cleaning up',
    faultExample: 'PUT /arc/files/{path+}=delay:500',
    deliver: vospaceDelivered,
    table: vospaceTable,
  });
}
