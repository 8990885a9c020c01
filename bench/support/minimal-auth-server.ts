// The independent baseline for HTTP routes that read (issue 17): a minimal Fastify server in its own
// process that does nothing but check the Authorization header and answer a small JSON body, on
// the same framework and version as callshield. Prints one JSON line {url, key}.
// MINIMAL_REPLY (a JSON text): answer that instead, e.g. the decision callshield gives for the same
// request, to tell the cost of a bigger reply from the cost of callshield's own work.
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';

const key = `min_${randomUUID()}`;
const app = Fastify();
const answer: unknown = process.env.MINIMAL_REPLY ? JSON.parse(process.env.MINIMAL_REPLY) : { action: 'allow', score: 0 };
app.post('/v1/*', async (request, reply) => {
  if (request.headers.authorization !== `Bearer ${key}`) return reply.code(401).send({ error: 'unauthorised' });
  return answer;
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ url, key })}\n`);
// Exit normally on SIGINT so that --cpu-prof (bench/support/profile-http.ts, BENCH_SERVER_SCRIPT) writes its profile.
process.once('SIGINT', () => process.exit(0));
