// The contract app as a module Worker for workerd.
import { createContractApp } from './contract-app.js';
import config from './contract.json';

const app = createContractApp(config);
export default { fetch: (request) => app(request) };
