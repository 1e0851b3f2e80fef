/**
 * Label rules shared by the catalog, the journey runtime and the profile loader. Label values
 * that come from our own names (env, journey, step) must be slugs: low-cardinality, never a URL,
 * a user, an error text or an id.
 */

/** A lower-case slug: starts with a letter, then letters, digits or `_`, at most 48 chars. */
export const SLUG = /^[a-z][a-z0-9_]{0,47}$/;

/** At most this many steps per journey, so one journey cannot flood the series count. */
export const MAX_STEPS_PER_JOURNEY = 30;

/** Throws a plain Error naming `what` when `value` is not a slug. */
export function assertSlug(what: string, value: string): void {
  if (!SLUG.test(value)) {
    throw new Error(
      `${what} ${JSON.stringify(value)} is not a slug: use lower-case letters, digits and _ (e.g. "open_login_page")`,
    );
  }
}
