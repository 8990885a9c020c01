// The floor under every framework (issue 17 item 1): Node's own http module in its own process, with
// no framework, reading the body, checking the Authorization header and answering MINIMAL_REPLY (a
// JSON text; callshield's decision in the screening bench) with callshield's headers. What is left
// between this and the minimal Fastify server is the framework; between it and callshield, the work.
// Prints one JSON line {url, key}.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const key = `min_${randomUUID()}`;
const reply = process.env.MINIMAL_REPLY ?? JSON.stringify({ action: 'allow', score: 0 });
const length = String(Buffer.byteLength(reply));
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.headers.authorization !== `Bearer ${key}`) {
      res.writeHead(401, { 'content-type': 'application/json; charset=utf-8' });
      return res.end('{"error":"unauthorised"}');
    }
    res.writeHead(200, { 'content-language': 'en', vary: 'Accept-Language', 'content-type': 'application/json; charset=utf-8', 'content-length': length });
    res.end(reply);
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, key })}\n`);
});
process.once('SIGINT', () => process.exit(0));
