/**
 * `token_login`: POST /ac/login with the run's user (cadc-reference.md §2.1); the token it gets is
 * kept in the context for the probes that need one (session_list), never printed. Without
 * credentials it is skipped.
 */
import type { HttpProbe } from './probe.ts';

export const tokenLogin: HttpProbe = {
  name: 'token_login',
  service: 'ac',
  async run(ctx) {
    const url = `${ctx.base('ac')}/login`;
    const creds = ctx.credentials;
    if (!creds) return { detail: 'skipped: no credentials (PERFPULSE_USERNAME and PERFPULSE_PASSWORD[_FILE])' };
    return ctx.attempt('POST', url, async () => {
      const form = new URLSearchParams({ username: creds.username, password: creds.password }).toString();
      const { res, body, ms } = await ctx.fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
      if (res.status === 200 && body.trim()) {
        ctx.token = body.trim();
        return { ok: true, ms, detail: `200, token for ${res.headers.get('x-vo-authenticated') ? 'the user' : 'an unnamed user'}` };
      }
      return { ok: false, ms, detail: `${res.status}: login refused` }; // body may echo input: not logged
    });
  },
};
