/**
 * VOSpace writes and transfers on vault and arc (cadc-reference.md §6.2), as the real services answer
 * the calls `vos`/`vcp` make (vostools e54b472 vos/vos/vos.py, cadctools 688e957
 * cadcutils/net/netutils.py Transfer, cadcutils/net/ws.py BaseDataClient; opencadc/vos fffd932
 * cadc-vos-server/…/transfers/*, cavern/…/files/*; opencadc/storage-inventory 84eb972
 * vault/…/VaultTransferGenerator.java; opencadc/uws 7f2ff0f SyncPostAction):
 *
 * - nodes: `PUT <svc>/nodes/<path>` with a `vos:node` document creates a ContainerNode or an empty
 *   DataNode (201 and the node; 409 DuplicateNode, 404 ContainerNotFound, 400 InvalidURI when the
 *   document's uri is not the path's), `GET` reads it (vault here; arc's GET is ./storage.ts's, which
 *   asks the same store), `DELETE` removes it (200, 404 NodeNotFound). Homes are private to their user.
 * - the sync transfer negotiation: `POST <svc>/synctrans` with a `vos:transfer` document (target,
 *   direction pushToVoSpace | pullFromVoSpace, protocols with optional securityMethod) → 303
 *   `<svc>/synctrans/<job>/run` → (the negotiation runs: a push creates the DataNode when missing)
 *   303 `<svc>/transfers/<job>/results/transferDetails` → 303 `<svc>/xfer/<job>` → 200 the transfer
 *   document with one `vos:endpoint` per protocol. `GET <svc>/transfers/<job>/phase` says EXECUTING
 *   (negotiated) or ERROR, `…/error` the fault (NodeNotFound, PermissionDenied, …); a failed
 *   negotiation's document has no protocol, as TransferDetailsServlet clears them.
 * - the bytes: arc (cavern) `PUT|GET <arc>/files/<path>` with the caller's token, or
 *   `…/files/preauth:<token>/<path>` pre-authorised; vault's go to the storage site,
 *   `PUT /minoc/files/preauth:<token>/cadc:vault/<uuid>` (GET is ./data.ts's minoc route). A PUT
 *   checks a `Digest: md5=<base64>` header against the bytes (412 and the node emptied on a
 *   mismatch, cavern PutAction) and answers 201 with the Digest of what it stored; a GET sends
 *   `Digest`, `Content-Length`, `Content-Disposition`, `Last-Modified`, and 204 for an empty node.
 *
 * Faults work per route as everywhere, e.g. `PUT /arc/files/{path+}=delay:500` or
 * `GET /arc/files/{path+}=corrupt` (the bytes no longer match their Digest).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReplicaContext } from '../context.ts';
import { redirect, send, type Route } from '../http.ts';
import { USERS, type ReplicaUser } from '../users.ts';
import { VOS_NS, VOS_SERVICES, authorityOf, digestHeader, ivoaDate, md5Hex, storedNodeXml, type StoredNode, type VosService } from '../vospace.ts';
import { originOf } from './search.ts';

const TEXT = 'text/plain; charset=utf-8';
const XML = 'text/xml';
const CHUNK = 64 * 1024;

const SECURITY_ANON = 'ivo://ivoa.net/std/auth#anon';
const PUSH_PROTOCOLS = ['ivo://ivoa.net/vospace/core#httpsput', 'ivo://ivoa.net/vospace/core#httpput'];
const PULL_PROTOCOLS = ['ivo://ivoa.net/vospace/core#httpsget', 'ivo://ivoa.net/vospace/core#httpget'];

type Direction = 'pushToVoSpace' | 'pullFromVoSpace';

interface RequestedProtocol {
  uri: string;
  securityMethod?: string;
}

interface Endpoint extends RequestedProtocol {
  endpoint: string;
}

interface TransferJob {
  svc: VosService;
  /** Who negotiated (the job's owner). */
  user?: ReplicaUser;
  target: string;
  path: string;
  direction: Direction;
  protocols: RequestedProtocol[];
  phase: 'PENDING' | 'EXECUTING' | 'ERROR';
  error?: string;
  /** The endpoints, made when the negotiation ran. */
  endpoints: Endpoint[];
}

/** A node fault: status and the IVOA fault name the body starts with (cadc-vos-server NodeFault). */
class Fault extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const localName = (tag: string) => `<(?:[A-Za-z_][\\w.-]*:)?${tag}\\b`;
const textOf = (xml: string, tag: string): string | undefined =>
  new RegExp(`${localName(tag)}[^>]*>([\\s\\S]*?)</(?:[A-Za-z_][\\w.-]*:)?${tag}>`).exec(xml)?.[1]?.trim();
const attr = (attrs: string, name: string): string | undefined => new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attrs)?.[1];
const unesc = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** A `vos:transfer` document as cadcutils Transfer.transfer writes it. */
export function parseTransfer(xml: string): { target?: string; direction?: string; protocols: RequestedProtocol[] } {
  const protocols: RequestedProtocol[] = [];
  const re = new RegExp(`${localName('protocol')}([^>]*?)(?:/>|>([\\s\\S]*?)</(?:[A-Za-z_][\\w.-]*:)?protocol>)`, 'g');
  for (const m of xml.matchAll(re)) {
    const uri = attr(m[1] ?? '', 'uri');
    if (!uri) continue;
    const sec = new RegExp(`${localName('securityMethod')}([^>]*)`).exec(m[2] ?? '');
    protocols.push({ uri: unesc(uri), securityMethod: sec ? attr(sec[1] ?? '', 'uri') : undefined });
  }
  const target = textOf(xml, 'target');
  return { target: target ? unesc(target) : undefined, direction: textOf(xml, 'direction'), protocols };
}

/** The path of a `vos://cadc.nrc.ca~<svc>/<path>` URI of this service, or undefined. */
function pathOfUri(svc: VosService, uri: string): string | undefined {
  const m = /^vos:\/\/cadc\.nrc\.ca[~!]([^/]+)\/?(.*)$/.exec(uri);
  if (!m || m[1] !== svc) return undefined;
  return decodeURIComponent(m[2] ?? '').replace(/^\/+|\/+$/g, '');
}

function transferXml(job: TransferJob): string {
  const protocols = job.endpoints
    .map(
      (e) => `  <vos:protocol uri="${e.uri}">
    <vos:endpoint>${e.endpoint.replace(/&/g, '&amp;')}</vos:endpoint>${e.securityMethod ? `\n    <vos:securityMethod uri="${e.securityMethod}"/>` : ''}
  </vos:protocol>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<vos:transfer xmlns:vos="${VOS_NS}" version="2.1">
  <vos:target>${job.target.replace(/&/g, '&amp;')}</vos:target>
  <vos:direction>${job.direction}</vos:direction>
${protocols}
</vos:transfer>
`;
}

/** Streams bytes in chunks, waiting for the socket to drain. */
async function stream(res: ServerResponse, bytes: Buffer): Promise<void> {
  for (let o = 0; o < bytes.length && !res.destroyed; o += CHUNK) {
    if (!res.write(bytes.subarray(o, o + CHUNK))) await new Promise((r) => res.once('drain', r));
  }
  res.end();
}

/** The md5 (hex) a request's `Digest: md5=<base64>` header claims, when it has one. */
function claimedMd5(req: IncomingMessage): string | undefined {
  const m = /(?:^|,)\s*md5=([A-Za-z0-9+/=]+)/i.exec(String(req.headers.digest ?? ''));
  if (!m) return undefined;
  const raw = Buffer.from(m[1] as string, 'base64');
  return raw.length === 16 ? raw.toString('hex') : undefined;
}

export function vospaceRoutes(ctx: ReplicaContext): Route[] {
  const { tokens, vospace: store } = ctx;
  const jobs = new Map<string, TransferJob>();

  const fail = (res: ServerResponse, err: unknown) => {
    if (err instanceof Fault) return send(res, err.status, TEXT, `${err.message}\n`);
    throw err;
  };
  /** The caller may write under `path` (its home); 401 anonymous, 403 someone else's. */
  const checkWrite = (user: ReplicaUser | undefined, path: string): ReplicaUser => {
    if (!user) throw new Fault(401, 'NotAuthenticated');
    const owner = store.homeOwner(path);
    if (!owner || owner.username !== user.username) throw new Fault(403, `PermissionDenied: ${path}`);
    return user;
  };
  const checkRead = (user: ReplicaUser | undefined, path: string): void => {
    if (!path || path === 'home') return; // the root and /home are public
    checkWrite(user, path);
  };
  const parentOf = (path: string) => path.split('/').slice(0, -1).join('/');
  const existingContainer = (svc: VosService, path: string): boolean => store.get(svc, path)?.type === 'vos:ContainerNode';

  /** The negotiation (TransferRunner + Push/PullFromVOSpaceNegotiation): checks, creates a missing push target, makes the endpoints. */
  const negotiate = (job: TransferJob, origin: string): void => {
    const { svc, path, direction } = job;
    if (!job.user) throw new Fault(401, 'NotAuthenticated');
    if (!store.homeOwner(path) || path.split('/').length < 3) throw new Fault(403, 'PermissionDenied');
    checkWrite(job.user, path);
    let node = store.get(svc, path);
    if (direction === 'pushToVoSpace') {
      if (!existingContainer(svc, parentOf(path))) throw new Fault(404, 'ContainerNotFound');
      if (node && node.type !== 'vos:DataNode') throw new Fault(400, 'InvalidArgument: transfer destination is not a data node');
      node ??= store.put(svc, path, { type: 'vos:DataNode', owner: job.user.username, date: ivoaDate() });
    } else {
      if (!node) throw new Fault(404, 'NodeNotFound');
      if (node.type !== 'vos:DataNode') throw new Fault(400, 'InvalidArgument: not a data node');
    }
    const allowed = direction === 'pushToVoSpace' ? PUSH_PROTOCOLS : PULL_PROTOCOLS;
    const write = direction === 'pushToVoSpace';
    const preauth = () => store.grant({ svc, path, write, user: job.user?.username ?? '' });
    const endpoints: Endpoint[] = [];
    if (svc === 'vault') {
      // storage nodes only work with pre-auth URLs, one per protocol URI whatever the security method asked for
      const seen = new Set<string>();
      for (const p of job.protocols) {
        if (!allowed.includes(p.uri) || seen.has(p.uri)) continue;
        seen.add(p.uri);
        endpoints.push({ uri: p.uri, endpoint: `${origin}/minoc/files/preauth:${preauth()}/${(node as StoredNode).storageID}` });
      }
    } else {
      // CavernURLGenerator.handleDataNode: anon → a preauth URL (and, for a read, the plain one); a security method → the plain URL
      for (const p of job.protocols) {
        if (!allowed.includes(p.uri)) continue;
        const anon = !p.securityMethod || p.securityMethod === SECURITY_ANON;
        if (anon) endpoints.push({ uri: p.uri, endpoint: `${origin}/arc/files/preauth:${preauth()}/${path}` });
        if (!anon || !write) endpoints.push({ uri: p.uri, endpoint: `${origin}/arc/files/${path}`, securityMethod: p.securityMethod });
      }
    }
    job.endpoints = endpoints;
  };

  /** Who may touch the bytes of `path`: a grant of the right kind for it, or its owner with a token. */
  const bytesAccess = (req: IncomingMessage, svc: VosService, rawPath: string, write: boolean): { path: string; user: string } => {
    const m = /^preauth:([^/]+)\/(.*)$/.exec(rawPath);
    if (m) {
      const grant = store.redeem(m[1] as string);
      const path = (m[2] as string).replace(/^\/+|\/+$/g, '');
      if (!grant || grant.svc !== svc || grant.path !== path || (write && !grant.write)) throw new Fault(403, 'PermissionDenied: invalid or expired pre-authorised URL');
      return { path, user: grant.user };
    }
    const path = rawPath.replace(/^\/+|\/+$/g, '');
    const user = tokens.caller(req);
    return { path, user: checkWrite(user, path).username };
  };

  const putBytes = (req: IncomingMessage, res: ServerResponse, svc: VosService, path: string, user: string, raw: Buffer): void => {
    if (!existingContainer(svc, parentOf(path))) throw new Fault(404, `NotFound: parent container ${parentOf(path)}`);
    const existing = store.get(svc, path);
    if (existing && existing.type !== 'vos:DataNode') throw new Fault(400, 'InvalidArgument: not a data node');
    const contentType = req.headers['content-type'];
    const node = store.write(svc, path, existing?.owner ?? user, raw, contentType);
    const claimed = claimedMd5(req);
    const actual = md5Hex(raw);
    if (claimed && claimed !== actual) {
      store.truncate(svc, path);
      throw new Fault(412, `PreconditionFailed: checksum mismatch: md5:${claimed} != md5:${actual}`);
    }
    res.writeHead(201, { 'content-length': 0, digest: digestHeader(node.md5 ?? md5Hex(Buffer.alloc(0))), ...(contentType ? { 'content-type': contentType } : {}) });
    res.end();
  };

  const routes: Route[] = [];
  for (const svc of VOS_SERVICES) {
    if (svc === 'vault') {
      const getNode = ({ req, res, params }: { req: IncomingMessage; res: ServerResponse; params: Record<string, string> }) => {
        try {
          const path = (params.path ?? '').replace(/^\/+|\/+$/g, '');
          const node = store.get(svc, path);
          if (!node) throw new Fault(404, `NodeNotFound: ${authorityOf(svc)}/${path}`);
          checkRead(tokens.caller(req), path);
          const children: Array<[string, StoredNode]> =
            path === '' ? [['home', store.get(svc, 'home') as StoredNode]] : path === 'home' ? USERS.map((u) => [u.username, store.get(svc, `home/${u.username}`) as StoredNode]) : store.children(svc, path);
          send(res, 200, XML, storedNodeXml(svc, path, node, children));
        } catch (err) {
          fail(res, err);
        }
      };
      routes.push(
        { key: 'GET /vault/nodes', handler: ({ req, res }) => getNode({ req, res, params: {} }) },
        { key: 'GET /vault/nodes/', handler: ({ req, res }) => getNode({ req, res, params: {} }) },
        { key: 'GET /vault/nodes/{path+}', handler: getNode },
        {
          // vos `_get`: the files endpoint answers 303 to the bytes at the storage site, 204 for an empty file (cadc-reference §4.1)
          key: 'GET /vault/files/{path+}',
          handler: ({ req, res, params }) => {
            try {
              const path = (params.path ?? '').replace(/^\/+|\/+$/g, '');
              const user = checkWrite(tokens.caller(req), path);
              const node = store.get(svc, path);
              if (node?.type !== 'vos:DataNode') throw new Fault(404, `NodeNotFound: ${path}`);
              if (!node.bytes?.length) return send(res, 204, TEXT, '');
              const token = store.grant({ svc, path, write: false, user: user.username });
              redirect(res, 303, `${originOf(req)}/minoc/files/preauth:${token}/${node.storageID}`);
            } catch (err) {
              fail(res, err);
            }
          },
        },
      );
    }
    routes.push(
      {
        key: `PUT /${svc}/nodes/{path+}`,
        handler: ({ req, res, params, body }) => {
          try {
            const path = (params.path ?? '').replace(/^\/+|\/+$/g, '');
            const user = tokens.caller(req);
            const root = new RegExp(`${localName('node')}([^>]*)>`).exec(body);
            if (!root) throw new Fault(400, 'InvalidArgument: no node document');
            const docUri = unesc(attr(root[1] ?? '', 'uri') ?? '');
            if (pathOfUri(svc, docUri) !== path) throw new Fault(400, `InvalidURI: invalid input: vos URI mismatch: doc=${docUri} and path=${authorityOf(svc)}/${path}`);
            const type = attr(root[1] ?? '', 'xsi:type');
            if (type !== 'vos:ContainerNode' && type !== 'vos:DataNode') throw new Fault(400, `InvalidArgument: unsupported node type ${type ?? '(none)'}`);
            if (!existingContainer(svc, parentOf(path))) throw new Fault(404, `ContainerNotFound: ${docUri}`);
            if (store.get(svc, path)) throw new Fault(409, `DuplicateNode: ${docUri}`);
            const owner = checkWrite(user, path);
            const node = store.put(svc, path, { type, owner: owner.username, date: ivoaDate(), ...(type === 'vos:DataNode' ? { bytes: Buffer.alloc(0) } : {}) });
            send(res, 201, XML, storedNodeXml(svc, path, node));
          } catch (err) {
            fail(res, err);
          }
        },
      },
      {
        key: `DELETE /${svc}/nodes/{path+}`,
        handler: ({ req, res, params }) => {
          try {
            const path = (params.path ?? '').replace(/^\/+|\/+$/g, '');
            if (!store.get(svc, path)) throw new Fault(404, `NodeNotFound: ${authorityOf(svc)}/${path}`);
            checkWrite(tokens.caller(req), path);
            if (path.split('/').length < 3) throw new Fault(403, `PermissionDenied: ${path}`); // a home itself
            store.remove(svc, path);
            send(res, 200, TEXT, '');
          } catch (err) {
            fail(res, err);
          }
        },
      },
      {
        key: `POST /${svc}/synctrans`,
        handler: ({ req, res, body }) => {
          const doc = parseTransfer(body);
          const path = doc.target ? pathOfUri(svc, doc.target) : undefined;
          if (!doc.target || path === undefined) return send(res, 400, TEXT, `InvalidArgument: target ${doc.target ?? '(none)'} is not a node of ${authorityOf(svc)}\n`);
          if (doc.direction !== 'pushToVoSpace' && doc.direction !== 'pullFromVoSpace') return send(res, 400, TEXT, `InvalidArgument: unsupported direction ${doc.direction ?? '(none)'}\n`);
          const id = randomBytes(8).toString('hex');
          jobs.set(id, { svc, user: tokens.caller(req), target: doc.target, path, direction: doc.direction, protocols: doc.protocols, phase: 'PENDING', endpoints: [] });
          redirect(res, 303, `${originOf(req)}/${svc}/synctrans/${id}/run`);
        },
      },
      {
        key: `GET /${svc}/synctrans/{id}/run`,
        handler: ({ req, res, params }) => {
          const job = jobs.get(params.id ?? '');
          if (!job || job.svc !== svc) return send(res, 404, TEXT, `job not found: ${params.id}\n`);
          if (job.phase === 'PENDING') {
            try {
              negotiate(job, originOf(req));
              job.phase = 'EXECUTING';
            } catch (err) {
              if (!(err instanceof Fault)) throw err;
              job.phase = 'ERROR';
              job.error = err.message;
            }
          }
          // the XML negotiation always ends in the standard redirect, also after an error (TransferRunner.doTransferRedirect)
          redirect(res, 303, `${originOf(req)}/${svc}/transfers/${params.id}/results/transferDetails`);
        },
      },
      {
        key: `GET /${svc}/transfers/{id}/results/transferDetails`,
        handler: ({ req, res, params }) => {
          if (!jobs.has(params.id ?? '')) return send(res, 404, TEXT, `job not found: ${params.id}\n`);
          redirect(res, 303, `${originOf(req)}/${svc}/xfer/${params.id}`);
        },
      },
      {
        key: `GET /${svc}/xfer/{id}`,
        handler: ({ res, params }) => {
          const job = jobs.get(params.id ?? '');
          if (!job || job.svc !== svc) return send(res, 404, TEXT, `job not found: ${params.id}\n`);
          send(res, 200, XML, transferXml(job));
        },
      },
      {
        key: `GET /${svc}/transfers/{id}/phase`,
        handler: ({ res, params }) => {
          const job = jobs.get(params.id ?? '');
          if (!job || job.svc !== svc) return send(res, 404, TEXT, `job not found: ${params.id}\n`);
          send(res, 200, TEXT, job.phase);
        },
      },
      {
        key: `GET /${svc}/transfers/{id}/error`,
        handler: ({ res, params }) => {
          const job = jobs.get(params.id ?? '');
          if (!job || job.svc !== svc) return send(res, 404, TEXT, `job not found: ${params.id}\n`);
          send(res, 200, TEXT, job.error ?? '');
        },
      },
    );
  }

  routes.push(
    {
      key: 'PUT /arc/files/{path+}',
      handler: ({ req, res, params, raw }) => {
        try {
          const { path, user } = bytesAccess(req, 'arc', params.path ?? '', true);
          putBytes(req, res, 'arc', path, user, raw);
        } catch (err) {
          fail(res, err);
        }
      },
    },
    {
      key: 'GET /arc/files/{path+}',
      handler: async ({ req, res, params }) => {
        let node: StoredNode | undefined;
        let path: string;
        try {
          ({ path } = bytesAccess(req, 'arc', params.path ?? '', false));
          node = store.get('arc', path);
          if (!node) throw new Fault(404, `NodeNotFound: ${authorityOf('arc')}/${path}`);
          if (node.type !== 'vos:DataNode') throw new Fault(400, 'GET for directories not supported');
        } catch (err) {
          return fail(res, err);
        }
        const bytes = node.bytes ?? Buffer.alloc(0);
        // cavern HeadAction.resolveAndSetMetadata
        const headers: Record<string, string | number> = {
          'content-length': bytes.length,
          'content-disposition': `inline; filename="${path.split('/').pop()}"`,
          'content-type': node.contentType ?? 'application/octet-stream',
          'last-modified': new Date(`${node.date}Z`).toUTCString(),
        };
        if (node.md5) headers.digest = digestHeader(node.md5);
        if (!bytes.length) {
          res.writeHead(204, headers);
          return void res.end();
        }
        res.writeHead(200, headers);
        if (req.method === 'HEAD') return void res.end();
        await stream(res, bytes);
      },
    },
    {
      // vault's bytes at the storage site (minoc PutAction): a write grant for the node whose Artifact URI this is
      key: 'PUT /minoc/files/{token}/{uri+}',
      handler: ({ req, res, params, raw }) => {
        try {
          const grant = store.redeem((params.token ?? '').replace(/^preauth:/, ''));
          const found = store.byStorageID(params.uri ?? '');
          if (!grant?.write || grant.svc !== 'vault' || !found || found.path !== grant.path) throw new Fault(403, 'PermissionDenied: invalid or expired pre-authorised URL');
          putBytes(req, res, 'vault', found.path, grant.user, raw);
        } catch (err) {
          fail(res, err);
        }
      },
    },
  );
  return routes;
}
