/** `session_list`: GET /skaha/v1/session with the token of token_login (cadc-reference.md §5.2). */
import type { HttpProbe } from './probe.ts';

export const sessionList: HttpProbe = {
  name: 'session_list',
  service: 'skaha',
  needs: 'token_login',
  run(ctx) {
    const url = `${ctx.base('skaha')}/v1/session`;
    return ctx.attempt('GET', url, async () => {
      if (!ctx.token) return { detail: 'skipped: no token (token_login did not succeed)' };
      const headers = { authorization: `Bearer ${ctx.token}`, 'x-skaha-authentication-type': 'RUNTIME-TOKEN', accept: 'application/json' };
      const { res, body, ms } = await ctx.fetch(url, { headers });
      let list: unknown;
      try {
        list = JSON.parse(body);
      } catch {
        list = undefined;
      }
      return res.ok && Array.isArray(list) ? { ok: true, ms, detail: `${list.length} sessions` } : { ok: false, ms, detail: `${res.status}: expected a JSON array` };
    });
  },
};
