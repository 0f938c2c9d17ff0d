import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { Workspace } from '@obmeet/server';
import { fmt, summarize, table } from './common.js';

/**
 * Times every database call the workspace's stores make (by wrapping the store objects' methods
 * on the instances; the server code is not changed) and the event-loop delay of this process.
 */
export function instrumentStores(ws: Workspace) {
  const samples = new Map<string, number[]>();
  const stores: Record<string, object> = {
    messages: (ws.messages as unknown as { store: object }).store,
    rooms: (ws.rooms as unknown as { store: object }).store,
    accounts: (ws.accounts as unknown as { store: object }).store,
    settings: (ws.settings as unknown as { store: object }).store,
  };
  for (const [domain, store] of Object.entries(stores)) {
    const proto = Object.getPrototypeOf(store) as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const orig = proto[name];
      if (name === 'constructor' || typeof orig !== 'function') continue;
      const key = `${domain}.${name}`;
      (store as Record<string, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
        const t0 = performance.now();
        const record = () => {
          let list = samples.get(key);
          if (!list) samples.set(key, (list = []));
          list.push(performance.now() - t0);
        };
        const r = (orig as (...a: unknown[]) => unknown).apply(store, args);
        if (r && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).then(record, record);
        else record();
        return r;
      };
    }
  }
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  return {
    reset() {
      samples.clear();
      loop.reset();
    },
    report(title: string, perUnit?: { label: string; count: number }): string {
      const rows = [...samples]
        .map(([k, v]) => ({ k, s: summarize(v), total: v.reduce((a, b) => a + b, 0) }))
        .sort((a, b) => b.total - a.total)
        .slice(0, 14);
      const header = ['store call', 'calls', ...(perUnit ? [`per ${perUnit.label}`] : []), 'total ms', 'mean', 'p50', 'p99', 'max'];
      const body = rows.map(({ k, s, total }) => [
        k,
        s.n,
        ...(perUnit ? [fmt(s.n / perUnit.count, 2)] : []),
        Math.round(total),
        fmt(s.mean, 1),
        fmt(s.p50, 1),
        fmt(s.p99, 1),
        fmt(s.max, 1),
      ]);
      const lag = `event-loop delay of the server process: p50 ${fmt(loop.percentile(50) / 1e6, 1)} ms, p99 ${fmt(loop.percentile(99) / 1e6, 1)} ms, max ${fmt(loop.max / 1e6, 1)} ms`;
      return `${title}\n${table(header, body)}\n${lag}`;
    },
  };
}
