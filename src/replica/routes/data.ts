/**
 * Download (cadc-reference.md §4.1): `/data/pub/<ARCHIVE>/<file>` answers 303 to a pre-authorised
 * minoc URL `/minoc/files/<token>/<Artifact URI>`, which streams the file's real (generated) bytes
 * with Content-Length, Content-Disposition, Content-Type, Digest and Last-Modified (also the vault
 * files a VOSpace transfer negotiated: ./vospace.ts). A private file
 * goes 303 to `/data/auth/…`, which refuses anonymous callers with 401 Basic realm "CADC". HEAD on
 * `/data/pub` answers the metadata headers without a redirect.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ReplicaContext } from '../context.ts';
import type { ReplicaFile } from '../data.ts';
import { redirect, send, type Route } from '../http.ts';
import { originOf } from './search.ts';

const TEXT = 'text/plain; charset=utf-8';
const CHUNK = 64 * 1024;

function fileHeaders(f: ReplicaFile): Record<string, string | number> {
  return {
    'content-type': f.contentType,
    'content-length': f.size,
    'content-disposition': `inline; filename="${f.name}"`,
    digest: `md5=${f.md5()}`,
    'last-modified': f.lastModified.toUTCString(),
    'accept-ranges': 'none',
  };
}

/** Streams the bytes in chunks, waiting for the socket to drain (a real file server's pace). */
async function stream(res: ServerResponse, bytes: Buffer): Promise<void> {
  for (let o = 0; o < bytes.length && !res.destroyed; o += CHUNK) {
    if (!res.write(bytes.subarray(o, o + CHUNK))) await new Promise((r) => res.once('drain', r));
  }
  res.end();
}

export function dataRoutes(ctx: ReplicaContext): Route[] {
  const { files } = ctx.data;
  /** Pre-authorised tokens minoc accepts, token → file key. */
  const preauth = new Map<string, string>();

  const toMinoc = (origin: string, key: string, f: ReplicaFile, search: string): string => {
    const token = randomBytes(18).toString('base64url');
    preauth.set(token, key);
    return `${origin}/minoc/files/${token}/${f.uri}${search}`;
  };

  return [
    {
      key: 'GET /data/pub/{archive}/{file}',
      handler: ({ req, res, url, params }) => {
        const key = `${params.archive}/${params.file}`;
        const f = files.get(key);
        if (!f) return send(res, 404, TEXT, `NotFound: ${key}`);
        if (req.method === 'HEAD') {
          res.writeHead(200, fileHeaders(f));
          return void res.end();
        }
        if (!f.public) return redirect(res, 303, `${originOf(req)}/data/auth/${key}${url.search}`);
        redirect(res, 303, toMinoc(originOf(req), key, f, url.search));
      },
    },
    {
      key: 'GET /data/auth/{archive}/{file}',
      handler: ({ req, res, url, params }) => {
        const key = `${params.archive}/${params.file}`;
        const f = files.get(key);
        if (!f) return send(res, 404, TEXT, `NotFound: ${key}`);
        if (!ctx.tokens.caller(req)) {
          res.setHeader('www-authenticate', 'Basic realm="CADC", charset="UTF-8"');
          return send(res, 401, TEXT, 'Unauthorized');
        }
        redirect(res, 303, toMinoc(originOf(req), key, f, url.search));
      },
    },
    {
      key: 'GET /minoc/files/{token}/{uri+}',
      handler: async ({ req, res, params }) => {
        const key = preauth.get(params.token ?? '');
        // else a vault file this storage site holds (a transfer negotiation's pre-authorised URL, ../vospace.ts)
        const f = key ? files.get(key) : ctx.vospace.minocFile(params.token ?? '', params.uri ?? '');
        if (!f || f.uri !== params.uri) return send(res, 403, TEXT, 'PermissionDenied: invalid or expired pre-authorised URL');
        const since = req.headers['if-modified-since'];
        if (since && Date.parse(since) >= f.lastModified.getTime()) {
          res.writeHead(304);
          return void res.end();
        }
        res.writeHead(200, fileHeaders(f));
        if (req.method === 'HEAD') return void res.end();
        await stream(res, f.bytes());
      },
    },
  ];
}
