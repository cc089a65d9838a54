// A flooding client, run as its own process so that sending the flood never competes with the
// timed user's event loop in the suite's process (a hostile client does not share ours).
// Argument: one JSON object { url, token, localAddress, connections }.
// It sends GETs over `connections` keep-alive sockets from `localAddress`, each the moment the
// previous answer arrives, until it is sent SIGTERM; then it prints the answers by status as one
// JSON line and exits.
import { Agent, request } from 'node:http';

const { url, token, localAddress, connections } = JSON.parse(process.argv[2]);
const target = new URL(url);
const agent = new Agent({ keepAlive: true, maxSockets: connections, localAddress });
const counts = {};
let flooding = true;

const one = () =>
  new Promise((resolve) => {
    const req = request(
      {
        host: target.hostname,
        port: Number(target.port),
        path: target.pathname,
        agent,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          counts[res.statusCode] = (counts[res.statusCode] ?? 0) + 1;
          resolve();
        });
      },
    );
    req.on('error', () => {
      counts.error = (counts.error ?? 0) + 1;
      // A refused connection answers at once: pause a little rather than spin.
      setTimeout(resolve, 10);
    });
    req.end();
  });

process.on('SIGTERM', () => {
  flooding = false;
});
await Promise.all(
  Array.from({ length: connections }, async () => {
    while (flooding) await one();
  }),
);
agent.destroy();
process.stdout.write(`${JSON.stringify(counts)}\n`);
