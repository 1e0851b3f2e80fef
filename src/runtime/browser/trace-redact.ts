/**
 * Keeps secrets out of the Playwright traces we keep for failed journeys. A trace records fill()
 * values, request bodies (the login form's password), headers (CADC_SSO cookies, Bearer tokens)
 * and response bodies (the token `/ac/login` answers), and the network part of a context's trace
 * spans every chunk, so pausing tracing cannot keep them out. Instead a saved trace is rewritten:
 * sensitive header values are replaced, every value seen in them and every given secret (with
 * its URL- and JSON-encoded forms) is replaced wherever it occurs, and the zip is written anew
 * (stored entries). Only Node's zlib is used.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';
import { REDACTED, SENSITIVE_HEADERS, secretForms, secretsInHeaderValue } from '../../results/redact.ts';

interface Entry {
  name: string;
  data: Buffer;
}

export function readZip(buf: Buffer): Entry[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out: Entry[] = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad zip central directory');
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + size);
    const data = method === 0 ? Buffer.from(raw) : method === 8 ? inflateRawSync(raw) : undefined;
    if (!data) throw new Error(`zip entry ${name}: unsupported method ${method}`);
    out.push({ name, data });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

export function writeZip(entries: readonly Entry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const crc = crc32(e.data);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(0x0800, 6); // UTF-8 names
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(e.data.length, 18);
    lh.writeUInt32LE(e.data.length, 22);
    lh.writeUInt16LE(name.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(0x0800, 8);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(e.data.length, 20);
    ch.writeUInt32LE(e.data.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(offset, 42);
    locals.push(lh, name, e.data);
    centrals.push(ch, name);
    offset += 30 + name.length + e.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** Replaces sensitive header values in trace JSON lines, collecting what they held. */
function redactHeaders(text: string, found: Set<string>): string {
  return text.replace(/\{"name":"([^"]+)","value":"((?:[^"\\]|\\.)*)"\}/g, (whole, name: string, value: string) => {
    if (!SENSITIVE_HEADERS.has(name.toLowerCase())) return whole;
    let plain = value;
    try {
      plain = JSON.parse(`"${value}"`) as string;
    } catch {
      /* keep raw */
    }
    for (const s of secretsInHeaderValue(plain)) found.add(s);
    return `{"name":${JSON.stringify(name)},"value":"${REDACTED}"}`;
  });
}

const isText = (name: string): boolean => !/\.(jpe?g|png|gif|webp|woff2?|ttf)$/i.test(name);

/** Rewrites the trace zip at `path` so that none of `secrets`, nor any credential header value, is in it. */
export function redactTrace(path: string, secrets: readonly string[]): void {
  const entries = readZip(readFileSync(path));
  const found = new Set<string>();
  const texts = new Map<string, string>();
  for (const e of entries) {
    if (!isText(e.name)) continue;
    texts.set(e.name, redactHeaders(e.data.toString('latin1'), found));
  }
  const all = [...new Set([...secrets.filter((s) => s.length >= 4), ...found])].flatMap(secretForms).sort((a, b) => b.length - a.length);
  const out = entries.map((e) => {
    const text = texts.get(e.name);
    if (text === undefined) return e;
    let t = text;
    for (const s of all) {
      const latin = Buffer.from(s, 'utf8').toString('latin1');
      if (t.includes(latin)) t = t.split(latin).join(REDACTED);
    }
    return { name: e.name, data: Buffer.from(t, 'latin1') };
  });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, writeZip(out));
  renameSync(tmp, path);
}
