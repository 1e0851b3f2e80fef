/** `availability`: GET <svc>/availability on every service, the VOSI document parsed (cadc-reference.md §7). */
import type { HttpProbe } from './probe.ts';
import { oneLine } from '../../errors.ts';
import { parseAvailability } from './vosi.ts';

export const availability: HttpProbe = {
  name: 'availability',
  service: 'each',
  run(ctx, service) {
    const url = `${ctx.base(service)}/availability`;
    return ctx.attempt('GET', url, async () => {
      const { res, body, ms } = await ctx.fetch(url, { headers: { accept: 'text/xml' } });
      if (res.status >= 500) return { ok: false, ms, available: false, detail: `${res.status}: not available` };
      const parsed = res.ok ? parseAvailability(body) : undefined;
      if (!parsed) return { ok: false, ms, detail: `${res.status}: not a VOSI availability document` };
      return { ok: true, ms, available: parsed.available, detail: `available=${parsed.available}${parsed.note ? ` (${oneLine(parsed.note).slice(0, 160)})` : ''}` };
    });
  },
};
