/**
 * Secrets out of text that people read or that is kept: Playwright's error messages and
 * error-context.md (./failure.ts), and the traces of failed journeys (src/runtime/browser/trace-redact.ts).
 * One set of rules: credential headers' values, every given secret in the encodings it may be
 * written in, and CADC tokens.
 */

export const REDACTED = '[redacted]';

/** Request and response headers whose values are credentials. */
export const SENSITIVE_HEADERS: ReadonlySet<string> = new Set(['cookie', 'set-cookie', 'authorization', 'x-vo-bearer', 'proxy-authorization']);

/** Values inside sensitive headers: whole values, cookie values, Bearer tokens (quotes removed). */
export function secretsInHeaderValue(value: string): string[] {
  const out = [value];
  for (const part of value.split(/;\s*|,\s*/)) {
    const eq = part.indexOf('=');
    if (eq > 0) out.push(part.slice(eq + 1).replace(/^"(.*)"$/, '$1'));
  }
  const bearer = /^(?:Bearer|Basic)\s+(.+)$/i.exec(value)?.[1];
  if (bearer) out.push(bearer);
  return out.filter((s) => s.length >= 6);
}

/** A secret as it may be written: plain, URL-encoded, JSON-escaped, form-encoded. */
export function secretForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const formEncoded = new URLSearchParams({ s: secret }).toString().slice(2);
  return [...new Set([secret, encodeURIComponent(secret), json, formEncoded])].filter((s) => s.length >= 4);
}

/** ANSI escape sequences (colours, cursor moves) that Playwright's messages carry. */
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]/g;

export const stripAnsi = (text: string): string => text.replace(ANSI, '');

/** `  - authorization: Bearer …` as Playwright's call logs list a request's headers. */
const SENSITIVE_HEADER_LINE = new RegExp(`^(\\s*-\\s*)(${[...SENSITIVE_HEADERS].join('|')}):\\s*(.*)$`, 'gim');
/** CADC tokens: `base64:` + base64("expirytime=…&userid=…&signature=…") (cadc-reference.md §2.1). */
const CADC_TOKEN = /base64(:|%3A)[A-Za-z0-9+/=%_-]{8,}/gi;

/** A message without colours, credential header values (and wherever else they occur), the given secrets or CADC tokens. */
export function redactMessage(message: string, secrets: readonly string[] = []): string {
  const found = new Set<string>();
  let text = stripAnsi(message).replace(SENSITIVE_HEADER_LINE, (_all, lead: string, name: string, value: string) => {
    for (const s of secretsInHeaderValue(value.trim())) found.add(s);
    return `${lead}${name}: ${REDACTED}`;
  });
  const all = [...new Set([...secrets.filter((s) => s.length >= 4), ...found])].flatMap(secretForms).sort((a, b) => b.length - a.length);
  for (const s of all) if (text.includes(s)) text = text.split(s).join(REDACTED);
  return text.replace(CADC_TOKEN, `base64$1${REDACTED}`);
}
