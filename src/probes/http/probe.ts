/**
 * What a CADC service probe is. Each probe is one file of this folder, listed once in
 * ./registry.ts: its name (the `probe` label), the service it probes, the options it takes, and
 * `run`, which makes its requests through the context and says what it found. The context times
 * every request with a hard deadline and no redirect followed (a redirect is part of what is
 * measured), skips a route the bundled replica does not serve, and turns a throw into a failed
 * outcome; scheduling is ./run.ts's, metrics src/metrics's, delivery src/push's. Passwords and
 * tokens never reach a detail line (the log) or a label.
 */
import type { Credentials } from '../../config/credentials.ts';
import type { UrlRole } from '../../config/profile.ts';
import type { HttpProbeOutcome } from '../../results/probes.ts';
import type { Exchange, RequestSpec } from './exchange.ts';
import type { HttpService } from './services.ts';

/** What a probe found on one service (or host): the outcome without its labels, which the scheduler adds. */
export type Measured = Omit<HttpProbeOutcome, 'service' | 'role' | 'probe'>;

/**
 * An option a probe takes: its default, and its flag on `probe http`. `profile` gives the key of
 * the env profile's `probes.http` that sets it too (./options.ts builds that section's schema from
 * these declarations).
 */
export interface ProbeOption {
  default: string;
  /** `--data-file <ARCHIVE/file>`: commander's spelling; the value arrives under the option's name. */
  flag: string;
  help: string;
  profile?: {
    /** `data_file`: the key under `probes.http`. */
    key: string;
    /** What the value must be, for the one-line refusal: `a path such as CFHT/1722795p.fits.fz`. */
    what: string;
    /** The key's line in docs/environments.md and the JSON Schema. */
    describe: string;
  };
}

export interface HttpProbe {
  /** The `probe` label value, a slug (the file is named after it). */
  name: string;
  /**
   * `each`: the probe runs on every selected service that `appliesTo` accepts, right after the
   * earlier `each` probes of that service; a service name: it runs once on that service when it is
   * selected (or when a selected probe `needs` it); `each_role`: it runs once on every URL role of
   * the env profile (the `role` label instead of `service`), whichever services are selected.
   */
  service: 'each' | 'each_role' | string;
  appliesTo?: (service: HttpService) => boolean;
  /**
   * A probe whose result this one builds on (session_list the token of token_login): that one
   * runs first, and runs even when its own service is not selected (it is not reported then).
   */
  needs?: string;
  /** Options with their defaults; the run's value (a flag or the env profile) replaces one. */
  options?: Record<string, ProbeOption>;
  /** `service` is the service's name, or the URL role's for an `each_role` probe. */
  run(ctx: HttpProbeContext, service: string): Promise<Measured>;
}

/** A request's answer, how long it took, and its phases, TLS and HTTP version (./exchange.ts). */
export interface Timed extends Pick<Exchange, 'body' | 'ms' | 'phases' | 'tls' | 'httpVersion'> {
  res: { status: number; ok: boolean; headers: Headers };
}

export interface HttpProbeContext {
  /** The service's base URL on the env profile's hosts, e.g. `https://ws.cadc-ccda.hia-iha.nrc-cnrc.gc.ca/reg`. */
  base(service: string): string;
  /** A URL role's base URL on the env profile, e.g. `https://www.canfar.net`. */
  origin(role: UrlRole): string;
  /** The run's user, when it has one (PERFPULSE_USERNAME and PERFPULSE_PASSWORD[_FILE]). */
  credentials?: Credentials;
  /** This probe's option `name`: the run's value, else the probe's default. */
  option(name: string): string;
  /** The token token_login obtained, for the probes that need one; forgotten when the run ends. */
  token?: string;
  /**
   * One request on a new connection, no redirect followed, the body read (or dropped), with the
   * run's deadline and CA; a chain that does not verify ends it before anything is sent.
   */
  fetch(url: string, init?: RequestSpec, readBody?: boolean): Promise<Timed>;
  /**
   * Times `fn`, the probe's requests starting with `METHOD url`: skipped when the bundled replica
   * does not serve that route, a failed outcome (with the time until it failed, its class, and
   * what its requests measured) when `fn` throws. The phases of the requests `fn` makes are summed
   * into the outcome, their last TLS handshake and HTTP version kept.
   */
  attempt(method: string, url: string, fn: () => Promise<Measured>): Promise<Measured>;
}

/** A detail line's part that came from the service (a VOSI note): one line, bounded. */
