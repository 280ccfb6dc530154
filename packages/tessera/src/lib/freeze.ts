// Deep freezing without recursion: a cached header or payload is shared between callers, so it must
// not be mutable, and a hostile payload nested thousands of levels deep must not exhaust the stack.
// Byte arrays (a `complete` result's signature) cannot be frozen and are left as they are.
export function deepFreeze<T>(value: T): T {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (v === null || typeof v !== 'object' || Object.isFrozen(v) || ArrayBuffer.isView(v)) continue;
    Object.freeze(v);
    for (const child of Object.values(v)) pending.push(child);
  }
  return value;
}
