/**
 * The CADC services the HTTP probes know: the `service` label → host role and path
 * (cadc-reference.md §1, §7), and which of them a run probes (`--services`, the profile's
 * `probes.http.services`).
 */
import type { UrlRole } from '../../config/profile.ts';
import { UserError } from '../../errors.ts';

export interface HttpService {
  role: UrlRole;
  path: string;
  /** Whether it has a VOSI /capabilities document. */
  capabilities: boolean;
}

export const HTTP_SERVICES: Record<string, HttpService> = {
  access: { role: 'www', path: '/access', capabilities: false }, // /access has only /availability (§7)
  reg: { role: 'ws', path: '/reg', capabilities: true },
  argus: { role: 'ws', path: '/argus', capabilities: true },
  data: { role: 'ws', path: '/data', capabilities: true },
  ac: { role: 'ws_cadc', path: '/ac', capabilities: true },
  skaha: { role: 'ws_uv', path: '/skaha', capabilities: true },
  arc: { role: 'ws_uv', path: '/arc', capabilities: true },
  youcat: { role: 'ws_uv', path: '/youcat', capabilities: true },
};

export const DEFAULT_HTTP_SERVICES = ['access', 'reg', 'argus', 'data', 'ac', 'skaha', 'arc'];

/** `--services a,b` or the profile's list, validated; none given = the default list. */
export function parseServices(list: string[] | undefined): string[] {
  if (!list?.length) return [...DEFAULT_HTTP_SERVICES];
  const names = [...new Set(list.map((s) => s.trim()).filter(Boolean))];
  const unknown = names.filter((s) => !(s in HTTP_SERVICES));
  if (unknown.length || !names.length) throw new UserError(`unknown service ${unknown.join(', ') || '(none)'}: use some of ${Object.keys(HTTP_SERVICES).join(', ')}`);
  return names;
}
