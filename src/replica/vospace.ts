/**
 * The replica's writable VOSpace: the nodes users create under their homes on vault and arc, the
 * bytes of their data nodes, and the pre-authorised URLs a transfer negotiation hands out. The
 * routes (./routes/vospace.ts, and arc's node GET in ./routes/storage.ts) read and write it; the
 * vault's bytes are served by the storage site's minoc (./routes/data.ts, `/minoc/files/…`), as
 * the real vault stores its files in storage inventory (opencadc/storage-inventory
 * vault/…/VaultTransferGenerator.java). Every user's home (`home/<user>`) exists and is readable
 * and writable by that user only; nothing else exists until a client creates it.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ReplicaFile } from './data.ts';
import { USERS, type ReplicaUser } from './users.ts';

export const VOS_SERVICES = ['vault', 'arc'] as const;
export type VosService = (typeof VOS_SERVICES)[number];

export const VOS_NS = 'http://www.ivoa.net/xml/VOSpace/v2.0';
/** `vos://cadc.nrc.ca~<svc>`: the authority of a node URI (VOSURI accepts `~` and `!`). */
export const authorityOf = (svc: VosService): string => `vos://cadc.nrc.ca~${svc}`;

export type NodeType = 'vos:ContainerNode' | 'vos:DataNode';

export interface StoredNode {
  type: NodeType;
  /** The owner's username. */
  owner: string;
  /** IVOA date `yyyy-MM-dd'T'HH:mm:ss.SSS` (UTC), of the last change. */
  date: string;
  /** A data node's bytes (empty until a transfer wrote them). */
  bytes?: Buffer;
  /** MD5 of the bytes, hex (the node's `#MD5` property); absent while the node is empty. */
  md5?: string;
  contentType?: string;
  /** vault: the storage-inventory Artifact URI of the bytes, `cadc:vault/<uuid>`. */
  storageID?: string;
}

/** A pre-authorised URL's grant: which node, and read or write (cadc-vos TokenTool ReadGrant / WriteGrant). */
export interface Grant {
  svc: VosService;
  path: string;
  write: boolean;
  /** The user the token stands for (the caller who negotiated). */
  user: string;
}

export const ivoaDate = (ms = Date.now()): string => new Date(ms).toISOString().replace(/Z$/, '');

/** `md5=<base64>` of a hex MD5, the `Digest` header value cadc-rest writes (SyncOutput.setDigest). */
export const digestHeader = (md5hex: string): string => `md5=${Buffer.from(md5hex, 'hex').toString('base64')}`;
export const md5Hex = (bytes: Buffer): string => createHash('md5').update(bytes).digest('hex');

const clean = (path: string): string => path.replace(/^\/+|\/+$/g, '').replace(/\/{2,}/g, '/');

export class VospaceStore {
  private readonly trees: Record<VosService, Map<string, StoredNode>> = { vault: new Map(), arc: new Map() };
  private readonly grants = new Map<string, Grant>();

  /** The user whose home holds `path` (`home/<user>/…`), when that user exists. */
  homeOwner(path: string): ReplicaUser | undefined {
    const m = /^home\/([^/]+)(\/|$)/.exec(clean(path));
    return m ? USERS.find((u) => u.username === m[1]) : undefined;
  }

  /** The node at `path`: the root, `home` and every user's home exist; the rest only once created. */
  get(svc: VosService, rawPath: string): StoredNode | undefined {
    const path = clean(rawPath);
    if (path === '' || path === 'home') return { type: 'vos:ContainerNode', owner: '', date: '2026-01-01T00:00:00.000' };
    const home = /^home\/([^/]+)$/.exec(path);
    if (home) {
      const user = USERS.find((u) => u.username === home[1]);
      return user ? { type: 'vos:ContainerNode', owner: user.username, date: '2026-01-01T00:00:00.000' } : undefined;
    }
    return this.trees[svc].get(path);
  }

  /** The created children of a container, by name. */
  children(svc: VosService, rawPath: string): Array<[string, StoredNode]> {
    const path = clean(rawPath);
    const prefix = path ? `${path}/` : '';
    const out: Array<[string, StoredNode]> = [];
    for (const [p, node] of this.trees[svc]) {
      if (p.startsWith(prefix) && !p.slice(prefix.length).includes('/')) out.push([p.slice(prefix.length), node]);
    }
    return out.sort(([a], [b]) => a.localeCompare(b));
  }

  /** Creates or replaces a node; the caller has checked the parent and the permission. */
  put(svc: VosService, rawPath: string, node: StoredNode): StoredNode {
    if (svc === 'vault' && node.type === 'vos:DataNode' && !node.storageID) node.storageID = `cadc:vault/${randomUUID()}`;
    this.trees[svc].set(clean(rawPath), node);
    return node;
  }

  /** Removes the node and everything under it (a created node only: homes stay). */
  remove(svc: VosService, rawPath: string): boolean {
    const path = clean(rawPath);
    const tree = this.trees[svc];
    if (!tree.has(path)) return false;
    for (const p of [...tree.keys()]) if (p === path || p.startsWith(`${path}/`)) tree.delete(p);
    for (const [token, g] of this.grants) if (g.svc === svc && (g.path === path || g.path.startsWith(`${path}/`))) this.grants.delete(token);
    return true;
  }

  /** Writes a data node's bytes (creating the node in an existing container when it is missing). */
  write(svc: VosService, rawPath: string, owner: string, bytes: Buffer, contentType?: string): StoredNode {
    const path = clean(rawPath);
    const node = this.trees[svc].get(path) ?? this.put(svc, path, { type: 'vos:DataNode', owner, date: ivoaDate() });
    node.bytes = bytes;
    node.md5 = bytes.length ? md5Hex(bytes) : undefined;
    node.date = ivoaDate();
    if (contentType) node.contentType = contentType;
    return node;
  }

  /** Empties a data node (cavern truncates the file when the bytes did not match their digest). */
  truncate(svc: VosService, rawPath: string): void {
    const node = this.trees[svc].get(clean(rawPath));
    if (node?.type !== 'vos:DataNode') return;
    node.bytes = Buffer.alloc(0);
    node.md5 = undefined;
  }

  /** A new pre-authorised token for one node, read or write. */
  grant(g: Grant): string {
    const token = randomBytes(18).toString('base64url');
    this.grants.set(token, { ...g, path: clean(g.path) });
    return token;
  }

  /** What a token grants, when it is one of ours. */
  redeem(token: string): Grant | undefined {
    return this.grants.get(token);
  }

  /** The vault data node whose bytes are the Artifact `uri`. */
  byStorageID(uri: string): { path: string; node: StoredNode } | undefined {
    for (const [path, node] of this.trees.vault) if (node.storageID === uri) return { path, node };
    return undefined;
  }

  /**
   * minoc's view of a vault file: `GET /minoc/files/preauth:<token>/<Artifact URI>` with a read
   * grant for that node. Undefined when the token or the URI is not one of vault's.
   */
  minocFile(token: string, uri: string): ReplicaFile | undefined {
    const grant = this.redeem(token.replace(/^preauth:/, ''));
    const found = this.byStorageID(uri);
    if (!grant || grant.write || grant.svc !== 'vault' || !found || found.path !== grant.path) return undefined;
    const { node, path } = found;
    const bytes = node.bytes ?? Buffer.alloc(0);
    return {
      archive: 'vault',
      name: path.split('/').pop() ?? '',
      uri,
      size: bytes.length,
      public: false,
      contentType: node.contentType ?? 'application/octet-stream',
      lastModified: new Date(`${node.date}Z`),
      bytes: () => bytes,
      md5: () => (node.md5 ? Buffer.from(node.md5, 'hex').toString('base64') : createHash('md5').update(bytes).digest('base64')),
    };
  }
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
const prop = (uri: string, v: string | number) => `<vos:property uri="${uri}">${esc(String(v))}</vos:property>`;

/** The properties of a stored node as cadc-vos NodeWriter writes them (detail=max), for its owner. */
function properties(node: StoredNode, length: number): string {
  const parts = [
    prop('ivo://ivoa.net/vospace/core#length', length),
    prop('ivo://ivoa.net/vospace/core#date', node.date),
    prop('ivo://ivoa.net/vospace/core#ispublic', 'false'),
  ];
  if (node.owner) parts.push(prop('ivo://ivoa.net/vospace/core#creator', `CN=${node.owner}`));
  if (node.md5) parts.push(prop('ivo://ivoa.net/vospace/core#MD5', node.md5));
  if (node.contentType) parts.push(prop('ivo://ivoa.net/vospace/core#type', node.contentType));
  if (node.owner) parts.push(prop('ivo://cadc.nrc.ca/vospace/core#readable', 'true'), prop('ivo://cadc.nrc.ca/vospace/core#writable', 'true'));
  return parts.join('\n    ');
}

/** The `vos:node` XML of a stored node and, for a container, its created children. */
export function storedNodeXml(svc: VosService, rawPath: string, node: StoredNode, children: Array<[string, StoredNode]> = []): string {
  const path = clean(rawPath);
  const uri = path ? `${authorityOf(svc)}/${esc(path)}` : authorityOf(svc);
  const lengthOf = (n: StoredNode) => n.bytes?.length ?? 0;
  const body =
    node.type === 'vos:DataNode'
      ? '  <vos:accepts/>\n  <vos:provides/>'
      : `  <vos:nodes>\n${children
          .map(
            ([name, c]) => `    <vos:node uri="${uri}/${esc(name)}" xsi:type="${c.type}"${c.type === 'vos:DataNode' ? ' busy="false"' : ''}>
      <vos:properties>
    ${properties(c, lengthOf(c))}
      </vos:properties>
    </vos:node>`,
          )
          .join('\n')}\n  </vos:nodes>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<vos:node xmlns:vos="${VOS_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" uri="${uri}" xsi:type="${node.type}"${node.type === 'vos:DataNode' ? ' busy="false"' : ''}>
  <vos:properties>
    ${properties(node, node.type === 'vos:DataNode' ? lengthOf(node) : children.reduce((n, [, c]) => n + lengthOf(c), 0))}
  </vos:properties>
${body}
</vos:node>
`;
}
