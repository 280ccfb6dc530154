// Serves the contract app with Bun.serve on 127.0.0.1 (port and config beside this file).
import { createContractApp } from './contract-app.js';

const config = await Bun.file(new URL('./contract.json', import.meta.url)).json();
Bun.serve({ hostname: '127.0.0.1', port: config.port, fetch: createContractApp(config) });
console.log('LISTENING');
