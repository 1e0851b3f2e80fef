/**
 * The `corrupt` fault: the answer leaves with the first byte of its body flipped (bits inverted)
 * while its status and headers are the real ones, so a `Digest: md5=…` no longer matches the bytes
 * (a corrupted transfer, what vcp reports as "Downloaded file is corrupted").
 */
import type { ServerResponse } from 'node:http';

type Writer = (chunk: unknown, ...rest: unknown[]) => unknown;

export function corruptBody(res: ServerResponse): void {
  let flipped = false;
  /** The chunk as bytes (a string in its encoding, which is then dropped from the arguments), the first one flipped. */
  const wrap = (original: Writer): Writer => (chunk, ...rest) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return original(chunk, ...rest);
    let bytes: Buffer;
    if (Buffer.isBuffer(chunk) || chunk instanceof Uint8Array) bytes = Buffer.from(chunk);
    else {
      const encoding = typeof rest[0] === 'string' ? (rest.shift() as BufferEncoding) : 'utf8';
      bytes = Buffer.from(String(chunk), encoding);
    }
    if (!flipped && bytes.length) {
      bytes[0] = (bytes[0] as number) ^ 0xff;
      flipped = true;
    }
    return original(bytes, ...rest);
  };
  res.write = wrap(res.write.bind(res) as Writer) as ServerResponse['write'];
  res.end = wrap(res.end.bind(res) as Writer) as ServerResponse['end'];
}
