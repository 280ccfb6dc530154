// The suite as a Cloudflare Worker (module syntax), for workerd: GET / runs it and answers the report.
import cases from './cases.json';
import { lib, runConformance } from './suite.js';

export default {
  async fetch() {
    return Response.json(await runConformance(lib, cases, 'Cloudflare Workers (workerd)'));
  },
};
