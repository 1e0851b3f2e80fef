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

/** At most this many distinct `page` label values per journey; further pages become `other`. */
export const MAX_PAGES_PER_JOURNEY = 20;

/**
 * The `page` label of a document: a slug of the first two segments of its path, so that it stays
 * low-cardinality and never carries a URL, a query, a user or an id. Segments that look like ids
 * (only digits or hex, four digits or more, more than 32 characters, not starting with a letter) are
 * dropped; a file extension is dropped; `/` is `root`.
 *   /access/login → access_login   /en/ → en   /en/login.html → en_login   /storage/vault/123 → storage_vault
 */
export function pageSlug(pathname: string): string {
  const words = pathname
    .split('/')
    .map((s) => s.replace(/\.[a-z0-9]{1,5}$/i, '').toLowerCase())
    .filter((s) => /^[a-z]/.test(s) && s.length <= 32 && !/^[0-9a-f-]{8,}$/.test(s) && (s.match(/\d/g) ?? []).length < 4)
    .slice(0, 2)
    .map((s) => s.replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, ''))
    .filter(Boolean);
  const slug = words.join('_').slice(0, 48).replace(/_+$/, '');
  return slug || 'root';
}
