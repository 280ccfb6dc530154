// The suite's command-line runner for Deno and Bun: reads the bundle and the cases beside it, prints the report
// as one JSON line. Only web APIs and dynamic import are used, so it runs the same on both.
const here = new URL('.', import.meta.url);
const { lib, runConformance } = await import(new URL('suite.js', here).href);
// Deno and Bun both read file: URLs with fetch.
const cases = await (await fetch(new URL('cases.json', here))).json();
const name = globalThis.Deno ? `Deno ${globalThis.Deno.version.deno}` : `Bun ${globalThis.Bun.version}`;
const report = await runConformance(lib, cases, name);
console.log(`REPORT ${JSON.stringify(report)}`);
