/** Help text and option helpers shared by the commands. */
import { ERROR_CLASSES, ERROR_CLASS_MEANING } from '../results/error-class.ts';

/** The failure classes (src/results/error-class.ts), for `run --help`. */
export const ERROR_CLASSES_HELP = `
Failure classes: every failed step gets one error_class (the label of
perfpulse_usersim_journey_failures_count; FAILED (<class>) in the table, errorClass in --json):
${ERROR_CLASSES.map((c) => `  ${c.padEnd(Math.max(...ERROR_CLASSES.map((x) => x.length)) + 2)}${ERROR_CLASS_MEANING[c]}`).join('\n')}
The steps after a failed one are "not reached" (outcome not_reached in --json and metrics).`;

export const EXIT_CODES_HELP = `
Exit codes:
  0   every journey passed and its metrics were delivered (or printed by --dry-run)
  1   a journey or a probe call failed (its metrics were still delivered)
  2   bad input: unknown env, bad flag, unreadable profile or password file, missing tool;
      for \`check\`: a check failed
  3   metrics not delivered to the Pushgateway (spooled for \`perfpulse-journeys push --replay\`)
  4   aborted by SIGINT/SIGTERM (what was measured is still delivered or spooled)
  5   metrics lint: the text breaks the naming guide (one line per finding)
  6   compare: a step got significantly slower than the baseline, beyond --threshold
  7   --fail-on-budget: a step, journey or page vital went over its fail budget (metrics still delivered)
  8   --max-run-seconds: the run watchdog ended an over-long run (what was measured is still delivered or spooled)
  70  internal error (PERFPULSE_DEBUG=1 shows the stack)`;

/** The exit codes of `probe k8s` and `probe http`. */
export const PROBE_EXIT_CODES = `
Exit codes:
  0   every probe call answered ok and the metrics were delivered (or printed by --dry-run)
  1   a probe call failed (timeout, forbidden, server_error, tls, network, other); metrics still delivered
  2   bad input: bad flag, no Kubernetes config, unknown kind or env, missing kubectl
  3   metrics not delivered to the Pushgateway
  4   aborted by SIGINT/SIGTERM`;

/**
 * Commander's own errors (unknown option or command, a choice not allowed, a missing value) as ONE
 * line naming the command whose --help lists what is allowed: commander's suggestion line
 * ("(Did you mean http?)") joins it.
 */
export function commanderOutput(path: string): { outputError: (text: string, write: (s: string) => void) => void } {
  const help = `perfpulse-journeys ${path ? `${path} ` : ''}--help`;
  return {
    outputError: (text, write) => {
      const line = text.replace(/^error: /, '').split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
      write(`perfpulse-journeys: ${line}${line.includes('--help') ? '' : ` (${help} lists what is allowed)`}\n`);
    },
  };
}

/** Commander accumulator for a repeatable option. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
