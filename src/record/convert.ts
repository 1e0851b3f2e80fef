/**
 * Recorded Playwright Test source (what `playwright codegen` writes for `--target playwright-test`)
 * → a journey file in the project's journey API. A pure function of its inputs: no files, no
 * browser, so it is tested on committed recordings (test/fixtures/recordings/).
 *
 * What it does (docs/journeys.md, "Recording a new journey"):
 * - Steps. With `// step: <slug>` comment lines in the recording, each starts a step of that name.
 *   Otherwise a step ends with an action that commits something: a `goto`, a `press('Enter')`, or
 *   a click that is not just focusing a form field (a click followed by a fill/press/select on the
 *   same element, or a click on a textbox, checkbox, radio, combobox, searchbox or option, is not a
 *   commit). Assertions recorded right after it belong to it (they are what the user waits for);
 *   the next action starts the next step. Names come from the committing action: `open_<page>`
 *   for a goto (pageSlug of its path), `click_<name>` for a click, `submit_<field>` for Enter;
 *   they are slugs, unique (`_2`, `_3` …) and at most MAX_STEPS_PER_JOURNEY (the surplus is merged
 *   into the last step). A user name or password is never part of a step name.
 * - URLs. An absolute URL whose origin (and path prefix) is one of the profile's URL roles becomes
 *   `site.url('<role>', '<path>')`. When several roles share that base (the local replica serves
 *   all of them), the path decides (ROLE_PATHS), else the first role in URL_ROLES order. Any other
 *   origin is kept as recorded and flagged with a comment.
 * - Credentials. A string equal to the user name or the password becomes `credentials.username` /
 *   `credentials.password` (inside a longer string: a template literal using them); any fill into a
 *   password-looking field becomes `credentials.password` whatever was typed, and a fill into a
 *   user-name-looking field `credentials.username`. A password fill and the action that submits it
 *   are wrapped in `secretly()`. The secret never reaches the output: it is checked at the end.
 */
import { UserError } from '../errors.ts';
import { URL_ROLES, type UrlRole } from '../config/profile.ts';
import { MAX_STEPS_PER_JOURNEY, SLUG, pageSlug } from '../metrics/labels.ts';

export interface ConvertOptions {
  /** The journey's name (a slug): its `journey` label and file name. */
  name: string;
  /** The env's name, for the header comment and the flagged-origin comments. */
  env: string;
  /** The env profile's base URL per role, `{replica}` already filled in. */
  urls: Record<UrlRole, string>;
  /** The credentials the recording may have typed; their values are only compared, never written. */
  credentials?: { username: string; password: string };
  /** The recording started from a saved login: the journey is declared `{ auth: true }`. */
  auth: boolean;
  /** Where the journey imports the journey API from (default: a built-in's '../src/runtime/api/journey.ts'; a user's 'perfpulse-journeys'). */
  api?: string;
}

export interface Conversion {
  /** The journey file's text. */
  source: string;
  /** Step names, in order. */
  steps: string[];
  /** Origins kept as recorded because no URL role of the profile matches them. */
  foreignOrigins: string[];
  /** Fills turned into `credentials.username` / `credentials.password`. */
  credentialFills: number;
  /** Things the user should know (merged steps, …); never holds a secret. */
  notes: string[];
}

/**
 * Which role serves which path on the real portals (cadc-reference.md; the built-in journeys use
 * them so): decides between roles that share one base URL, as on the bundled replica.
 */
const ROLE_PATHS: ReadonlyArray<readonly [UrlRole, RegExp]> = [
  ['canfar', /^\/(storage|science-portal|citation|en\/docs)(\/|$)/],
  ['ws_cadc', /^\/ac(\/|$)/],
  ['ws_uv', /^\/(skaha|arc|cavern)(\/|$)/],
  ['ws', /^\/(reg|argus|data|minoc|raven|luskan|tap|youcat|sia|caom2ops|vault|cred)(\/|$)/],
  ['www', /^\//],
];

/** Form controls: a click on one only focuses it, it does not commit anything. */
const FIELD_ROLES = /getByRole\('(textbox|checkbox|radio|combobox|searchbox|spinbutton|option|slider|switch)'/;
const PASSWORD_FIELD = /pass(word|wd|phrase)?\b|pwd|secret/i;
const USERNAME_FIELD = /user[-_ ]?(name|id)\b|\busername|login[-_ ]?name|\buser\b/i;

interface Literal {
  start: number;
  end: number;
  value: string;
}

type Kind = 'goto' | 'click' | 'press' | 'fill' | 'select' | 'check' | 'assert' | 'other' | 'glue';

interface Statement {
  /** As recorded (its lines relative to the statement's first line's indentation). */
  text: string;
  kind: Kind;
  /** `page`, `page1` … the statement acts on. */
  subject?: string;
  /** The locator chain text of an element action (`getByRole('button', { name: 'Login' })`). */
  locator?: string;
  /** Rewritten text. */
  out: string;
  comments: string[];
  fillsPassword: boolean;
  /** `// step: name` marker that precedes it. */
  marker?: string;
  /** Hoisted declaration: `const page1 = await page1Promise;` */
  declares?: { name: string; type: 'Page' | 'Download' };
}

interface Step {
  name?: string;
  statements: Statement[];
  commit?: Statement;
}

export function convertRecording(recorded: string, opts: ConvertOptions): Conversion {
  if (!SLUG.test(opts.name)) throw new UserError(`journey name ${JSON.stringify(opts.name)} is not a slug: use lower-case letters, digits and _ (e.g. "open_storage")`);
  const { use, body } = splitTest(recorded);
  const foreign = new Set<string>();
  let credentialFills = 0;
  const notes: string[] = [];
  const statements = splitStatements(body).map((item) => classify(item.text, item.marker));
  for (const s of statements) {
    const r = rewrite(s, opts, foreign);
    s.out = r.text;
    s.comments.push(...r.comments);
    credentialFills += r.credentialFills;
    s.fillsPassword = r.fillsPassword;
  }
  const steps = groupSteps(statements);
  if (!steps.length) throw new UserError('the recording has no actions: nothing to turn into a journey');
  const limited = limitSteps(steps, notes);
  nameSteps(limited, opts);
  hoist(limited);
  const useText = rewriteUse(use, notes);
  const source = render(limited, opts, useText, [...foreign]);
  assertNoSecret(source, opts.credentials);
  return { source, steps: limited.map((s) => s.name as string), foreignOrigins: [...foreign], credentialFills, notes };
}

// ---------------------------------------------------------------------------------------------
// Parsing: codegen writes `import …; [test.use(…);] test('test', async ({ page }) => { … });`
// ---------------------------------------------------------------------------------------------

function splitTest(recorded: string): { use?: string; body: string } {
  const text = recorded.replace(/\r\n/g, '\n');
  const open = /^test\((['"`]).*?\1,\s*async\s*\(\s*\{[^}]*\}\s*\)\s*=>\s*\{[ \t]*$/m.exec(text);
  if (!open) throw new UserError("not a Playwright Test recording: no test('…', async ({ page }) => { … }) in it");
  const start = open.index + open[0].length;
  const close = text.lastIndexOf('\n});');
  if (close < start) throw new UserError('not a Playwright Test recording: the test body does not end with "});"');
  const head = text.slice(0, open.index);
  const useAt = head.search(/^test\.use\(/m);
  const use = useAt >= 0 ? head.slice(useAt).trim() : undefined;
  return { use, body: text.slice(start, close + 1) };
}

/** Splits the test body into statements (and `// step:` markers), respecting strings and brackets. */
function splitStatements(body: string): Array<{ text: string; marker?: string }> {
  const out: Array<{ text: string; marker?: string }> = [];
  let depth = 0;
  let current = '';
  let marker: string | undefined;
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === "'" || c === '"' || c === '`') {
      const end = endOfString(body, i);
      current += body.slice(i, end);
      i = end - 1;
      continue;
    }
    if (c === '/' && body[i + 1] === '/') {
      const eol = body.indexOf('\n', i);
      const comment = body.slice(i, eol < 0 ? body.length : eol);
      i = (eol < 0 ? body.length : eol) - 1;
      if (depth === 0 && !current.trim()) {
        const m = /^\/\/\s*step:\s*(.*?)\s*$/.exec(comment);
        if (m) marker = m[1] as string;
        continue;
      }
      current += comment;
      continue;
    }
    if ('([{'.includes(c)) depth++;
    if (')]}'.includes(c)) depth--;
    current += c;
    if (c === ';' && depth === 0) {
      out.push({ text: dedent(current), ...(marker !== undefined ? { marker } : {}) });
      marker = undefined;
      current = '';
    }
  }
  if (current.trim()) out.push({ text: dedent(current), ...(marker !== undefined ? { marker } : {}) });
  if (marker !== undefined) throw new UserError(`"// step: ${marker}" is followed by no action`);
  return out;
}

function endOfString(text: string, at: number): number {
  const q = text[at];
  for (let i = at + 1; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
      continue;
    }
    if (text[i] === q) return i + 1;
  }
  return text.length;
}

/** Drops blank lines around the statement and the first line's indentation from every line. */
function dedent(raw: string): string {
  const lines = raw.replace(/^\s*\n/, '').replace(/\s+$/, '').split('\n');
  const indent = /^[ \t]*/.exec(lines[0] ?? '')?.[0].length ?? 0;
  return lines.map((l) => l.slice(Math.min(indent, /^[ \t]*/.exec(l)?.[0].length ?? 0))).join('\n');
}

function classify(text: string, marker: string | undefined): Statement {
  const base: Statement = { text, kind: 'other', out: text, comments: [], fillsPassword: false, ...(marker !== undefined ? { marker } : {}) };
  const declared = /^const (\w+) = await (\w+)Promise;$/.exec(text);
  if (declared) {
    const promise = declared[2] as string;
    return { ...base, kind: 'other', declares: { name: declared[1] as string, type: /^download/.test(promise) ? 'Download' : 'Page' } };
  }
  if (!text.startsWith('await ')) return { ...base, kind: 'glue' };
  if (/^await expect\(/.test(text)) return { ...base, kind: 'assert', subject: /^await expect\((\w+)/.exec(text)?.[1] };
  const goto = /^await (\w+)\.goto\(/.exec(text);
  if (goto) return { ...base, kind: 'goto', subject: goto[1] };
  // Matched on the text with every string's contents blanked, so a typed ".x(" cannot fool it.
  const call = /^await (\w+)\.(.*)\.(\w+)\(([\s\S]*)\);$/.exec(masked(text));
  if (!call) return base;
  const [, subject, maskedLocator, method] = call as unknown as [string, string, string, string];
  const locator = text.slice(`await ${subject}.`.length, `await ${subject}.`.length + maskedLocator.length);
  const kinds: Record<string, Kind> = {
    click: 'click',
    dblclick: 'click',
    press: 'press',
    fill: 'fill',
    selectOption: 'select',
    setInputFiles: 'select',
    check: 'check',
    uncheck: 'check',
  };
  return { ...base, kind: kinds[method] ?? 'other', subject, locator };
}

// ---------------------------------------------------------------------------------------------
// Rewriting one statement: URLs, credentials
// ---------------------------------------------------------------------------------------------

/** `text` with the contents of every string literal replaced by spaces (same length). */
function masked(text: string): string {
  let out = text;
  for (const l of literalsOfAll(text)) out = out.slice(0, l.start + 1) + ' '.repeat(l.end - l.start - 2) + out.slice(l.end - 1);
  return out;
}

function literalsOfAll(text: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== "'" && c !== '"' && c !== '`') continue;
    const end = endOfString(text, i);
    out.push({ start: i, end });
    i = end - 1;
  }
  return out;
}

function literalsOf(text: string): Literal[] {
  const out: Literal[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== "'" && c !== '"' && c !== '`') continue;
    const end = endOfString(text, i);
    const raw = text.slice(i + 1, end - 1);
    if (c !== '`' || !raw.includes('${')) out.push({ start: i, end, value: unescape(raw) });
    i = end - 1;
  }
  return out;
}

function unescape(raw: string): string {
  return raw.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[\s\S])/g, (_, e: string) => {
    if (e.startsWith('u{')) return String.fromCodePoint(parseInt(e.slice(2, -1), 16));
    if (e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '0': '\0' } as Record<string, string>)[e] ?? e;
  });
}

/** A single-quoted TypeScript string literal. */
export function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')}'`;
}

function templatePart(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** `value` as an expression in which the credentials are references. */
function withCredentialRefs(value: string, creds: ConvertOptions['credentials']): { expr: string; used: boolean } {
  if (!creds) return { expr: quote(value), used: false };
  if (creds.password && value === creds.password) return { expr: 'credentials.password', used: true };
  if (creds.username && value === creds.username) return { expr: 'credentials.username', used: true };
  const parts: Array<{ text: string } | { ref: string }> = [];
  const pw = creds.password;
  const user = creds.username;
  const userRe = user && user.length >= 3 ? new RegExp(`(?<![A-Za-z0-9])${escapeRe(user)}(?![A-Za-z0-9])`, 'g') : undefined;
  let rest = value;
  const push = (segment: string) => {
    if (!userRe) return segment && parts.push({ text: segment });
    let last = 0;
    for (const m of segment.matchAll(userRe)) {
      if ((m.index as number) > last) parts.push({ text: segment.slice(last, m.index) });
      parts.push({ ref: 'credentials.username' });
      last = (m.index as number) + m[0].length;
    }
    if (last < segment.length) parts.push({ text: segment.slice(last) });
  };
  if (pw) {
    let at: number;
    while ((at = rest.indexOf(pw)) >= 0) {
      push(rest.slice(0, at));
      parts.push({ ref: 'credentials.password' });
      rest = rest.slice(at + pw.length);
    }
  }
  push(rest);
  if (!parts.some((p) => 'ref' in p)) return { expr: quote(value), used: false };
  return { expr: `\`${parts.map((p) => ('ref' in p ? `\${${p.ref}}` : templatePart(p.text))).join('')}\``, used: true };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The role whose base URL holds `url`, and the path below it; undefined for other origins. */
export function roleFor(url: URL, urls: Record<UrlRole, string>): { role: UrlRole; path: string } | undefined {
  const target = `${url.origin}${url.pathname}`;
  let best: { role: UrlRole; base: string }[] = [];
  for (const role of URL_ROLES) {
    let base: URL;
    try {
      base = new URL(urls[role]);
    } catch {
      continue;
    }
    const prefix = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
    if (target !== prefix && !target.startsWith(`${prefix}/`)) continue;
    if (!best.length || prefix.length > (best[0] as { base: string }).base.length) best = [{ role, base: prefix }];
    else if (prefix.length === (best[0] as { base: string }).base.length) best.push({ role, base: prefix });
  }
  if (!best.length) return undefined;
  const base = (best[0] as { base: string }).base;
  const path = `${target.slice(base.length) || '/'}${url.search}${url.hash}`;
  const tied = best.map((b) => b.role);
  const hinted = ROLE_PATHS.find(([role, re]) => tied.includes(role) && re.test(path))?.[0];
  return { role: hinted ?? (tied[0] as UrlRole), path };
}

function rewrite(s: Statement, opts: ConvertOptions, foreign: Set<string>) {
  const comments: string[] = [];
  let credentialFills = 0;
  let fillsPassword = false;
  const literals = literalsOf(s.text);
  const fillArg = s.kind === 'fill' ? literals[literals.length - 1] : undefined;
  const field = s.locator ?? '';
  let text = s.text;
  for (const lit of [...literals].reverse()) {
    let expr: string | undefined;
    if (lit === fillArg && PASSWORD_FIELD.test(field)) {
      expr = 'credentials.password';
    } else if (lit === fillArg && USERNAME_FIELD.test(field) && !PASSWORD_FIELD.test(field)) {
      expr = 'credentials.username';
    } else if (/^https?:\/\//i.test(lit.value)) {
      let url: URL | undefined;
      try {
        url = new URL(lit.value);
      } catch {
        url = undefined;
      }
      const match = url && roleFor(url, opts.urls);
      if (match) expr = `site.url(${quote(match.role)}, ${withCredentialRefs(match.path, opts.credentials).expr})`;
      else if (url) {
        foreign.add(url.origin);
        comments.push(`// perfpulse: ${url.origin} is none of env ${opts.env}'s URLs: kept as recorded`);
        expr = withCredentialRefs(lit.value, opts.credentials).expr;
      }
    }
    if (expr === undefined) {
      const r = withCredentialRefs(lit.value, opts.credentials);
      if (r.used) expr = r.expr;
    }
    if (expr === undefined) continue;
    if (lit === fillArg && expr.includes('credentials.')) credentialFills++;
    if (lit === fillArg && expr.includes('credentials.password')) fillsPassword = true;
    text = text.slice(0, lit.start) + expr + text.slice(lit.end);
  }
  return { text, comments, credentialFills, fillsPassword };
}

function rewriteUse(use: string | undefined, notes: string[]): string | undefined {
  if (!use) return undefined;
  let text = use.replace(/\n[ \t]*storageState:[ \t]*(['"`]).*?\1,?[ \t]*(?=\n)/, '');
  if (text !== use) notes.push("dropped the recording's storageState: journeys get their login from { auth: true }");
  text = text.replace(/,(\s*\n\s*\})/, '$1');
  if (/^test\.use\(\{\s*\}\);$/.test(text.replace(/\s+/g, ' ').replace(/\{ \}/, '{}'))) return undefined;
  return text;
}

// ---------------------------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------------------------

function isCommit(s: Statement, next: Statement | undefined): boolean {
  if (s.kind === 'goto') return true;
  if (s.kind === 'press') return /\.press\('(Enter|NumpadEnter)'\);$/.test(s.text);
  if (s.kind !== 'click') return false;
  if (s.locator && FIELD_ROLES.test(s.locator)) return false;
  if (next && next.subject === s.subject && next.locator === s.locator && ['fill', 'press', 'select', 'check'].includes(next.kind)) return false;
  return true;
}

function groupSteps(statements: Statement[]): Step[] {
  const explicit = statements.some((s) => s.marker !== undefined);
  const steps: Step[] = [];
  let current: Step = { statements: [] };
  let pendingPromises = new Set<string>();
  const flush = () => {
    if (current.statements.length) steps.push(current);
    current = { statements: [] };
  };
  statements.forEach((s, i) => {
    const glued = pendingPromises.size > 0 || current.statements.at(-1)?.kind === 'glue';
    if (explicit) {
      if (s.marker !== undefined) {
        if (glued) throw new UserError(`"// step: ${s.marker}" splits an action from the popup or download it waits for`);
        flush();
        current.name = s.marker;
      }
    } else if (current.commit && !glued && s.kind !== 'assert') {
      flush();
    }
    current.statements.push(s);
    for (const m of s.text.matchAll(/^const (\w+Promise) = /gm)) pendingPromises.add(m[1] as string);
    for (const p of [...pendingPromises]) if (new RegExp(`await ${p}\\b`).test(s.text)) pendingPromises.delete(p);
    if (!current.commit && isCommit(s, statements[i + 1])) current.commit = s;
  });
  flush();
  pendingPromises = new Set();
  // An assertion-only first step joins the next step.
  if (steps.length > 1 && (steps[0] as Step).statements.every((s) => s.kind === 'assert') && !(steps[0] as Step).name) {
    const first = steps.shift() as Step;
    (steps[0] as Step).statements.unshift(...first.statements);
  }
  return steps;
}

function limitSteps(steps: Step[], notes: string[]): Step[] {
  if (steps.length <= MAX_STEPS_PER_JOURNEY) return steps;
  const kept = steps.slice(0, MAX_STEPS_PER_JOURNEY);
  const last = kept[kept.length - 1] as Step;
  for (const s of steps.slice(MAX_STEPS_PER_JOURNEY)) last.statements.push(...s.statements);
  notes.push(`${steps.length} steps recorded, at most ${MAX_STEPS_PER_JOURNEY} allowed: the last ${steps.length - MAX_STEPS_PER_JOURNEY + 1} are one step`);
  return kept;
}

function nameSteps(steps: Step[], opts: ConvertOptions): void {
  const used = new Set<string>();
  for (const step of steps) {
    if (step.name !== undefined) {
      if (!SLUG.test(step.name)) throw new UserError(`"// step: ${step.name}" is not a slug: use lower-case letters, digits and _ (e.g. "open_storage")`);
      if (used.has(step.name)) throw new UserError(`"// step: ${step.name}" appears twice`);
      used.add(step.name);
    }
  }
  for (const step of steps) {
    if (step.name !== undefined) continue;
    const lead = step.commit ?? step.statements.find((s) => s.kind !== 'assert' && s.kind !== 'glue') ?? (step.statements[0] as Statement);
    const base = slugify(nameFor(lead, opts)) || 'step';
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base.slice(0, 44)}_${n}`;
    used.add(name);
    step.name = name;
  }
}

function nameFor(s: Statement, opts: ConvertOptions): string {
  if (s.kind === 'goto') {
    const value = literalsOf(s.text)[0]?.value ?? '/';
    let path = '/';
    try {
      path = new URL(value).pathname;
    } catch {
      path = value;
    }
    return `open_${pageSlug(path)}`;
  }
  const verb = { click: /\.dblclick\(/.test(s.text) ? 'dblclick' : 'click', press: isCommit(s, undefined) ? 'submit' : 'press', fill: 'fill', select: 'select', check: 'check', assert: 'check', other: 'do', glue: 'do', goto: 'open' }[s.kind];
  return `${verb}_${elementName(s.kind === 'assert' ? s.text : (s.locator ?? ''), opts)}`;
}

/** A readable, secret-free name for the element a locator chain points at. */
function elementName(locator: string, opts: ConvertOptions): string {
  const calls = [...locator.matchAll(/(getByRole|getByText|getByLabel|getByPlaceholder|getByTitle|getByAltText|getByTestId|locator)\(([^)]*)\)/g)];
  const last = calls.at(-1);
  if (!last) return 'element';
  const lits = literalsOf(last[2] as string).map((l) => l.value);
  let name = last[1] === 'getByRole' ? (lits[1] ?? lits[0] ?? '') : (lits[0] ?? '');
  if (last[1] === 'locator') name = name.replace(/[#.[\]="'>:()*^$~|]+/g, ' ');
  const creds = opts.credentials;
  if (creds?.password && name.includes(creds.password)) name = name.split(creds.password).join(' secret ');
  if (creds?.username && name.includes(creds.username)) name = name.split(creds.username).join(' user ');
  if (PASSWORD_FIELD.test(name) && last[1] === 'getByText') name = 'secret';
  return name || (last[1] === 'getByRole' ? (lits[0] ?? 'element') : 'element');
}

function slugify(text: string): string {
  const s = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .slice(0, 48)
    .replace(/_+$/, '');
  return SLUG.test(s) ? s : '';
}

/** `const page1 = await page1Promise;` used by a later step: declared once above the steps. */
function hoist(steps: Step[]): void {
  steps.forEach((step, i) => {
    for (const s of step.statements) {
      if (!s.declares) continue;
      const re = new RegExp(`\\b${s.declares.name}\\b`);
      if (!steps.slice(i + 1).some((later) => later.statements.some((t) => re.test(t.out)))) {
        s.declares = undefined;
        continue;
      }
      s.out = s.out.replace(/^const /, '');
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

function render(steps: Step[], opts: ConvertOptions, use: string | undefined, foreign: string[]): string {
  const all = steps.flatMap((s) => s.statements);
  const uses = (re: RegExp) => all.some((s) => re.test(s.out));
  const fixtures = ['page', ...(uses(/\bsite\.url\(/) ? ['site'] : []), ...(uses(/\bcredentials\./) ? ['credentials'] : [])];
  const needSecretly = steps.some((s) => secretRange(s) !== undefined);
  const imports = [...(uses(/\bexpect\(/) ? ['expect'] : []), 'journey', ...(needSecretly ? ['secretly'] : []), 'step', ...(use ? ['test'] : [])];
  const hoisted = all.filter((s) => s.declares).map((s) => s.declares as { name: string; type: 'Page' | 'Download' });
  const types = [...new Set(hoisted.map((h) => h.type))].sort();
  const pad = '    ';
  const lines: string[] = [];
  lines.push('/**');
  lines.push(` * ${opts.name}: recorded with \`perfpulse-journeys record\` on env ${opts.env}${opts.auth ? ', starting from a saved login' : ''}, and`);
  lines.push(' * converted by src/record/convert.ts (docs/journeys.md, "Recording a new journey"). A step ends with');
  lines.push(' * the action that commits it; add an expect() for what the user waits for at the end of a step, or');
  lines.push(' * its time ends when the click returns, not when the next page is ready.');
  lines.push(' *');
  lines.push(' * Steps:');
  const width = Math.max(...steps.map((s) => (s.name as string).length));
  for (const s of steps) lines.push(` *   ${(s.name as string).padEnd(width)}  ${summary(s)}`);
  if (foreign.length) lines.push(` *`, ` * Kept as recorded (not one of env ${opts.env}'s URLs): ${foreign.join(', ')}`);
  lines.push(' */');
  if (types.length || (use && /\bdevices\[/.test(use))) {
    const names = [...(use && /\bdevices\[/.test(use) ? ['devices'] : []), ...types.map((t) => `type ${t}`)];
    lines.push(`import { ${names.join(', ')} } from '@playwright/test';`);
  }
  lines.push(`import { ${imports.join(', ')} } from '${opts.api ?? '../src/runtime/api/journey.ts'}';`);
  lines.push('');
  if (use) lines.push(use, '');
  const bodyLines: string[] = [];
  for (const h of hoisted) bodyLines.push(`${pad}let ${h.name}: ${h.type};`);
  if (hoisted.length) bodyLines.push('');
  steps.forEach((step, i) => {
    if (i) bodyLines.push('');
    bodyLines.push(`${pad}await step(${quote(step.name as string)}, async () => {`);
    const range = secretRange(step);
    step.statements.forEach((s, j) => {
      const inner = range && j >= range[0] && j <= range[1];
      const indent = `${pad}  ${inner ? '  ' : ''}`;
      if (range && j === range[0]) bodyLines.push(`${pad}  await secretly(${s.subject ?? 'page'}, async () => {`);
      for (const c of s.comments) bodyLines.push(`${indent}${c}`);
      for (const l of s.out.split('\n')) bodyLines.push(l ? `${indent}${l}` : '');
      if (range && j === range[1]) bodyLines.push(`${pad}  });`);
    });
    bodyLines.push(`${pad}});`);
  });
  const params = `async ({ ${fixtures.join(', ')} }) => {`;
  // the declaration the CLI reads without running the journey: its name, its steps, its login
  const declaration = `{ name: ${quote(opts.name)}, steps: [${steps.map((s) => quote(s.name as string)).join(', ')}]${opts.auth ? ', auth: true' : ''} }`;
  lines.push('journey(', `  ${declaration},`, `  ${params}`, ...bodyLines, '  },', ');');
  return `${lines.join('\n')}\n`;
}

/** Statement indexes [from, to] to run inside secretly(): a password fill through the commit that submits it. */
function secretRange(step: Step): [number, number] | undefined {
  const from = step.statements.findIndex((s) => s.fillsPassword);
  if (from < 0 || !step.commit) return undefined;
  const to = step.statements.indexOf(step.commit);
  if (to < from) return undefined;
  // secretly() must not cut a declaration off from its later uses.
  if (step.statements.slice(from, to + 1).some((s) => /^(const|let) /.test(s.out))) return undefined;
  return [from, to];
}

function summary(step: Step): string {
  const s = step.commit ?? step.statements.find((t) => t.kind !== 'glue') ?? (step.statements[0] as Statement);
  const line = (s.out.split('\n')[0] as string).replace(/^await /, '').replace(/;$/, '');
  return line.length > 90 ? `${line.slice(0, 87)}...` : line;
}

/** The last line of defence: the password must not be in the output, in any quoting. */
function assertNoSecret(source: string, creds: ConvertOptions['credentials']): void {
  const pw = creds?.password;
  if (!pw) return;
  const forms = [pw, JSON.stringify(pw).slice(1, -1), quote(pw).slice(1, -1), templatePart(pw)];
  if (forms.some((f) => source.includes(f))) {
    throw new UserError('the converted journey would contain the password: nothing written (report this recording shape as a bug, without the password)');
  }
}
