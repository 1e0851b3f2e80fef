/**
 * How a probe family declares the options an env profile's `probes.<family>` sets: a zod schema
 * beside the probes (./http/options.ts, ./k8s/options.ts; the probes that act for the user keep an
 * option table each, ./ops/options.ts), built from these blocks and the ones of
 * src/config/schema.ts. src/config only checks that `probes:` maps known families to anything (it
 * comes before the probes and cannot read them); the probe plan (./plan.ts) checks each family's
 * value against its schema before anything starts, with the one line of the profile's own schema:
 * `env profile <file>: probes.http.service: unknown key; did you mean services?` (exit 2).
 */
import { z } from 'zod';
import { describeValue, schemaProblem } from '../config/schema.ts';
import { UserError } from '../errors.ts';

/** A non-empty string, trimmed. */
export const name = (what: string) =>
  z.string({ error: (iss) => `must be ${what} (got ${describeValue(iss.input)})` }).trim().min(1, { error: `must be ${what}, not empty` });

/** A list of names; `example` shows one in the message. */
export const names = (what: string, example: string) =>
  z.array(name('a name'), { error: (iss) => `must be a list of ${what}, e.g. [${example}] (got ${describeValue(iss.input)})` });

/** `true`/`null` (take every default), `false` (off), or the section's mapping. */
export const onOff = <T extends z.ZodTypeAny>(section: T, keys: string) =>
  z.union([z.boolean(), z.null(), section], { error: (iss) => `must be true, false or a mapping with ${keys} (got ${describeValue(iss.input)})` });

/**
 * A profile's `probes.<family>` value read through the family's schema; a problem is one line
 * naming the profile and the path from `probes` (UserError, exit 2).
 */
export function familyOptions<T extends z.ZodTypeAny>(schema: T, raw: unknown, family: string, source: string): z.output<T> {
  const wrapped = z.object({ probes: z.object({ [family]: schema }) });
  const parsed = wrapped.safeParse({ probes: { [family]: raw } });
  if (!parsed.success) throw new UserError(`env profile ${source}: ${schemaProblem(parsed.error)}`);
  return (parsed.data.probes as Record<string, z.output<T>>)[family] as z.output<T>;
}
