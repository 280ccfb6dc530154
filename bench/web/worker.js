// workerd runner (a module Worker). workerd's clocks (Date.now, performance.now) do not advance while a
// request computes — only when it waits for I/O (a Spectre mitigation) — so a batch is timed by reading
// Date.now after a real round trip to the bench driver (env.TICK, an external service on 127.0.0.1) before
// and after it, minus the median of the same measurement around an empty batch.
import { runBench } from './bench.js';

export default {
  async fetch(request, env) {
    const options = JSON.parse(new URL(request.url).searchParams.get('options'));
    const tick = async () => {
      await (await env.TICK.fetch('http://tick/')).arrayBuffer();
      return Date.now();
    };
    const raw = async (fn) => {
      const t0 = await tick();
      await fn();
      return (await tick()) - t0;
    };
    const empties = [];
    for (let i = 0; i < 21; i++) empties.push(await raw(async () => {}));
    empties.sort((a, b) => a - b);
    const overhead = empties[10];
    const timer = async (fn) => (await raw(fn)) - overhead;
    const result = await runBench({ ...options, timer, runtime: 'Cloudflare Workers (workerd)' });
    return Response.json({ ...result, clock: { method: 'Date.now across an I/O round trip', overheadMs: overhead } });
  },
};
