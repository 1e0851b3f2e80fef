/** `tap_sync_query`: POST /argus/sync with a one-row ADQL query → 303 → GET …/run (cadc-reference.md §3.4); the figure is both requests. */
import type { HttpProbe } from './probe.ts';

/** A tiny ADQL query every CAOM TAP service answers. */
export const TAP_QUERY = "SELECT TOP 1 column_name FROM TAP_SCHEMA.columns WHERE table_name = 'caom2.Observation'";

export const tapSyncQuery: HttpProbe = {
  name: 'tap_sync_query',
  service: 'argus',
  run(ctx) {
    const url = `${ctx.base('argus')}/sync`;
    return ctx.attempt('POST', url, async () => {
      const form = new URLSearchParams({ LANG: 'ADQL', FORMAT: 'csv', MAXREC: '1', QUERY: TAP_QUERY }).toString();
      const post = await ctx.fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
      const location = post.res.headers.get('location');
      if (post.res.status !== 303 || !location) return { ok: false, ms: post.ms, detail: `${post.res.status}: expected 303 to the job's /run` };
      const run = await ctx.fetch(new URL(location, url).toString());
      const ms = post.ms + run.ms;
      return run.res.ok ? { ok: true, ms, detail: `303 then ${run.res.status}, ${run.body.length} bytes` } : { ok: false, ms, detail: `303 then ${run.res.status}` };
    });
  },
};
