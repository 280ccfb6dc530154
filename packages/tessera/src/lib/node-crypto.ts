// node:crypto, loaded when first used rather than when tessera-jwt is imported: a process that only decodes
// (the `tessera decode` command, a debugger) never pays for it, and an import costs ~5 ms less. The first
// signature or verification pays that once. process.getBuiltinModule (Node >= 20.16) loads it synchronously,
// keeps the API synchronous, and is a built-in that every bundler targeting Node leaves alone.
type NodeCrypto = typeof import('node:crypto');

let loaded: NodeCrypto | undefined;

/** The node:crypto module (loaded on the first call). */
export function nodeCrypto(): NodeCrypto {
  loaded ??= process.getBuiltinModule('node:crypto');
  return loaded;
}
