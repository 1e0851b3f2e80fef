/**
 * `perfpulse-journeys run`, step 2: start what the plan needs (the bundled replica for a profile
 * that has one, a Pushgateway of its own when the user gave none and did not ask for --dry-run),
 * once for the whole loop. `cleanups` gets how to stop each, in the order they started.
 */
import { withReplicaOrigin, type EnvProfile } from '../config/profile.ts';
import { UserError } from '../errors.ts';
import { startLocalPushgateway } from '../push/local-gateway.ts';
import { startReplica, type Replica } from '../replica/server.ts';
import type { RunPlan } from './run-plan.ts';

export interface RunServices {
  /** The env profile, pointing at the replica when one was started. */
  profile: EnvProfile;
  /** With the bundled replica: which requests it serves (the probes skip the rest). */
  replicaServes: Replica['serves'] | undefined;
  /** The user's gateway or the local one; undefined for --dry-run. */
  gateway: string | undefined;
  localGateway: boolean;
}

export async function startServices(plan: RunPlan, cleanups: Array<() => Promise<void>>, info: (line: string) => void): Promise<RunServices> {
  let profile = plan.profile;
  let replicaServes: Replica['serves'] | undefined;
  if (profile.replica) {
    const replica = await startReplica({ faults: plan.faults });
    cleanups.push(replica.stop);
    replicaServes = replica.serves;
    const unknown = [...plan.faults.keys()].filter((k) => !replica.routeKeys.includes(k));
    if (unknown.length) throw new UserError(`--replica-fault names no replica route: ${unknown.join(', ')}`);
    profile = withReplicaOrigin(profile, replica.origin);
    info(`replica: serving the CADC portal on ${replica.origin}`);
  }
  let gateway = plan.gateway;
  let localGateway = false;
  if (!plan.flags.dryRun && !gateway) {
    const gw = await startLocalPushgateway();
    cleanups.push(gw.stop);
    gateway = gw.url;
    localGateway = true;
    info(`pushgateway: started ${gw.url} (persistence off)`);
  }
  return { profile, replicaServes, gateway, localGateway };
}
