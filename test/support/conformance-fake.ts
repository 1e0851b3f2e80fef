/**
 * `npm run conformance` as its entry point runs it (conformance/run.ts main), with a test-only front
 * end instead of the registry: it owns GET /access/login and answers it with the replica's own page
 * from a server of its own. For the tests that signal the whole process.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FrontEnd } from '../../conformance/frontend.ts';
import { main } from '../../conformance/run.ts';

const fake: FrontEnd = {
  name: 'fake-login',
  repo: 'example/fake-login',
  journeys: ['login', 'science_portal'],
  fromReplica: ['everything but the login page (a test front end)'],
  owns: (method, path) => method === 'GET' && path.split('?')[0] === '/access/login',
  check: () => null,
  async start(opts) {
    const server = createServer((req, res) => {
      void fetch(`${opts.replicaOrigin}${req.url}`).then(async (r) => {
        const html = await r.text();
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
        res.end(html);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return {
      origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      stop: () => new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
    };
  },
};

await main([fake]);
