/** What every route module of the replica shares. */
import type { Observation, ReplicaFile } from './data.ts';
import type { FaultTable } from './faults.ts';
import type { LoginForm } from './pages.ts';
import type { ReplicaImage } from './images.ts';
import type { TokenStore } from './sessions.ts';
import type { StorageHeader } from './storage-page.ts';
import type { VospaceStore } from './vospace.ts';

export interface ReplicaContext {
  tokens: TokenStore;
  faults: FaultTable;
  /** Origins of further SSO sites the login chain hops through (prod: the other www host). */
  ssoPeers: string[];
  /** Deterministic data generated at start (./data.ts). */
  data: ReplicaData;
  /** The nodes and bytes users wrote to vault and arc (./vospace.ts). */
  vospace: VospaceStore;
}

export interface ReplicaData {
  observations: Observation[];
  /** Files by `<ARCHIVE>/<name>`. */
  files: Map<string, ReplicaFile>;
  /** How long a new skaha session stays Pending before it is Running, ms. */
  sessionPendingMs: number;
  /** How long a deleted skaha session stays Terminating before it is gone, ms. */
  sessionTerminatingMs: number;
  /** How long a headless skaha session stays Running (after its Pending dwell) before it is Completed, ms. */
  headlessRunMs: number;
  /** Every home folder (`/arc/nodes/home/<user>`) holds nothing. */
  emptyHomeFolders: boolean;
  /** Which site header the storage UI's pages carry (./storage-page.ts). */
  storageHeader: StorageHeader;
  /** Where the CADC site's login form is (./pages.ts). */
  loginForm: LoginForm;
  /** The container images skaha offers (`GET /skaha/v1/image`). */
  images: readonly ReplicaImage[];
}
