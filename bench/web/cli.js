// Deno and Bun runner: imports the bundle beside this file, prints the result as one JSON line.
const { runBench } = await import(new URL('bench.js', import.meta.url).href);
const options = JSON.parse(globalThis.Deno ? Deno.args[0] : process.argv[2]);
const runtime = globalThis.Deno ? `Deno ${Deno.version.deno}` : `Bun ${Bun.version}`;
console.log(`RESULT ${JSON.stringify(await runBench({ ...options, runtime }))}`);
