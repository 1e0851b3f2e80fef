/**
 * The `slowbody` fault: a response's body leaves at most N bytes per second, in ticks of 100 ms,
 * while its status and headers go out at once (a slow disk or a congested link, not a slow server).
 */
import type { ServerResponse } from 'node:http';

const TICK_MS = 100;

export function throttleBody(res: ServerResponse, bytesPerSecond: number): void {
  const write = res.write.bind(res) as (chunk: Buffer) => boolean;
  const end = res.end.bind(res) as () => ServerResponse;
  const queue: Buffer[] = [];
  let ending = false;
  let timer: NodeJS.Timeout | undefined;
  const perTick = Math.max(1, Math.floor((bytesPerSecond * TICK_MS) / 1000));

  const pump = () => {
    timer = undefined;
    if (res.destroyed) return;
    let budget = perTick;
    while (budget > 0 && queue.length) {
      const head = queue[0] as Buffer;
      const piece = head.subarray(0, budget);
      write(piece);
      budget -= piece.length;
      if (piece.length === head.length) queue.shift();
      else queue[0] = head.subarray(piece.length);
    }
    if (queue.length) timer = setTimeout(pump, TICK_MS);
    else if (ending) end();
  };
  const schedule = () => {
    if (!timer) timer = setTimeout(pump, TICK_MS);
  };
  const toBuffer = (chunk: unknown, encoding?: unknown): Buffer =>
    Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');

  // headersSent turns true at writeHead(), before anything left: flush once, whoever wrote the head
  let flushed = false;
  const flushHead = () => {
    if (flushed) return;
    flushed = true;
    res.flushHeaders();
  };
  res.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
    flushHead();
    queue.push(toBuffer(chunk, encoding));
    schedule();
    if (typeof encoding === 'function') (encoding as () => void)();
    else if (typeof cb === 'function') (cb as () => void)();
    return true;
  }) as ServerResponse['write'];
  res.end = ((chunk?: unknown, encoding?: unknown, cb?: unknown) => {
    if (typeof chunk === 'function') cb = chunk;
    else if (chunk !== undefined && chunk !== null) queue.push(toBuffer(chunk, encoding));
    flushHead();
    ending = true;
    schedule();
    if (typeof encoding === 'function') (encoding as () => void)();
    else if (typeof cb === 'function') (cb as () => void)();
    return res;
  }) as ServerResponse['end'];
  res.on('close', () => {
    if (timer) clearTimeout(timer);
  });
}
