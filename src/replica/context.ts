/** What every route module of the replica shares. */
import type { FaultTable } from './faults.ts';
import type { TokenStore } from './sessions.ts';

export interface ReplicaContext {
  tokens: TokenStore;
  faults: FaultTable;
  /** Origins of further SSO sites the login chain hops through (prod: the other www host). */
  ssoPeers: string[];
}
