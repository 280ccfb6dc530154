// Serves the contract app with Deno.serve on 127.0.0.1 (port and config beside this file).
import { createContractApp } from './contract-app.js';

const config = JSON.parse(await Deno.readTextFile(new URL('./contract.json', import.meta.url)));
Deno.serve(
  { hostname: '127.0.0.1', port: config.port, onListen: () => console.log('LISTENING') },
  createContractApp(config),
);
