// The JWKS endpoint of bench:http, in its own process: `node jwks-server.mjs <jwks-json>`.
import http from 'node:http';

const body = process.argv[2];
const server = http.createServer((req, res) => {
  if (req.url !== '/.well-known/jwks.json') {
    res.statusCode = 404;
    res.end();
    return;
  }
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'max-age=600');
  res.end(body);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`ready ${server.address().port}\n`));
