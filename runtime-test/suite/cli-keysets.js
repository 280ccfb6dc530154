// The key-set scenario's command-line runner for Deno and Bun: reads the bundle and the context (keys, tokens,
// the JWKS server's address) beside it, prints the results as one JSON line.
const here = new URL('.', import.meta.url);
const { lib, runKeySets } = await import(new URL('suite.js', here).href);
const ctx = await (await fetch(new URL('keysets.json', here))).json();
const name = globalThis.Deno ? `Deno ${globalThis.Deno.version.deno}` : `Bun ${globalThis.Bun.version}`;
console.log(`REPORT ${JSON.stringify(await runKeySets(lib, ctx, name))}`);
