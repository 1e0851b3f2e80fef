/**
 * The bundled replica for a describe (src/replica/server.ts on 127.0.0.1, a free port):
 * `suiteReplica(opts)`, called inside a describe, starts one before its tests and stops it after
 * them, as `suiteGateway()` does for a Pushgateway. Its fields are read once `before` has started it.
 */
import { after, before } from 'node:test';
import { startReplica, type Replica, type ReplicaOptions } from '../../src/replica/server.ts';

export function suiteReplica(opts: ReplicaOptions = {}): Replica {
  let replica: Replica | undefined;
  before(async () => {
    replica = await startReplica(opts);
  });
  after(async () => {
    await replica?.stop();
  });
  const started = (): Replica => {
    if (!replica) throw new Error('the suite replica is not started yet: read it inside a test or a later hook');
    return replica;
  };
  return {
    get origin() {
      return started().origin;
    },
    get port() {
      return started().port;
    },
    get certificate() {
      return started().certificate;
    },
    get faults() {
      return started().faults;
    },
    set faults(f) {
      // the running server reads this very table: change what is in it, not which table the handle names
      const table = started().faults;
      table.clear();
      for (const [route, fault] of f) table.set(route, fault);
    },
    get routeKeys() {
      return started().routeKeys;
    },
    serves: (method, path) => started().serves(method, path),
    stop: () => started().stop(),
  };
}
