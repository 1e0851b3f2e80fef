/**
 * The VOSpace documents the transfer probe writes and reads, as vos/vcp do (vostools e54b472
 * vos/vos/vos.py Node, cadctools 688e957 cadcutils/net/netutils.py Transfer.transfer): a
 * `vos:node` to create a folder, a `vos:transfer` to negotiate, and the endpoints of the
 * transfer document the service answers. No XML library: the shapes are tiny.
 */

export const VOS_NS = 'http://www.ivoa.net/xml/VOSpace/v2.0';
/** cadcutils SSO_SECURITY_METHODS['token']: what a client authenticating with a bearer token asks for. */
export const SECURITY_TOKEN = 'ivo://ivoa.net/sso#token';
export const STD_NODES = 'ivo://ivoa.net/std/VOSpace/v2.0#nodes';
export const STD_SYNC = 'ivo://ivoa.net/std/VOSpace#sync-2.1';

export type Direction = 'pushToVoSpace' | 'pullFromVoSpace';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
const unesc = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** `vos://cadc.nrc.ca~<svc>/<path>`: the URI vos gives a node of a CADC VOSpace service. */
export const nodeUri = (svc: string, path: string): string => `vos://cadc.nrc.ca~${svc}/${path.replace(/^\/+/, '')}`;

/** A ContainerNode document, as `vmkdir` PUTs it. */
export function containerNodeXml(uri: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<vos:node xmlns:vos="${VOS_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" uri="${esc(uri)}" xsi:type="vos:ContainerNode">
  <vos:properties/>
  <vos:nodes/>
</vos:node>
`;
}

/**
 * The transfer document of a push or pull with a token: one protocol with the token security
 * method and the same protocol anonymous (cadcutils adds "the default anon method" after the
 * authenticated ones).
 */
export function transferXml(uri: string, direction: Direction): string {
  const protocol = `ivo://ivoa.net/vospace/core#${direction === 'pushToVoSpace' ? 'httpsput' : 'httpsget'}`;
  return `<vos:transfer xmlns:vos="${VOS_NS}" version="2.1"><vos:target>${esc(uri)}</vos:target><vos:direction>${direction}</vos:direction><vos:protocol uri="${protocol}"><vos:securityMethod uri="${SECURITY_TOKEN}" /></vos:protocol><vos:protocol uri="${protocol}" /></vos:transfer>`;
}

/** The `vos:endpoint` URLs of a transfer document, in order (what vcp tries, first to last). */
export function transferEndpoints(xml: string): string[] {
  return [...xml.matchAll(/<(?:[A-Za-z_][\w.-]*:)?endpoint\b[^>]*>\s*([^<\s]+)\s*<\//g)].map((m) => unesc(m[1] as string));
}

/** Whether a document is a transfer document at all. */
export const isTransfer = (xml: string): boolean => /<(?:[A-Za-z_][\w.-]*:)?transfer\b/.test(xml);

/** The `xsi:type` of a `vos:node` document's root. */
export function nodeType(xml: string): string | undefined {
  return /<(?:[A-Za-z_][\w.-]*:)?node\b[^>]*\bxsi:type="([^"]+)"/.exec(xml)?.[1];
}

/** Whether a container's document lists any child node. */
export const hasChildren = (xml: string): boolean => /<(?:[A-Za-z_][\w.-]*:)?nodes\b[^>]*>[\s\S]*?<(?:[A-Za-z_][\w.-]*:)?node\b/.test(xml);

/** The md5 (hex) of a `Digest: md5=<base64>` header, as cadcutils extract_md5 reads it. */
export function digestMd5(header: string | null): string | undefined {
  const m = /(?:^|,)\s*md5=([A-Za-z0-9+/=]+)/i.exec(header ?? '');
  if (!m) return undefined;
  const raw = Buffer.from(m[1] as string, 'base64');
  return raw.length === 16 ? raw.toString('hex') : undefined;
}

/** `md5=<base64>` of a hex md5, as cadcutils add_md5_header writes it. */
export const digestHeader = (md5hex: string): string => `md5=${Buffer.from(md5hex, 'hex').toString('base64')}`;
