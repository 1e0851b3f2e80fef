/**
 * What an env profile's `probes.http` sets: the services to probe, a CA to trust, and every probe
 * option that declares a profile key (./probe.ts ProbeOption `profile`, e.g. data_pub_redirect's
 * `data_file`), so a probe's option is declared once, in the probe's file. Strict: an unknown key
 * is refused naming the nearest valid one. The probe plan (../plan.ts) reads it.
 *
 *   probes:
 *     http:                              # or `http: true` for every default
 *       services: [reg, argus, ac]       # default: every service the probes know (./services.ts)
 *       data_file: CFHT/1722795p.fits.fz # /data/pub/<ARCHIVE>/<file> for the redirect probe
 *       ca: /etc/ssl/cadc-ca.pem
 *
 * Service names are checked where they are known (./services.ts parseServices).
 */
import type { z } from 'zod';
import { strict } from '../../config/schema.ts';
import { name, names, onOff } from '../options.ts';
import { HTTP_PROBES } from './registry.ts';

/** The probe options a profile may set: profile key → the option's name (`data_file` → `dataFile`). */
const PROFILE_KEYS = Object.fromEntries(HTTP_PROBES.flatMap((p) => Object.entries(p.options ?? {}).flatMap(([option, o]) => (o.profile ? [[o.profile.key, { option, ...o.profile }]] : []))));

const SECTION = strict({
  services: names('services', 'reg, ac').optional().describe('the services to probe (default: every service the probes know; docs/probes.md)'),
  ...Object.fromEntries(Object.entries(PROFILE_KEYS).map(([key, o]) => [key, name(o.what).optional().describe(o.describe)])),
  ca: name('a file path').optional().describe("a PEM file of CA certificates the probes trust besides the system's (read when the probes are planned)"),
});

/** What a run reads: the services as written (parseServices checks them), the probes' options by name, the CA file. */
export interface HttpProbesConfig {
  services?: string[];
  /** Each probe option's value from the profile (by option name, e.g. `dataFile`); undefined takes the probe's default. */
  options: Record<string, string | undefined>;
  ca?: string;
}

/** `probes.http` as written (true, null, false or a mapping) → its config, or undefined when off. */
export const HTTP_OPTIONS = onOff(SECTION, Object.keys(SECTION.shape).join(', ')).transform((v): HttpProbesConfig | undefined => {
  if (v === false) return undefined;
  const h = (v === true || v === null ? {} : v) as z.output<typeof SECTION> & Record<string, string | undefined>;
  const options = Object.fromEntries(Object.entries(PROFILE_KEYS).map(([key, o]) => [o.option, h[key]]));
  return { services: h.services, options, ...(h.ca ? { ca: h.ca } : {}) };
});
