/** `perfpulse-journeys probe headless`: the headless batch-job probe (src/probes/ops/headless.ts) on an env profile. */
import type { Command } from 'commander';
import { HEADLESS_OPTIONS, headlessDefaults } from '../../probes/ops/headless.ts';
import { PROBE_EXIT_CODES } from '../help.ts';
import { headlessDelivered } from '../probe-runs.ts';
import { headlessTable } from '../probe-tables.ts';
import { opsProbeCommand } from './probe-ops.ts';

const HEADLESS_HELP = `
What it does, for the run's user (PERFPULSE_USERNAME, PERFPULSE_PASSWORD[_FILE]; the demo user on --env local):
submits one headless skaha session (POST /skaha/v1/session, type=headless, image, cmd, args), watches
GET /skaha/v1/session every --poll seconds, and times, from the POST being sent (docs/probes.md):
  submit      the session id answered
  visible     the id first listed
  running     status Running first seen
  completed   status Completed (or Succeeded) first seen
  whole       the session deleted (DELETE answered)
A job not completed within --deadline fails with class timeout (counted as result="timeout"); a job that
ends Failed fails with class assertion; either way its events and logs are read for the one-line reason.
The session is always deleted, also after a failure or Ctrl-C; a session of the same name left by an
earlier run is deleted first. Pushed with PUT to job perfpulse_skaha_headless, group {env}:
perfpulse_skaha_headless_job_duration_seconds{phase}, perfpulse_skaha_headless_jobs_total{result},
perfpulse_skaha_headless_jobs_expected_count. It starts a job: a plain run does it only where the env
profile enables probes.headless (the local profile does).

Examples:
  $ perfpulse-journeys probe headless --env local
  $ PERFPULSE_USERNAME=me PERFPULSE_PASSWORD_FILE=/run/secrets/cadc \\
      perfpulse-journeys probe headless --env prod --deadline 600 --pushgateway http://pushgateway:9091
  $ perfpulse-journeys probe headless --env local --replica-fault "POST /skaha/v1/session=stuck" --deadline 10 --dry-run
${PROBE_EXIT_CODES}`;

export function headlessProbeCommand(): Command {
  return opsProbeCommand({
    name: 'headless',
    description: 'time a headless skaha batch job: submitted, listed, Running, Completed, deleted; jobs past their deadline counted',
    help: HEADLESS_HELP,
    options: HEADLESS_OPTIONS,
    defaults: headlessDefaults,
    onStop: 'deleting the session',
    faultExample: 'POST /skaha/v1/session=stuck',
    deliver: headlessDelivered,
    table: headlessTable,
  });
}
