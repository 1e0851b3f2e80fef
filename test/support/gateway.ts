/**
 * A real Pushgateway for the tests (Debian's prometheus-pushgateway on 127.0.0.1, a free port,
 * persistence off: src/push/local-gateway.ts). `suiteGateway()`, called inside a describe, starts
 * one before its tests and stops it after them; `withGateway(fn)` gives one to a single test and
 * stops it however the test ends.
 */
import { after, before } from 'node:test';
import { startLocalPushgateway, type LocalGateway } from '../../src/push/local-gateway.ts';

/** The gateway of the enclosing describe: its fields are read once `before` has started it. */
export function suiteGateway(): LocalGateway {
  let gw: LocalGateway | undefined;
  before(async () => {
    gw = await startLocalPushgateway();
  });
  after(async () => {
    await gw?.stop();
  });
  const started = (): LocalGateway => {
    if (!gw) throw new Error('the suite gateway is not started yet: read it inside a test or a later hook');
    return gw;
  };
  return {
    get url() {
      return started().url;
    },
    get port() {
      return started().port;
    },
    get process() {
      return started().process;
    },
    stop: () => started().stop(),
  };
}

/** Runs `fn` with a gateway of its own, stopped afterwards whether `fn` passes or throws. */
export async function withGateway<T>(fn: (gw: LocalGateway) => Promise<T>, opts: { port?: number } = {}): Promise<T> {
  const gw = await startLocalPushgateway(opts);
  try {
    return await fn(gw);
  } finally {
    await gw.stop();
  }
}
