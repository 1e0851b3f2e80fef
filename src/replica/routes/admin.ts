/** Replica-only routes (never on the real portal): read and replace the fault table at run time. */
import type { ReplicaContext } from '../context.ts';
import type { Fault } from '../faults.ts';
import { send, type Route } from '../http.ts';

export function adminRoutes(ctx: ReplicaContext): Route[] {
  return [
    { key: 'GET /favicon.ico', handler: ({ res }) => send(res, 204, 'image/x-icon', '') },
    {
      key: 'GET /__replica/faults',
      handler: ({ res }) => send(res, 200, 'application/json', JSON.stringify(Object.fromEntries(ctx.faults))),
    },
    {
      key: 'PUT /__replica/faults',
      handler: ({ res, body }) => {
        ctx.faults.clear();
        for (const [k, v] of Object.entries(JSON.parse(body || '{}') as Record<string, Fault>)) ctx.faults.set(k, v);
        send(res, 204, 'text/plain', '');
      },
    },
  ];
}
