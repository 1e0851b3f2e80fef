/** What every route module of the replica shares. */
import type { Observation, ReplicaFile } from './data.ts';
import type { FaultTable } from './faults.ts';
import type { ReplicaImage } from './images.ts';
import type { TokenStore } from './sessions.ts';

export interface ReplicaContext {
  tokens: TokenStore;
  faults: FaultTable;
  /** Origins of further SSO sites the login chain hops through (prod: the other www host). */
  ssoPeers: string[];
  /** Deterministic data generated at start (./data.ts). */
  data: ReplicaData;
}

export interface ReplicaData {
  observations: Observation[];
  /** Files by `<ARCHIVE>/<name>`. */
  files: Map<string, ReplicaFile>;
  /** How long a new skaha session stays Pending before it is Running, ms. */
  sessionPendingMs: number;
  /** How long a deleted skaha session stays Terminating before it is gone, ms. */
  sessionTerminatingMs: number;
  /** The container images skaha offers (`GET /skaha/v1/image`). */
  images: readonly ReplicaImage[];
}
