// The independent baseline for HTTP routes that read (issue 17): a minimal Fastify server in its own
// process that does nothing but check the Authorization header and answer a small JSON body, on
// the same framework and version as callshield. Prints one JSON line {url, key}.
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';

const key = `min_${randomUUID()}`;
const app = Fastify();
app.post('/v1/*', async (request, reply) => {
  if (request.headers.authorization !== `Bearer ${key}`) return reply.code(401).send({ error: 'unauthorised' });
  return { action: 'allow', score: 0 };
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ url, key })}\n`);
