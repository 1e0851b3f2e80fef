/** Reading VOSI documents (cadc-reference.md §7) without an XML library: the shapes are tiny. */

export interface Availability {
  available: boolean;
  /** `<vosi:note>`, for the log only (never a label). */
  note?: string;
}

const tag = (name: string) => new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${name}\\b[^>]*>([\\s\\S]*?)</(?:[A-Za-z_][\\w.-]*:)?${name}>`, 'i');

/** Parses `<vosi:availability>`; undefined when it is not one (or `available` is neither true nor false). */
export function parseAvailability(xml: string): Availability | undefined {
  if (!/<(?:[A-Za-z_][\w.-]*:)?availability\b/.test(xml)) return undefined;
  const value = tag('available').exec(xml)?.[1]?.trim().toLowerCase();
  if (value !== 'true' && value !== 'false') return undefined;
  const note = tag('note').exec(xml)?.[1]?.replace(/\s+/g, ' ').trim();
  return { available: value === 'true', note: note || undefined };
}

/** The standardIDs of a `<vosi:capabilities>` document, in order; empty when it is not one. */
export function capabilityIds(xml: string): string[] {
  if (!/<(?:[A-Za-z_][\w.-]*:)?capabilities\b/.test(xml)) return [];
  return [...xml.matchAll(/<capability\b[^>]*\bstandardID="([^"]+)"/g)].map((m) => m[1] as string);
}

/** `resourceID = URL` entries of a registry properties file (`#` comments skipped). */
export function parseRegistry(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const eq = t.indexOf('=');
    if (eq <= 0) continue;
    out.set(t.slice(0, eq).trim(), t.slice(eq + 1).trim());
  }
  return out;
}
