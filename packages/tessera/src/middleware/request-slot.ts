// A value attached to one request (an Express `req`, a Fastify request, a fetch `Request`, a Hono
// context) for as long as the request lives. It is stored on the request itself, under a symbol
// that only this slot holds, rather than in a WeakMap: a WeakMap entry per request is an ephemeron the
// garbage collector must trace, which cost 2-3 µs of server CPU per request under load (Hono on
// @hono/node-server, 16 connections), more than the cached-token check itself. The property is
// non-enumerable, so spreads, `Object.assign` and `console.log(req)` never copy or print what it holds
// (the verified token is among it). Objects that cannot take a property (frozen) fall back to a WeakMap.
export interface RequestSlot<T> {
  get(request: object): T | undefined;
  set(request: object, value: T): void;
}

export function createRequestSlot<T>(description: string): RequestSlot<T> {
  const key = Symbol(description);
  let fallback: WeakMap<object, T> | undefined;
  return {
    get(request) {
      const own = (request as Record<symbol, T | undefined>)[key];
      return own !== undefined ? own : fallback?.get(request);
    },
    set(request, value) {
      if (Object.isExtensible(request)) {
        Object.defineProperty(request, key, { value, configurable: true, writable: true });
        return;
      }
      fallback ??= new WeakMap();
      fallback.set(request, value);
    },
  };
}
