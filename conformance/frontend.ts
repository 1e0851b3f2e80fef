/**
 * Conformance: the unchanged journeys run on the portals' real front-end code, served from local clones
 * of their repositories, against the bundled replica's services (docs/conformance.md).
 *
 * One browser-facing origin (the conformance proxy, conformance/proxy.ts) carries every URL role of the
 * generated env profile. For each request it asks the front ends in order whether they own it
 * (`owns`); the first that does answers from its own server, everything else goes to the replica.
 * A front end is one file under conformance/frontends/, exporting a FrontEnd.
 */

export interface FrontEndSource {
  /** A git work tree of the front end's repository (read-only; a build the harness needs must already be in it). */
  dir: string;
  /** `git rev-parse HEAD` of that work tree. */
  commit: string;
}

export interface FrontEndStartOptions {
  source: FrontEndSource;
  /** The replica's origin (http://127.0.0.1:<port>): the services a front end's own server calls. */
  replicaOrigin: string;
  /** The origin the browser sees (the proxy's): what server-rendered markup and redirects must name. */
  publicOrigin: string;
}

export interface RunningFrontEnd {
  /** Origin of this front end's own server on 127.0.0.1; the proxy forwards the requests it owns there. */
  origin: string;
  stop(): Promise<void>;
}

export interface FrontEnd {
  /** Short name, also the folder name under the sources directory: `caom2ui`, `science-portal`, `storage-ui`. */
  name: string;
  /** `owner/name` on GitHub. */
  repo: string;
  /** Which journeys depend on it (docs/conformance.md lists them). */
  journeys: string[];
  /** Whether a browser request (method, path with query) is answered by this front end rather than the replica. */
  owns(method: string, path: string): boolean;
  /**
   * What of the pages the journeys use is NOT in this repository and is served from the replica instead,
   * each one line naming the part and why (e.g. the CADC site's login.js is not public).
   */
  fromReplica: string[];
  /** null when `dir` can be served as it is; else one line saying what is missing (e.g. "not built: …"). */
  check(dir: string): string | null;
  start(opts: FrontEndStartOptions): Promise<RunningFrontEnd>;
}
