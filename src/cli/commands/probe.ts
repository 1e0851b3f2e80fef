/** `perfpulse-journeys probe k8s|http`: the API probes, one subcommand each (./probe-k8s.ts, ./probe-http.ts). */
import { Command } from 'commander';
import { PROBE_EXIT_CODES, commanderOutput } from '../help.ts';
import { httpProbeCommand } from './probe-http.ts';
import { k8sProbeCommand } from './probe-k8s.ts';

export function probeCommand(): Command {
  const cmd = new Command('probe')
    .description('API probes: time the Kubernetes API (probe k8s) and the CADC web services (probe http)')
    .addHelpText('after', `\nExamples:\n  $ perfpulse-journeys probe k8s --help\n  $ perfpulse-journeys probe http --env local\n${PROBE_EXIT_CODES}`);
  for (const sub of [k8sProbeCommand(), httpProbeCommand()]) {
    // main.ts sets exitOverride on top-level commands only: nested ones need it too (exit 2, one line)
    sub.exitOverride().configureOutput(commanderOutput(`probe ${sub.name()}`));
    cmd.addCommand(sub);
  }
  return cmd;
}
