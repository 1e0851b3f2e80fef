/**
 * A JSP-subset renderer: enough of JSP 2.x, JSTL core/fmt and tag files to render the pages of a
 * front end that is written in JSP (caom2ui's Advanced Search) from its own source at run time,
 * without a servlet container. What it does, as Jasper and JSTL do:
 *
 * - template text is copied; `${…}` EL in it and in tag attributes is evaluated (JSP 2.x EL: `param`,
 *   `pageContext.request.contextPath`, page → request scope lookup, `.`/`[]`, `empty`, `not`, `!`,
 *   `eq ne == != lt gt le ge < > <= >=`, `and or && ||`, `? :`, string/number/boolean/null literals,
 *   `fn:trim`/`fn:length`/`fn:escapeXml`);
 * - `<%@ page|include|taglib|tag|attribute %>` directives: a prefix is a tag only after its taglib
 *   directive (before it, `<prefix:x>` is template text, as the JSP spec says);
 * - `<% … %>` scriptlets and `<%= … %>` expressions in a small Java subset (declarations, `=`/`+=`,
 *   `if`/`else` with blocks that may span template text, `+ == != && || ! ?:`, string methods,
 *   `request.getParameter/getHeader/getAttribute/getContextPath`, static constants read from the
 *   front end's own Java sources, `Enum.CONSTANT.name()`, and host classes the caller supplies for
 *   classes that are not in the sources);
 * - `<c:import>` (a relative URL with its query string and `<c:param>`s becomes an include with those
 *   parameters first, like a RequestDispatcher include), `<c:url>`+`<c:param>`, `<c:set>` (var or
 *   target/property), `<c:if>`, `<c:choose>/<c:when>/<c:otherwise>`, `<c:forEach>`, `<c:catch>`,
 *   `<c:out>`, `<fmt:setLocale>`, `<fmt:setBundle>`, `<fmt:message>` (`???key???` when missing),
 *   `<jsp:useBean>` (java.util maps, or an empty bean), and tag files from a `tagdir`.
 *
 * Two liberties, both on purpose (the caller's docs say why): EL also sees the scriptlets' local
 * variables of the same page (Jasper's EL does not), and an unterminated `${name` in an attribute is
 * read as `${name}`. Anything else it does not know is a JspError naming the file and line, never a
 * guess.
 */

export class JspError extends Error {}

/** What the renderer reads: the web application's files, tag files, bundles and Java sources. */
export interface JspSite {
  /** The text of a web-application file (`/index.jsp`), or null when there is none. */
  read(path: string): string | null;
  /** A tag file: `tagdir` as the taglib directive names it, `name` without `.tag`. */
  readTag(tagdir: string, name: string): string | null;
  /** A resource bundle's properties text for a basename and locale (e.g. `Caom2SearchBundle`, `en`). */
  bundle(basename: string, locale: string): string | null;
  /** The Java source of a fully qualified class, or null when the sources do not have it. */
  javaSource(fqcn: string): string | null;
  /** Classes not in the sources that scriptlets use, by fully qualified name. */
  hostClasses?: Record<string, HostClass>;
  /** The web application's context path (`pageContext.request.contextPath`). */
  contextPath: string;
}

export interface HostClass {
  /** `new X(args)` */
  construct?: (args: unknown[]) => unknown;
  /** `X.method(args)` */
  statics?: Record<string, (...args: unknown[]) => unknown>;
  /** `X.FIELD` */
  fields?: Record<string, unknown>;
}

export interface JspRequest {
  /** Query/form parameters in order (a name may repeat). */
  params: Array<[string, string]>;
  headers?: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Parsing a JSP file into nodes

interface Attr {
  name: string;
  /** `el`: text with `${}`; `rt`: a `<%= %>` Java expression. */
  kind: 'el' | 'rt';
  value: string;
}

type Item =
  | { k: 'text'; s: string; line: number }
  | { k: 'directive'; name: string; attrs: Attr[]; line: number }
  | { k: 'scriptlet'; code: string; line: number }
  | { k: 'expr'; code: string; line: number }
  | { k: 'open'; prefix: string; name: string; attrs: Attr[]; self: boolean; line: number }
  | { k: 'close'; prefix: string; name: string; line: number };

interface Source {
  file: string;
  text: string;
}

const where = (src: Source, line: number) => `${src.file}:${line}`;

function lineAt(text: string, pos: number): number {
  let n = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** Tag attributes: `name="v"`, `name='v'`, where v may be `<%= expr %>`. Returns them and the end. */
function readAttrs(src: Source, start: number, stop: RegExp): { attrs: Attr[]; end: number; self: boolean } {
  const t = src.text;
  const attrs: Attr[] = [];
  let i = start;
  for (;;) {
    while (i < t.length && /\s/.test(t[i] as string)) i++;
    stop.lastIndex = i;
    const m = stop.exec(t);
    if (m && m.index === i) return { attrs, end: i + m[0].length, self: m[0].startsWith('/') };
    const name = /^[A-Za-z_][\w:.-]*/.exec(t.slice(i, i + 200))?.[0];
    if (!name) throw new JspError(`${where(src, lineAt(t, i))}: cannot read a tag attribute at "${t.slice(i, i + 30)}"`);
    i += name.length;
    while (/\s/.test(t[i] as string)) i++;
    if (t[i] !== '=') throw new JspError(`${where(src, lineAt(t, i))}: attribute ${name} has no value`);
    i++;
    while (/\s/.test(t[i] as string)) i++;
    const q = t[i];
    if (q !== '"' && q !== "'") throw new JspError(`${where(src, lineAt(t, i))}: attribute ${name} is not quoted`);
    i++;
    if (t.startsWith('<%=', i)) {
      const close = t.indexOf('%>', i);
      if (close < 0) throw new JspError(`${where(src, lineAt(t, i))}: unterminated <%=`);
      attrs.push({ name, kind: 'rt', value: t.slice(i + 3, close) });
      i = close + 2;
      if (t[i] !== q) throw new JspError(`${where(src, lineAt(t, i))}: attribute ${name}: text after <%= %>`);
      i++;
    } else {
      const close = t.indexOf(q, i);
      if (close < 0) throw new JspError(`${where(src, lineAt(t, i))}: unterminated attribute ${name}`);
      attrs.push({ name, kind: 'el', value: t.slice(i, close).replace(/&quot;/g, '"').replace(/&apos;/g, "'") });
      i = close + 1;
    }
  }
}

/** Splits a JSP file into items. `prefixes` are the tag prefixes known so far (taglib directives add to it). */
function lex(src: Source, prefixes: Set<string>): Item[] {
  const t = src.text;
  const items: Item[] = [];
  let text = '';
  let textStart = 0;
  let i = 0;
  const flush = () => {
    if (text) items.push({ k: 'text', s: text, line: lineAt(t, textStart) });
    text = '';
  };
  while (i < t.length) {
    if (t.startsWith('<%--', i)) {
      const end = t.indexOf('--%>', i + 4);
      if (end < 0) throw new JspError(`${where(src, lineAt(t, i))}: unterminated <%--`);
      flush();
      i = end + 4;
      textStart = i;
      continue;
    }
    if (t.startsWith('<%@', i)) {
      flush();
      const name = /^<%@\s*([\w]+)/.exec(t.slice(i, i + 40))?.[1] ?? '';
      const { attrs, end } = readAttrs(src, i + 3 + (/^\s*/.exec(t.slice(i + 3))?.[0].length ?? 0) + name.length, /%>/y);
      items.push({ k: 'directive', name, attrs, line: lineAt(t, i) });
      if (name === 'taglib') {
        const prefix = attrs.find((a) => a.name === 'prefix')?.value;
        if (prefix) prefixes.add(prefix);
      }
      i = end;
      textStart = i;
      continue;
    }
    if (t.startsWith('<%', i)) {
      const end = t.indexOf('%>', i + 2);
      if (end < 0) throw new JspError(`${where(src, lineAt(t, i))}: unterminated <%`);
      flush();
      if (t[i + 2] === '=') items.push({ k: 'expr', code: t.slice(i + 3, end), line: lineAt(t, i) });
      else if (t[i + 2] === '!') throw new JspError(`${where(src, lineAt(t, i))}: <%! declarations are not supported`);
      else items.push({ k: 'scriptlet', code: t.slice(i + 2, end), line: lineAt(t, i) });
      i = end + 2;
      textStart = i;
      continue;
    }
    const tag = /^<(\/?)([A-Za-z][\w-]*):([A-Za-z][\w-]*)/.exec(t.slice(i, i + 80));
    if (tag && (prefixes.has(tag[2] as string) || tag[2] === 'jsp')) {
      flush();
      const [whole, slash, prefix, name] = tag as unknown as [string, string, string, string];
      if (slash) {
        const end = t.indexOf('>', i);
        items.push({ k: 'close', prefix, name, line: lineAt(t, i) });
        i = end + 1;
      } else {
        const { attrs, end, self } = readAttrs(src, i + whole.length, /\/?>/y);
        items.push({ k: 'open', prefix, name, attrs, self, line: lineAt(t, i) });
        i = end;
      }
      textStart = i;
      continue;
    }
    if (!text) textStart = i;
    text += t[i];
    i++;
  }
  flush();
  return items;
}

// ---------------------------------------------------------------------------------------------
// A Java-subset lexer and parser for scriptlets, over a stream that also carries the JSP items

type Tok =
  | { t: 'id'; v: string; line: number }
  | { t: 'num'; v: number; line: number }
  | { t: 'str'; v: string; line: number }
  | { t: 'op'; v: string; line: number }
  | { t: 'item'; item: Item; line: number };

const OPS = ['+=', '-=', '==', '!=', '<=', '>=', '&&', '||', '++', '--', '+', '-', '*', '/', '%', '<', '>', '=', '!', '?', ':', '(', ')', '{', '}', '[', ']', ';', ',', '.'];

function javaTokens(code: string, line0: number, file: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let line = line0;
  while (i < code.length) {
    const c = code[i] as string;
    if (c === '\n') {
      line++;
      i++;
    } else if (/\s/.test(c)) i++;
    else if (code.startsWith('//', i)) {
      while (i < code.length && code[i] !== '\n') i++;
    } else if (code.startsWith('/*', i)) {
      const end = code.indexOf('*/', i + 2);
      const stop = end < 0 ? code.length : end + 2;
      line += (code.slice(i, stop).match(/\n/g) ?? []).length;
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < code.length && code[j] !== c) {
        if (code[j] === '\\') {
          const e = code[j + 1] as string;
          s += ({ n: '\n', t: '\t', r: '\r', '"': '"', "'": "'", '\\': '\\' } as Record<string, string>)[e] ?? e;
          j += 2;
        } else s += code[j++];
      }
      out.push({ t: 'str', v: s, line });
      i = j + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?[LlFfDd]?/.exec(code.slice(i)) as RegExpExecArray;
      out.push({ t: 'num', v: Number(m[0].replace(/[LlFfDd]$/, '')), line });
      i += m[0].length;
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][\w$]*/.exec(code.slice(i)) as RegExpExecArray;
      out.push({ t: 'id', v: m[0], line });
      i += m[0].length;
    } else {
      const op = OPS.find((o) => code.startsWith(o, i));
      if (!op) throw new JspError(`${file}:${line}: cannot read Java at "${code.slice(i, i + 20)}"`);
      out.push({ t: 'op', v: op, line });
      i += op.length;
    }
  }
  return out;
}

type JExpr =
  | { e: 'lit'; v: unknown }
  | { e: 'name'; v: string; line: number }
  | { e: 'member'; obj: JExpr; name: string; line: number }
  | { e: 'call'; obj: JExpr | null; name: string; args: JExpr[]; line: number }
  | { e: 'new'; cls: string; args: JExpr[]; line: number }
  | { e: 'un'; op: string; x: JExpr }
  | { e: 'bin'; op: string; a: JExpr; b: JExpr }
  | { e: 'cond'; c: JExpr; a: JExpr; b: JExpr }
  | { e: 'assign'; name: string; op: string; x: JExpr; line: number };

type Stmt =
  | { s: 'block'; body: Stmt[] }
  | { s: 'if'; c: JExpr; a: Stmt; b: Stmt | null }
  | { s: 'decl'; name: string; init: JExpr | null; line: number }
  | { s: 'expr'; x: JExpr }
  | { s: 'item'; item: Item }
  | { s: 'tag'; open: Extract<Item, { k: 'open' }>; body: Stmt[] };

class Parser {
  private i = 0;
  private readonly toks: Tok[];
  private readonly file: string;
  constructor(toks: Tok[], file: string) {
    this.toks = toks;
    this.file = file;
  }
  private peek(o = 0): Tok | undefined {
    return this.toks[this.i + o];
  }
  private fail(msg: string): never {
    const t = this.peek();
    throw new JspError(`${this.file}:${t?.line ?? '?'}: ${msg}`);
  }
  private isOp(v: string, o = 0): boolean {
    const t = this.peek(o);
    return t?.t === 'op' && t.v === v;
  }
  private isId(v?: string, o = 0): boolean {
    const t = this.peek(o);
    return t?.t === 'id' && (v === undefined || t.v === v);
  }
  private eat(v: string): void {
    if (!this.isOp(v)) this.fail(`expected "${v}"`);
    this.i++;
  }
  private id(): string {
    const t = this.peek();
    if (t?.t !== 'id') this.fail('expected a name');
    this.i++;
    return t.v;
  }

  /** Statements until the end, or until the close tag of `until`. */
  stmts(until?: Extract<Item, { k: 'open' }>): Stmt[] {
    const out: Stmt[] = [];
    for (;;) {
      const t = this.peek();
      if (!t) {
        if (until) throw new JspError(`${this.file}:${until.line}: <${until.prefix}:${until.name}> is never closed`);
        return out;
      }
      if (t.t === 'item' && t.item.k === 'close') {
        if (!until) throw new JspError(`${this.file}:${t.line}: </${t.item.prefix}:${t.item.name}> closes nothing`);
        if (t.item.prefix !== until.prefix || t.item.name !== until.name) {
          throw new JspError(`${this.file}:${t.line}: </${t.item.prefix}:${t.item.name}> where </${until.prefix}:${until.name}> was expected`);
        }
        this.i++;
        return out;
      }
      if (this.isOp('}')) return out;
      out.push(this.stmt());
    }
  }

  stmt(): Stmt {
    const t = this.peek() as Tok;
    if (t.t === 'item') {
      this.i++;
      if (t.item.k === 'open' && !t.item.self) return { s: 'tag', open: t.item, body: this.stmts(t.item) };
      if (t.item.k === 'open') return { s: 'tag', open: t.item, body: [] };
      return { s: 'item', item: t.item };
    }
    if (this.isOp('{')) {
      this.i++;
      const body = this.stmts();
      this.eat('}');
      return { s: 'block', body };
    }
    if (this.isOp(';')) {
      this.i++;
      return { s: 'block', body: [] };
    }
    if (this.isId('if')) {
      this.i++;
      this.eat('(');
      const c = this.expr();
      this.eat(')');
      const a = this.stmt();
      let b: Stmt | null = null;
      if (this.isId('else')) {
        this.i++;
        b = this.stmt();
      }
      return { s: 'if', c, a, b };
    }
    const decl = this.tryDecl();
    if (decl) return decl;
    const x = this.expr();
    this.eat(';');
    return { s: 'expr', x };
  }

  /** `[final] Type[<…>][[]] name [= expr];` */
  private tryDecl(): Stmt | null {
    const start = this.i;
    if (this.isId('final')) this.i++;
    if (!this.isId()) return this.back(start);
    this.i++;
    while (this.isOp('.') && this.isId(undefined, 1)) this.i += 2;
    if (this.isOp('<')) {
      let depth = 0;
      do {
        if (this.isOp('<')) depth++;
        else if (this.isOp('>')) depth--;
        this.i++;
      } while (depth > 0 && this.peek());
    }
    while (this.isOp('[') && this.isOp(']', 1)) this.i += 2;
    if (!this.isId()) return this.back(start);
    const line = (this.peek() as Tok).line;
    const name = this.id();
    if (this.isOp(';')) {
      this.i++;
      return { s: 'decl', name, init: null, line };
    }
    if (!this.isOp('=')) return this.back(start);
    this.i++;
    const init = this.expr();
    this.eat(';');
    return { s: 'decl', name, init, line };
  }
  private back(to: number): null {
    this.i = to;
    return null;
  }

  expr(): JExpr {
    if (this.isId() && (this.isOp('=', 1) || this.isOp('+=', 1))) {
      const line = (this.peek() as Tok).line;
      const name = this.id();
      const op = (this.peek() as { v: string }).v;
      this.i++;
      return { e: 'assign', name, op, x: this.expr(), line };
    }
    return this.cond();
  }
  private cond(): JExpr {
    const c = this.bin(0);
    if (!this.isOp('?')) return c;
    this.i++;
    const a = this.cond();
    this.eat(':');
    return { e: 'cond', c, a, b: this.cond() };
  }
  private static LEVELS = [['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];
  private bin(level: number): JExpr {
    if (level >= Parser.LEVELS.length) return this.unary();
    let a = this.bin(level + 1);
    for (;;) {
      const t = this.peek();
      if (t?.t !== 'op' || !(Parser.LEVELS[level] as string[]).includes(t.v)) return a;
      this.i++;
      a = { e: 'bin', op: t.v, a, b: this.bin(level + 1) };
    }
  }
  private unary(): JExpr {
    if (this.isOp('!') || this.isOp('-')) {
      const op = (this.peek() as { v: string }).v;
      this.i++;
      return { e: 'un', op, x: this.unary() };
    }
    return this.postfix(this.primary());
  }
  private args(): JExpr[] {
    this.eat('(');
    const out: JExpr[] = [];
    while (!this.isOp(')')) {
      out.push(this.expr());
      if (!this.isOp(')')) this.eat(',');
    }
    this.eat(')');
    return out;
  }
  private primary(): JExpr {
    const t = this.peek();
    if (!t) this.fail('unexpected end of Java');
    if (t.t === 'str' || t.t === 'num') {
      this.i++;
      return { e: 'lit', v: t.v };
    }
    if (this.isOp('(')) {
      this.i++;
      const x = this.expr();
      this.eat(')');
      return x;
    }
    if (t.t === 'id') {
      this.i++;
      if (t.v === 'true' || t.v === 'false') return { e: 'lit', v: t.v === 'true' };
      if (t.v === 'null') return { e: 'lit', v: null };
      if (t.v === 'new') {
        let cls = this.id();
        while (this.isOp('.')) {
          this.i++;
          cls += `.${this.id()}`;
        }
        return { e: 'new', cls, args: this.args(), line: t.line };
      }
      if (this.isOp('(')) return { e: 'call', obj: null, name: t.v, args: this.args(), line: t.line };
      return { e: 'name', v: t.v, line: t.line };
    }
    return this.fail(`unexpected "${(t as { v?: unknown }).v ?? t.t}" in Java`);
  }
  private postfix(x: JExpr): JExpr {
    while (this.isOp('.')) {
      this.i++;
      const line = (this.peek() as Tok).line;
      const name = this.id();
      if (this.isOp('(')) x = { e: 'call', obj: x, name, args: this.args(), line };
      else x = { e: 'member', obj: x, name, line };
    }
    return x;
  }
}

/** Turns the items of a file into one statement list: scriptlet code and JSP items interleaved. */
function parseProgram(items: Item[], file: string): Stmt[] {
  const toks: Tok[] = [];
  for (const item of items) {
    if (item.k === 'scriptlet') toks.push(...javaTokens(item.code, item.line, file));
    else toks.push({ t: 'item', item, line: item.line });
  }
  const p = new Parser(toks, file);
  return p.stmts();
}

// ---------------------------------------------------------------------------------------------
// Java classes read from the sources: static constants and enum constants

interface JavaClass {
  kind: 'class';
  fqcn: string;
  fields: Record<string, unknown>;
  enumConstants: string[];
}
interface PackageRef {
  kind: 'package';
  path: string;
}
interface EnumConstant {
  kind: 'enum';
  cls: string;
  name: string;
}
interface HostRef {
  kind: 'host';
  fqcn: string;
  host: HostClass;
}

// ---------------------------------------------------------------------------------------------
// EL

type ElNode =
  | { n: 'lit'; v: unknown }
  | { n: 'id'; v: string }
  | { n: 'dot'; o: ElNode; k: string }
  | { n: 'idx'; o: ElNode; k: ElNode }
  | { n: 'un'; op: string; x: ElNode }
  | { n: 'bin'; op: string; a: ElNode; b: ElNode }
  | { n: 'cond'; c: ElNode; a: ElNode; b: ElNode }
  | { n: 'fn'; prefix: string; name: string; args: ElNode[] };

const EL_WORDS: Record<string, string> = { and: '&&', or: '||', not: '!', eq: '==', ne: '!=', lt: '<', gt: '>', le: '<=', ge: '>=', div: '/', mod: '%' };

function elTokens(src: string, at: string): Array<{ t: 'id' | 'str' | 'num' | 'op'; v: string }> {
  const out: Array<{ t: 'id' | 'str' | 'num' | 'op'; v: string }> = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) i++;
    else if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\') j++;
        s += src[j++];
      }
      out.push({ t: 'str', v: s });
      i = j + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ t: 'num', v: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][\w]*/.exec(src.slice(i)) as RegExpExecArray;
      const w = EL_WORDS[m[0]];
      out.push(w ? { t: 'op', v: w } : { t: 'id', v: m[0] });
      i += m[0].length;
    } else {
      const op = ['==', '!=', '<=', '>=', '&&', '||', '!', '<', '>', '+', '-', '*', '/', '%', '?', ':', '.', '[', ']', '(', ')', ','].find((o) => src.startsWith(o, i));
      if (!op) throw new JspError(`${at}: cannot read EL at "${src.slice(i, i + 20)}"`);
      out.push({ t: 'op', v: op });
      i += op.length;
    }
  }
  return out;
}

function parseEl(src: string, at: string): ElNode {
  const toks = elTokens(src, at);
  let i = 0;
  const isOp = (v: string) => toks[i]?.t === 'op' && toks[i]?.v === v;
  const eat = (v: string) => {
    if (!isOp(v)) throw new JspError(`${at}: EL "${src}": expected "${v}"`);
    i++;
  };
  const LEVELS = [['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];
  const cond = (): ElNode => {
    const c = bin(0);
    if (!isOp('?')) return c;
    i++;
    const a = cond();
    eat(':');
    return { n: 'cond', c, a, b: cond() };
  };
  const bin = (level: number): ElNode => {
    if (level >= LEVELS.length) return unary();
    let a = bin(level + 1);
    while (toks[i]?.t === 'op' && (LEVELS[level] as string[]).includes(toks[i]?.v as string)) {
      const op = toks[i++]?.v as string;
      a = { n: 'bin', op, a, b: bin(level + 1) };
    }
    return a;
  };
  const unary = (): ElNode => {
    if (isOp('!') || isOp('-')) {
      const op = toks[i++]?.v as string;
      return { n: 'un', op, x: unary() };
    }
    if (toks[i]?.t === 'id' && toks[i]?.v === 'empty') {
      i++;
      return { n: 'un', op: 'empty', x: unary() };
    }
    let x = primary();
    for (;;) {
      if (isOp('.')) {
        i++;
        const k = toks[i++];
        if (k?.t !== 'id') throw new JspError(`${at}: EL "${src}": a name must follow "."`);
        x = { n: 'dot', o: x, k: k.v };
      } else if (isOp('[')) {
        i++;
        const k = cond();
        eat(']');
        x = { n: 'idx', o: x, k };
      } else return x;
    }
  };
  const primary = (): ElNode => {
    const t = toks[i++];
    if (!t) throw new JspError(`${at}: EL "${src}" ends too soon`);
    if (t.t === 'str') return { n: 'lit', v: t.v };
    if (t.t === 'num') return { n: 'lit', v: Number(t.v) };
    if (t.t === 'op' && t.v === '(') {
      const x = cond();
      eat(')');
      return x;
    }
    if (t.t === 'id') {
      if (t.v === 'true' || t.v === 'false') return { n: 'lit', v: t.v === 'true' };
      if (t.v === 'null') return { n: 'lit', v: null };
      if (isOp(':') && toks[i + 1]?.t === 'id' && toks[i + 2]?.t === 'op' && toks[i + 2]?.v === '(') {
        const name = toks[i + 1]?.v as string;
        i += 3;
        const args: ElNode[] = [];
        while (!isOp(')')) {
          args.push(cond());
          if (!isOp(')')) eat(',');
        }
        eat(')');
        return { n: 'fn', prefix: t.v, name, args };
      }
      return { n: 'id', v: t.v };
    }
    throw new JspError(`${at}: EL "${src}": unexpected "${t.v}"`);
  };
  const x = cond();
  if (i < toks.length) throw new JspError(`${at}: EL "${src}": unexpected "${toks[i]?.v}"`);
  return x;
}

// ---------------------------------------------------------------------------------------------
// Values

/** A resource bundle, as `<fmt:setBundle var>` stores it. */
class Bundle {
  readonly basename: string;
  readonly messages: Map<string, string>;
  constructor(basename: string, messages: Map<string, string>) {
    this.basename = basename;
    this.messages = messages;
  }
  toString(): string {
    return 'javax.servlet.jsp.jstl.fmt.LocalizationContext';
  }
}

/** java.util.Properties text → map (comments, `=`/`:`/space separators, continuation lines, \uXXXX). */
export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    let line = (lines[n] as string).replace(/^\s+/, '');
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && n + 1 < lines.length) line = line.slice(0, -1) + (lines[++n] as string).replace(/^\s+/, '');
    const m = /^((?:\\.|[^=:\s\\])*)\s*[=:\s]?\s*(.*)$/.exec(line) as RegExpExecArray;
    const unescape = (s: string) =>
      s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_x, e: string) =>
        e.length === 5 ? String.fromCharCode(parseInt(e.slice(1), 16)) : (({ n: '\n', t: '\t', r: '\r', f: '\f' }) as Record<string, string>)[e] ?? e,
      );
    out.set(unescape(m[1] as string), unescape(m[2] as string));
  }
  return out;
}

function str(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Bundle) return v.toString();
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${k}=${str(x)}`).join(', ')}}`;
  return String(v);
}

function truthy(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.toLowerCase() === 'true';
  return false;
}

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (v instanceof Map) return v.size === 0;
  return false;
}

function elEquals(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  if (typeof a === 'boolean' || typeof b === 'boolean') return truthy(a) === truthy(b);
  return str(a) === str(b);
}

/** A TreeMap keeps its keys sorted (java.util.TreeMap iteration order). */
class TreeMap extends Map<string, unknown> {
  override entries(): MapIterator<[string, unknown]> {
    return [...super.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))[Symbol.iterator]() as MapIterator<[string, unknown]>;
  }
  override [Symbol.iterator](): MapIterator<[string, unknown]> {
    return this.entries();
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering

interface Scope {
  vars: Map<string, unknown>;
}

interface PageCtx {
  src: Source;
  dir: string;
  params: Array<[string, string]>;
  page: Scope;
  /** The scriptlets' locals (see the liberties above). */
  locals: Map<string, unknown>;
  imports: string[];
  tagdirs: Map<string, string>;
  /** Parameters collected by `<c:param>` for the enclosing `<c:url>`/`<c:import>`. */
  paramSink: Array<[string, string]> | null;
  depth: number;
  /** In a Java field initializer: the class, whose other constants its plain names mean. */
  cls?: JavaClass;
}

class Renderer {
  private readonly request = new Map<string, unknown>();
  private readonly classes = new Map<string, JavaClass | null>();
  private readonly site: JspSite;
  private readonly req: JspRequest;
  constructor(site: JspSite, req: JspRequest) {
    this.site = site;
    this.req = req;
  }

  renderFile(path: string, params: Array<[string, string]>, depth: number): string {
    if (depth > 20) throw new JspError(`${path}: includes nest too deep`);
    const text = this.site.read(path);
    if (text === null) throw new JspError(`${path}: no such file in the web application`);
    const src: Source = { file: path, text };
    const ctx: PageCtx = {
      src,
      dir: path.slice(0, path.lastIndexOf('/') + 1),
      params,
      page: { vars: new Map() },
      locals: new Map(),
      imports: ['java.lang'],
      tagdirs: new Map(),
      paramSink: null,
      depth,
    };
    return this.run(ctx, parseProgram(lex(src, new Set()), path));
  }

  private run(ctx: PageCtx, stmts: Stmt[]): string {
    let out = '';
    for (const s of stmts) out += this.exec(ctx, s);
    return out;
  }

  private exec(ctx: PageCtx, s: Stmt): string {
    switch (s.s) {
      case 'block':
        return this.run(ctx, s.body);
      case 'if':
        if (this.javaBool(ctx, s.c)) return this.exec(ctx, s.a);
        return s.b ? this.exec(ctx, s.b) : '';
      case 'decl':
        ctx.locals.set(s.name, s.init ? this.java(ctx, s.init) : null);
        return '';
      case 'expr':
        this.java(ctx, s.x);
        return '';
      case 'item':
        return this.item(ctx, s.item);
      case 'tag':
        return this.tag(ctx, s.open, s.body);
    }
  }

  private item(ctx: PageCtx, item: Item): string {
    switch (item.k) {
      case 'text':
        return this.interpolate(ctx, item.s, item.line);
      case 'expr':
        return javaStr(this.java(ctx, parseJavaExpr(item.code, item.line, ctx.src.file)));
      case 'directive':
        this.directive(ctx, item);
        return '';
      default:
        throw new JspError(`${where(ctx.src, item.line)}: unexpected ${item.k}`);
    }
  }

  private directive(ctx: PageCtx, d: Extract<Item, { k: 'directive' }>): void {
    const attr = (n: string) => d.attrs.find((a) => a.name === n)?.value;
    if (d.name === 'page') {
      const imp = attr('import');
      if (imp) ctx.imports.push(...imp.split(',').map((s) => s.trim()));
    } else if (d.name === 'taglib') {
      const tagdir = attr('tagdir');
      const prefix = attr('prefix');
      if (tagdir && prefix) ctx.tagdirs.set(prefix, tagdir);
    } else if (d.name === 'include') {
      throw new JspError(`${where(ctx.src, d.line)}: <%@ include %> is not supported`);
    }
    // tag / attribute directives are read by tagFile()
  }

  // ---- EL

  private interpolate(ctx: PageCtx, text: string, line: number): string {
    if (!text.includes('${')) return text;
    let out = '';
    let i = 0;
    for (;;) {
      const at = text.indexOf('${', i);
      if (at < 0) return out + text.slice(i);
      if (at > 0 && text[at - 1] === '\\') {
        out += text.slice(i, at - 1) + '${';
        i = at + 2;
        continue;
      }
      out += text.slice(i, at);
      const end = closingBrace(text, at + 2);
      const l = line + (text.slice(0, at).match(/\n/g) ?? []).length;
      // Liberty: an unterminated `${name` is read as `${name}`.
      const expr = end < 0 ? text.slice(at + 2) : text.slice(at + 2, end);
      out += str(this.el(ctx, expr, l));
      if (end < 0) return out;
      i = end + 1;
    }
  }

  /** An attribute value: the object itself for a lone `${x}` or `<%= %>`, else the interpolated text. */
  private attrValue(ctx: PageCtx, a: Attr | undefined, line: number): unknown {
    if (!a) return undefined;
    if (a.kind === 'rt') return this.java(ctx, parseJavaExpr(a.value, line, ctx.src.file));
    if (a.value.startsWith('${')) {
      const end = closingBrace(a.value, 2);
      if (end === a.value.length - 1) return this.el(ctx, a.value.slice(2, -1), line);
      if (end < 0) return this.el(ctx, a.value.slice(2), line); // liberty: an unterminated `${name`
    }
    return this.interpolate(ctx, a.value, line);
  }

  private el(ctx: PageCtx, expr: string, line: number): unknown {
    return this.elEval(ctx, parseEl(expr, where(ctx.src, line)), where(ctx.src, line));
  }

  private lookup(ctx: PageCtx, name: string): unknown {
    switch (name) {
      case 'param':
        return new Map(ctx.params.slice().reverse());
      case 'paramValues': {
        const m = new Map<string, string[]>();
        for (const [k, v] of ctx.params) m.set(k, [...(m.get(k) ?? []), v]);
        return m;
      }
      case 'header':
        return new Map(Object.entries(this.req.headers ?? {}));
      case 'pageContext':
        return new Map([['request', new Map([['contextPath', this.site.contextPath]])]]);
    }
    if (ctx.page.vars.has(name)) return ctx.page.vars.get(name);
    if (this.request.has(name)) return this.request.get(name);
    if (ctx.locals.has(name)) return ctx.locals.get(name);
    return null;
  }

  private elEval(ctx: PageCtx, n: ElNode, at: string): unknown {
    switch (n.n) {
      case 'lit':
        return n.v;
      case 'id':
        return this.lookup(ctx, n.v);
      case 'dot':
      case 'idx': {
        const o = this.elEval(ctx, n.o, at);
        const k = n.n === 'dot' ? n.k : str(this.elEval(ctx, n.k, at));
        if (o === null || o === undefined) return null;
        if (o instanceof Map) return o.get(k) ?? null;
        if (Array.isArray(o)) return o[Number(k)] ?? null;
        if (typeof o === 'object') return (o as Record<string, unknown>)[k] ?? null;
        return null;
      }
      case 'un': {
        const x = this.elEval(ctx, n.x, at);
        if (n.op === 'empty') return isEmpty(x);
        if (n.op === '!') return !truthy(x);
        return -Number(x);
      }
      case 'bin': {
        if (n.op === '&&') return truthy(this.elEval(ctx, n.a, at)) && truthy(this.elEval(ctx, n.b, at));
        if (n.op === '||') return truthy(this.elEval(ctx, n.a, at)) || truthy(this.elEval(ctx, n.b, at));
        const a = this.elEval(ctx, n.a, at);
        const b = this.elEval(ctx, n.b, at);
        switch (n.op) {
          case '==':
            return elEquals(a, b);
          case '!=':
            return !elEquals(a, b);
          case '<':
            return typeof a === 'string' && typeof b === 'string' ? a < b : Number(a) < Number(b);
          case '>':
            return typeof a === 'string' && typeof b === 'string' ? a > b : Number(a) > Number(b);
          case '<=':
            return typeof a === 'string' && typeof b === 'string' ? a <= b : Number(a) <= Number(b);
          case '>=':
            return typeof a === 'string' && typeof b === 'string' ? a >= b : Number(a) >= Number(b);
          case '+':
            return Number(a ?? 0) + Number(b ?? 0);
          case '-':
            return Number(a ?? 0) - Number(b ?? 0);
          case '*':
            return Number(a ?? 0) * Number(b ?? 0);
          case '/':
            return Number(a ?? 0) / Number(b ?? 0);
          case '%':
            return Number(a ?? 0) % Number(b ?? 0);
        }
        throw new JspError(`${at}: EL operator ${n.op}`);
      }
      case 'cond':
        return truthy(this.elEval(ctx, n.c, at)) ? this.elEval(ctx, n.a, at) : this.elEval(ctx, n.b, at);
      case 'fn': {
        const args = n.args.map((x) => this.elEval(ctx, x, at));
        if (n.prefix === 'fn' && n.name === 'trim') return str(args[0]).trim();
        if (n.prefix === 'fn' && n.name === 'length') {
          const v = args[0];
          return v instanceof Map ? v.size : Array.isArray(v) ? v.length : str(v).length;
        }
        if (n.prefix === 'fn' && n.name === 'escapeXml') return escapeXml(str(args[0]));
        throw new JspError(`${at}: EL function ${n.prefix}:${n.name} is not supported`);
      }
    }
  }

  // ---- Java

  private javaBool(ctx: PageCtx, x: JExpr): boolean {
    const v = this.java(ctx, x);
    if (typeof v !== 'boolean') throw new JspError(`${ctx.src.file}: a Java condition is not a boolean`);
    return v;
  }

  private resolveClass(ctx: PageCtx, name: string): JavaClass | HostRef | null {
    const candidates = name.includes('.') ? [name] : ctx.imports.flatMap((imp) => (imp.endsWith(`.${name}`) ? [imp] : imp.endsWith('.*') || imp === 'java.lang' ? [`${imp.replace(/\.\*$/, '')}.${name}`] : []));
    for (const fqcn of candidates) {
      const host = this.site.hostClasses?.[fqcn] ?? BUILTIN_HOSTS[fqcn];
      if (host) return { kind: 'host', fqcn, host };
      const cls = this.javaClass(fqcn);
      if (cls) return cls;
    }
    return null;
  }

  private javaClass(fqcn: string): JavaClass | null {
    if (this.classes.has(fqcn)) return this.classes.get(fqcn) ?? null;
    const text = this.site.javaSource(fqcn);
    let cls: JavaClass | null = null;
    if (text !== null) {
      cls = { kind: 'class', fqcn, fields: {}, enumConstants: [] };
      const body = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      const simple = fqcn.slice(fqcn.lastIndexOf('.') + 1);
      const en = new RegExp(`\\benum\\s+${simple}\\b[^{]*\\{([^;}]*)`).exec(body);
      if (en) cls.enumConstants = (en[1] as string).split(',').map((s) => s.trim().replace(/\(.*$/s, '')).filter(Boolean);
      this.classes.set(fqcn, cls);
      const pkg = /^\s*package\s+([\w.]+)\s*;/m.exec(body)?.[1] ?? '';
      const imports = [...body.matchAll(/^\s*import\s+([\w.*]+)\s*;/gm)].map((m) => m[1] as string);
      for (const m of body.matchAll(/(?:^|[;{}\s])(?:(?:public|protected|private|static|final)\s+)*String\s+([A-Z_][A-Z0-9_]*)\s*=\s*([^;]+);/g)) {
        const init = m[2] as string;
        const fieldCtx: PageCtx = {
          src: { file: fqcn, text: '' },
          dir: '/',
          params: [],
          page: { vars: new Map() },
          locals: new Map(),
          imports: ['java.lang', `${pkg}.*`, ...imports],
          tagdirs: new Map(),
          paramSink: null,
          depth: 0,
          cls,
        };
        const fields = cls.fields;
        Object.defineProperty(fields, m[1] as string, {
          enumerable: true,
          get: () => this.java(fieldCtx, parseJavaExpr(init, 1, fqcn)),
        });
      }
    }
    this.classes.set(fqcn, cls);
    return cls;
  }

  private java(ctx: PageCtx, x: JExpr): unknown {
    const file = ctx.src.file;
    switch (x.e) {
      case 'lit':
        return x.v;
      case 'name': {
        if (ctx.locals.has(x.v)) return ctx.locals.get(x.v);
        if (ctx.cls && Object.prototype.hasOwnProperty.call(ctx.cls.fields, x.v)) return ctx.cls.fields[x.v];
        if (x.v === 'request') return REQUEST;
        const cls = this.resolveClass(ctx, x.v);
        if (cls) return cls;
        return { kind: 'package', path: x.v } satisfies PackageRef;
      }
      case 'member': {
        const o = this.java(ctx, x.obj) as JavaClass | PackageRef | EnumConstant | HostRef | null;
        if (o && typeof o === 'object' && 'kind' in o) {
          if (o.kind === 'package') {
            const path = `${o.path}.${x.name}`;
            return this.resolveClass(ctx, path) ?? ({ kind: 'package', path } satisfies PackageRef);
          }
          if (o.kind === 'class') {
            if (Object.prototype.hasOwnProperty.call(o.fields, x.name)) return o.fields[x.name];
            if (o.enumConstants.includes(x.name)) return { kind: 'enum', cls: o.fqcn, name: x.name } satisfies EnumConstant;
            throw new JspError(`${file}:${x.line}: ${o.fqcn} has no constant ${x.name} in its source`);
          }
          if (o.kind === 'host' && o.host.fields && x.name in o.host.fields) return o.host.fields[x.name];
        }
        throw new JspError(`${file}:${x.line}: cannot read .${x.name}`);
      }
      case 'call': {
        const args = x.args.map((a) => this.java(ctx, a));
        if (x.obj === null) throw new JspError(`${file}:${x.line}: call of ${x.name}() without an object`);
        const o = this.java(ctx, x.obj);
        return callMethod(o, x.name, args, `${file}:${x.line}`, { params: ctx.params, headers: this.req.headers }, this.site);
      }
      case 'new': {
        const cls = this.resolveClass(ctx, x.cls);
        if (cls?.kind === 'host' && cls.host.construct) return cls.host.construct(x.args.map((a) => this.java(ctx, a)));
        throw new JspError(`${file}:${x.line}: new ${x.cls}(): no such host class`);
      }
      case 'un': {
        const v = this.java(ctx, x.x);
        return x.op === '!' ? !v : -Number(v);
      }
      case 'bin': {
        if (x.op === '&&') return Boolean(this.java(ctx, x.a)) && Boolean(this.java(ctx, x.b));
        if (x.op === '||') return Boolean(this.java(ctx, x.a)) || Boolean(this.java(ctx, x.b));
        const a = this.java(ctx, x.a);
        const b = this.java(ctx, x.b);
        switch (x.op) {
          case '+':
            return typeof a === 'string' || typeof b === 'string' ? javaStr(a) + javaStr(b) : Number(a) + Number(b);
          case '-':
            return Number(a) - Number(b);
          case '*':
            return Number(a) * Number(b);
          case '/':
            return Math.trunc(Number(a) / Number(b));
          case '%':
            return Number(a) % Number(b);
          case '==':
            return a === b;
          case '!=':
            return a !== b;
          case '<':
            return Number(a) < Number(b);
          case '>':
            return Number(a) > Number(b);
          case '<=':
            return Number(a) <= Number(b);
          case '>=':
            return Number(a) >= Number(b);
        }
        throw new JspError(`${file}: Java operator ${x.op}`);
      }
      case 'cond':
        return this.java(ctx, x.c) ? this.java(ctx, x.a) : this.java(ctx, x.b);
      case 'assign': {
        if (!ctx.locals.has(x.name)) throw new JspError(`${file}:${x.line}: assignment to undeclared ${x.name}`);
        const v = this.java(ctx, x.x);
        const next = x.op === '+=' ? javaStr(ctx.locals.get(x.name)) + javaStr(v) : v;
        ctx.locals.set(x.name, next);
        return next;
      }
    }
  }

  // ---- Tags

  private tag(ctx: PageCtx, open: Extract<Item, { k: 'open' }>, body: Stmt[]): string {
    const at = where(ctx.src, open.line);
    const a = (n: string) => this.attrValue(ctx, open.attrs.find((x) => x.name === n), open.line);
    const has = (n: string) => open.attrs.some((x) => x.name === n);
    const key = `${open.prefix}:${open.name}`;
    const scopeOf = (s: unknown): Map<string, unknown> => (str(s) === 'request' ? this.request : ctx.page.vars);
    const withSink = (sink: Array<[string, string]>) => {
      const saved = ctx.paramSink;
      ctx.paramSink = sink;
      try {
        return this.run(ctx, body);
      } finally {
        ctx.paramSink = saved;
      }
    };
    const tagdir = ctx.tagdirs.get(open.prefix);
    if (tagdir) return this.tagFile(ctx, tagdir, open, at);
    switch (key) {
      case 'jsp:useBean': {
        const id = str(a('id'));
        const scope = scopeOf(a('scope'));
        if (!scope.has(id)) {
          const cls = str(a('class'));
          scope.set(id, cls === 'java.util.TreeMap' ? new TreeMap() : /^java\.util\.\w*Map$/.test(cls) ? new Map() : {});
        }
        return '';
      }
      case 'c:set': {
        const value = has('value') ? a('value') : this.run(ctx, body).trim();
        if (has('target')) {
          const target = a('target');
          if (!(target instanceof Map)) throw new JspError(`${at}: <c:set target> is not a map`);
          target.set(str(a('property')), value);
        } else scopeOf(a('scope')).set(str(a('var')), value);
        return '';
      }
      case 'c:if': {
        const ok = truthy(a('test'));
        if (has('var')) scopeOf(a('scope')).set(str(a('var')), ok);
        return ok ? this.run(ctx, body) : '';
      }
      case 'c:choose': {
        for (const s of body) {
          if (s.s === 'tag' && s.open.prefix === 'c' && s.open.name === 'when') {
            if (truthy(this.attrValue(ctx, s.open.attrs.find((x) => x.name === 'test'), s.open.line))) return this.run(ctx, s.body);
          } else if (s.s === 'tag' && s.open.prefix === 'c' && s.open.name === 'otherwise') return this.run(ctx, s.body);
          else if (!(s.s === 'item' && s.item.k === 'text' && !s.item.s.trim())) throw new JspError(`${at}: <c:choose> holds something other than <c:when>/<c:otherwise>`);
        }
        return '';
      }
      case 'c:forEach': {
        const items = a('items');
        const list: unknown[] =
          items instanceof Map
            ? [...items].map(([k, v]) => new Map<string, unknown>([['key', k], ['value', v]]))
            : Array.isArray(items)
              ? items
              : typeof items === 'string'
                ? items.split(',')
                : [];
        const v = str(a('var'));
        let out = '';
        const saved = ctx.page.vars.get(v);
        for (const item of list) {
          ctx.page.vars.set(v, item);
          out += this.run(ctx, body);
        }
        if (saved === undefined) ctx.page.vars.delete(v);
        else ctx.page.vars.set(v, saved);
        return out;
      }
      case 'c:catch':
        try {
          return this.run(ctx, body);
        } catch (err) {
          if (err instanceof JspError) throw err;
          if (has('var')) ctx.page.vars.set(str(a('var')), String(err));
          return '';
        }
      case 'c:out': {
        const v = has('value') ? a('value') : null;
        const text = v === null || v === undefined ? str(a('default')) : str(v);
        return has('escapeXml') && !truthy(a('escapeXml')) ? text : escapeXml(text);
      }
      case 'c:param': {
        if (!ctx.paramSink) throw new JspError(`${at}: <c:param> outside <c:url>/<c:import>`);
        ctx.paramSink.push([str(a('name')), has('value') ? str(a('value')) : this.run(ctx, body).trim()]);
        return '';
      }
      case 'c:url': {
        const sink: Array<[string, string]> = [];
        withSink(sink);
        let url = str(a('value'));
        if (url.startsWith('/') && !has('context')) url = this.site.contextPath + url;
        if (sink.length) url += (url.includes('?') ? '&' : '?') + sink.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        if (has('var')) {
          scopeOf(a('scope')).set(str(a('var')), url);
          return '';
        }
        return url;
      }
      case 'c:import': {
        const sink: Array<[string, string]> = [];
        withSink(sink);
        const url = str(a('url'));
        if (/^[a-z]+:/i.test(url)) throw new JspError(`${at}: <c:import> of an absolute URL (${url}) is not supported`);
        const [path, query = ''] = url.split('?', 2) as [string, string?];
        const target = normalize(path.startsWith('/') ? path : ctx.dir + path);
        const params: Array<[string, string]> = [...new URLSearchParams(query), ...sink, ...ctx.params];
        const out = this.renderFile(target, params, ctx.depth + 1);
        if (has('var')) {
          scopeOf(a('scope')).set(str(a('var')), out);
          return '';
        }
        return out;
      }
      case 'fmt:setLocale':
        this.request.set('javax.servlet.jsp.jstl.fmt.locale', str(a('value')) || 'en');
        return '';
      case 'fmt:setBundle': {
        const basename = str(a('basename'));
        const locale = str(this.request.get('javax.servlet.jsp.jstl.fmt.locale') ?? 'en') || 'en';
        const text = this.site.bundle(basename, locale) ?? this.site.bundle(basename, '');
        if (text === null) throw new JspError(`${at}: no resource bundle ${basename}`);
        const b = new Bundle(basename, parseProperties(text));
        if (has('var')) scopeOf(a('scope')).set(str(a('var')), b);
        else this.request.set('javax.servlet.jsp.jstl.fmt.localizationContext', b);
        return '';
      }
      case 'fmt:message': {
        const k = has('key') ? str(a('key')) : this.run(ctx, body).trim();
        const b = has('bundle') ? a('bundle') : this.request.get('javax.servlet.jsp.jstl.fmt.localizationContext');
        const msg = b instanceof Bundle && b.messages.has(k) ? (b.messages.get(k) as string) : `???${k}???`;
        if (has('var')) {
          scopeOf(a('scope')).set(str(a('var')), msg);
          return '';
        }
        return msg;
      }
    }
    throw new JspError(`${at}: <${key}> is not supported`);
  }

  /** A tag file: its attribute directives declare the page-scope variables its body sees. */
  private tagFile(ctx: PageCtx, tagdir: string, open: Extract<Item, { k: 'open' }>, at: string): string {
    const text = this.site.readTag(tagdir, open.name);
    if (text === null) throw new JspError(`${at}: no tag file ${tagdir}/${open.name}.tag`);
    const file = `${tagdir}/${open.name}.tag`;
    const src: Source = { file, text };
    const items = lex(src, new Set());
    const declared = items.flatMap((i) => (i.k === 'directive' && i.name === 'attribute' ? [i.attrs.find((x) => x.name === 'name')?.value ?? ''] : []));
    const vars = new Map<string, unknown>();
    for (const name of declared) vars.set(name, null);
    for (const attr of open.attrs) {
      if (!declared.includes(attr.name)) throw new JspError(`${at}: ${file} has no attribute ${attr.name}`);
      vars.set(attr.name, this.attrValue(ctx, attr, open.line));
    }
    const tctx: PageCtx = {
      src,
      dir: ctx.dir,
      params: ctx.params,
      page: { vars },
      locals: new Map(),
      imports: ['java.lang'],
      tagdirs: new Map(),
      paramSink: null,
      depth: ctx.depth + 1,
    };
    return this.run(tctx, parseProgram(items, file));
  }
}

const REQUEST = { kind: 'request' } as const;

const BUILTIN_HOSTS: Record<string, HostClass> = {
  'java.lang.Boolean': { statics: { parseBoolean: (s: unknown) => typeof s === 'string' && s.toLowerCase() === 'true', valueOf: (s: unknown) => typeof s === 'string' && s.toLowerCase() === 'true' } },
  'java.lang.Integer': { statics: { parseInt: (s: unknown) => parseInt(String(s), 10), valueOf: (s: unknown) => parseInt(String(s), 10) } },
  'java.lang.String': { statics: { valueOf: (s: unknown) => javaStr(s) } },
  // No system properties are set: System.getProperty answers null, as for an unset property.
  'java.lang.System': { statics: { getProperty: () => null } },
  'ca.nrc.cadc.util.StringUtil': { statics: { hasText: (s: unknown) => typeof s === 'string' && s.trim().length > 0 } },
};

function javaStr(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object' && 'kind' in (v as object) && (v as EnumConstant).kind === 'enum') return (v as EnumConstant).name;
  return String(v);
}

/** `req` is the page's own view of the request: an included page sees its include's parameters. */
function callMethod(o: unknown, name: string, args: unknown[], at: string, req: JspRequest, site: JspSite): unknown {
  if (o === REQUEST) {
    const first = (k: unknown) => req.params.find(([n]) => n === k)?.[1] ?? null;
    if (name === 'getParameter') return first(args[0]);
    if (name === 'getHeader') {
      const k = String(args[0]).toLowerCase();
      return Object.entries(req.headers ?? {}).find(([n]) => n.toLowerCase() === k)?.[1] ?? null;
    }
    if (name === 'getAttribute') return null;
    if (name === 'getContextPath') return site.contextPath;
  }
  if (o && typeof o === 'object' && 'kind' in o) {
    const k = (o as { kind: string }).kind;
    if (k === 'enum' && name === 'name') return (o as EnumConstant).name;
    if (k === 'host') {
      const fn = (o as HostRef).host.statics?.[name];
      if (fn) return fn(...args);
    }
  }
  if (typeof o === 'string') {
    switch (name) {
      case 'trim':
        return o.trim();
      case 'equals':
        return o === args[0];
      case 'equalsIgnoreCase':
        return typeof args[0] === 'string' && o.toLowerCase() === args[0].toLowerCase();
      case 'length':
        return o.length;
      case 'isEmpty':
        return o.length === 0;
      case 'toLowerCase':
        return o.toLowerCase();
      case 'toUpperCase':
        return o.toUpperCase();
      case 'startsWith':
        return o.startsWith(String(args[0]));
      case 'endsWith':
        return o.endsWith(String(args[0]));
      case 'contains':
        return o.includes(String(args[0]));
      case 'toString':
        return o;
    }
  }
  if (o && typeof o === 'object') {
    const fn = (o as Record<string, unknown>)[name];
    if (typeof fn === 'function') return (fn as (...a: unknown[]) => unknown).apply(o, args);
  }
  if (o === null || o === undefined) throw new JspError(`${at}: ${name}() called on null (a NullPointerException in Java)`);
  throw new JspError(`${at}: method ${name}() is not supported`);
}

function parseJavaExpr(code: string, line: number, file: string): JExpr {
  const toks = javaTokens(code, line, file);
  const p = new Parser([...toks, { t: 'op', v: ';', line }], file);
  const [s] = p.stmts();
  if (!s || s.s !== 'expr') throw new JspError(`${file}:${line}: not a Java expression: ${code.trim()}`);
  return s.x;
}

function closingBrace(text: string, from: number): number {
  let quote: string | null = null;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '}') return i;
  }
  return -1;
}

function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return `/${out.join('/')}`;
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#034;', "'": '&#039;' })[c] as string);
}

/**
 * Renders the JSP at `path` (a web-application path, `/index.jsp`) for a request. Throws JspError
 * (file:line and what is not supported) rather than render something the page does not say.
 */
export function renderJsp(site: JspSite, path: string, request: JspRequest): string {
  return new Renderer(site, request).renderFile(path, request.params, 0);
}
