/** `resource_caps`: GET /reg/resource-caps, the registry's `ivo://… = URL` lines (cadc-reference.md §1.3). */
import type { HttpProbe } from './probe.ts';
import { parseRegistry } from './vosi.ts';

export const resourceCaps: HttpProbe = {
  name: 'resource_caps',
  service: 'reg',
  run(ctx) {
    const url = `${ctx.base('reg')}/resource-caps`;
    return ctx.attempt('GET', url, async () => {
      const { res, body, ms } = await ctx.fetch(url);
      const entries = res.ok ? parseRegistry(body) : new Map<string, string>();
      const ivo = [...entries.keys()].filter((k) => k.startsWith('ivo://')).length;
      return ivo ? { ok: true, ms, detail: `${ivo} resourceIDs` } : { ok: false, ms, detail: `${res.status}: no ivo:// entries` };
    });
  },
};
