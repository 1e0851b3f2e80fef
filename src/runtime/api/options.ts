/**
 * Building blocks for a journey's options schema (`journey({ options })`): zod types with the
 * one-line messages an env profile's author reads ("journeys.search.timeout_seconds must be a
 * number of seconds between 0 and 3600").
 */
import { z } from 'zod';

/** A number of seconds in (0, 3600], with its default. */
export function seconds(dflt: number) {
  const error = 'must be a number of seconds between 0 and 3600';
  return z.number({ error }).gt(0, { error }).max(3600, { error }).default(dflt);
}

/** A string, empty allowed, with its default. */
export function text(dflt: string) {
  return z.string({ error: 'must be a string' }).default(dflt);
}

/** A non-empty string, with its default. */
export function nonEmpty(dflt: string) {
  const error = 'must be a non-empty string';
  return z.string({ error }).min(1, { error }).default(dflt);
}

/** true or false, with its default. */
export function flag(dflt: boolean) {
  return z.boolean({ error: 'must be true or false' }).default(dflt);
}
