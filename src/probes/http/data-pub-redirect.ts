/**
 * `data_pub_redirect`: GET /data/pub/<ARCHIVE>/<file> → a redirect to minoc (cadc-reference.md
 * §4.1); the file is not downloaded. Option `dataFile`: `--data-file`, the profile's
 * `probes.http.data_file`.
 */
import type { HttpProbe } from './probe.ts';

/** The production example of §4.1. */
export const DEFAULT_DATA_FILE = 'CFHT/1722795p.fits.fz';

export const dataPubRedirect: HttpProbe = {
  name: 'data_pub_redirect',
  service: 'data',
  options: {
    dataFile: {
      default: DEFAULT_DATA_FILE,
      flag: '--data-file <ARCHIVE/file>',
      help: 'file for the /data/pub redirect probe',
      profile: { key: 'data_file', what: 'a path such as CFHT/1722795p.fits.fz', describe: `<ARCHIVE>/<file> under /data/pub for the redirect probe (default: ${DEFAULT_DATA_FILE})` },
    },
  },
  run(ctx) {
    const url = `${ctx.base('data')}/pub/${ctx.option('dataFile').replace(/^\/+/, '')}`;
    return ctx.attempt('GET', url, async () => {
      const { res, ms } = await ctx.fetch(url, {}, false);
      const location = res.headers.get('location') ?? '';
      if (res.status >= 300 && res.status < 400 && location) {
        return { ok: true, ms, detail: `${res.status} to ${/\/minoc\/files\//.test(location) ? 'minoc' : 'elsewhere'}` };
      }
      return { ok: false, ms, detail: `${res.status}: expected a redirect to minoc` };
    });
  },
};
