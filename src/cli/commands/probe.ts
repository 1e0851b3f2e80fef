/** `perfpulse-journeys probe k8s|http|vospace|headless`: the API probes, one subcommand each (./probe-<name>.ts). */
import { Command } from 'commander';
import { PROBE_EXIT_CODES, commanderOutput } from '../help.ts';
import { headlessProbeCommand } from './probe-headless.ts';
import { httpProbeCommand } from './probe-http.ts';
import { k8sProbeCommand } from './probe-k8s.ts';
import { vospaceProbeCommand } from './probe-vospace.ts';

export function probeCommand(): Command {
  const cmd = new Command('probe')
    .description('API probes: time the Kubernetes API (probe k8s), the CADC web services (probe http), a VOSpace transfer (probe vospace) and a headless batch job (probe headless)')
    .addHelpText('after', `\nExamples:\n  $ perfpulse-journeys probe k8s --help\n  $ perfpulse-journeys probe http --env local\n  $ perfpulse-journeys probe vospace --env local\n  $ perfpulse-journeys probe headless --env local\n${PROBE_EXIT_CODES}`);
  for (const sub of [k8sProbeCommand(), httpProbeCommand(), vospaceProbeCommand(), headlessProbeCommand()]) {
    // main.ts sets exitOverride on top-level commands only: nested ones need it too (exit 2, one line)
    sub.exitOverride().configureOutput(commanderOutput(`probe ${sub.name()}`));
    cmd.addCommand(sub);
  }
  return cmd;
}
