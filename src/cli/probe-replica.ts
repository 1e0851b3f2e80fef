/**
 * The bundled replica for a probe command on an env that has one (`--env local`): started with
 * the command's `--replica-fault`s, the profile pointed at it, stopped again by `stop`. A fault on
 * an env without the replica, or one naming no route, is bad input (exit 2).
 */
import { withReplicaOrigin, type EnvProfile } from '../config/profile.ts';
import { UserError } from '../errors.ts';
import { faultTable } from '../replica/faults.ts';
import { startReplica } from '../replica/server.ts';

export interface ProbeTarget {
  profile: EnvProfile;
  stop(): Promise<void>;
}

export async function probeTarget(base: EnvProfile, faultSpecs: readonly string[], info: (line: string) => void): Promise<ProbeTarget> {
  const faults = faultTable(faultSpecs);
  if (faults.size && !base.replica) throw new UserError(`--replica-fault needs an env with the bundled replica (env ${base.name} has none)`);
  if (!base.replica) return { profile: base, stop: async () => {} };
  const replica = await startReplica({ faults });
  const unknown = [...faults.keys()].filter((k) => !replica.routeKeys.includes(k));
  if (unknown.length) {
    await replica.stop();
    throw new UserError(`--replica-fault names no replica route: ${unknown.join(', ')}`);
  }
  info(`replica: serving the CADC portal on ${replica.origin}`);
  return { profile: withReplicaOrigin(base, replica.origin), stop: replica.stop };
}
