/** `capabilities`: GET <svc>/capabilities on every service that has one (all but access, §7). */
import type { HttpProbe } from './probe.ts';
import { capabilityIds } from './vosi.ts';

export const capabilities: HttpProbe = {
  name: 'capabilities',
  service: 'each',
  appliesTo: (s) => s.capabilities,
  run(ctx, service) {
    const url = `${ctx.base(service)}/capabilities`;
    return ctx.attempt('GET', url, async () => {
      const { res, body, ms } = await ctx.fetch(url, { headers: { accept: 'text/xml' } });
      const ids = res.ok ? capabilityIds(body) : [];
      return ids.length ? { ok: true, ms, detail: `${ids.length} capabilities` } : { ok: false, ms, detail: `${res.status}: no VOSI capabilities` };
    });
  },
};
