// The downstream of the client benchmark, in its own process so the client's CPU cost is what
// the benchmark compares. Prints its port on stdout once listening.
import Fastify from 'fastify';

const server = Fastify({ logger: false });
server.get('/v1/accounts/:id', async (request) => ({ accountId: request.params.id, status: 'active', balanceMinor: 12_550 }));
await server.listen({ port: 0, host: '127.0.0.1' });
// write, not console.log: under Nx FORCE_COLOR is set and console.log would colour the number.
process.stdout.write(`${server.server.address().port}\n`);
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
