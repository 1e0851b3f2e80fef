/**
 * How much the k8s latency probe adds on top of the API's own time: lists `pods` N times against
 * the fake HTTPS API of the tests with a first-byte delay D, and prints the median and p95 of
 * latency − D − connect (client library, fake server and scheduling). Not a test: a measurement.
 *
 *   npx node bench/k8s-latency-overhead.ts [rounds=20] [delayMs=200]
 */
import { loadK8sTarget } from '../src/probes/k8s/config.ts';
import { K8sClient } from '../src/probes/k8s/client.ts';
import { startFakeK8s } from '../test/support/fake-k8s.ts';

const rounds = Number(process.argv[2] ?? 20);
const D = Number(process.argv[3] ?? 200);
const fk = await startFakeK8s();
try {
  fk.faults.set('pods', { delayMs: D });
  const client = new K8sClient(loadK8sTarget({ kubeconfig: fk.kubeconfig(), env: { HOME: '/nonexistent' } }));
  await client.warmUp(10_000);
  const excess: number[] = [];
  const connect: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const out = await client.list('pods', 10_000);
    if (out.result !== 'ok' || out.connectMs === undefined) throw new Error(`round ${i}: ${out.result} ${out.detail}`);
    excess.push(out.ms - D - out.connectMs);
    connect.push(out.connectMs);
  }
  const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] as number;
  console.log(`rounds ${rounds}, D ${D} ms`);
  console.log(`first call excess ${excess[0]?.toFixed(1)} ms`);
  console.log(`excess over D + connect: median ${q(excess, 0.5).toFixed(1)} ms, p95 ${q(excess, 0.95).toFixed(1)} ms, max ${Math.max(...excess).toFixed(1)} ms`);
  console.log(`connect (new TCP+TLS): median ${q(connect, 0.5).toFixed(1)} ms, p95 ${q(connect, 0.95).toFixed(1)} ms`);
} finally {
  await fk.stop();
}
