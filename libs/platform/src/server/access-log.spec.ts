import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { loadConfig, ServiceConfigSchema } from './config';
import { platform } from './platform-plugin';
import { serviceServerOptions } from './server-options';

class CaptureStream extends Writable {
  readonly records: Array<Record<string, unknown>> = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) this.records.push(JSON.parse(line) as Record<string, unknown>);
    done();
  }
}

describe('the access log', () => {
  it('writes exactly one line per request, with method, scrubbed URL, status and time', async () => {
    const logs = new CaptureStream();
    const config = loadConfig(ServiceConfigSchema, { PORT: '0', LOG_LEVEL: 'info', ACCEPTED_CALLERS: '' });
    const app = Fastify(serviceServerOptions(config, { logStream: logs }));
    await app.register(platform, { service: { name: 'sample-api', title: 'Sample', version: '1.0.0', description: 'test' }, config });
    app.get('/v1/ping', async () => ({ pong: true }));
    await app.ready();

    // No credential: refused with 401 — still exactly one line, like any answer.
    await app.inject({ url: '/v1/ping?limit=5&token=secret-value' });
    const forRequest = logs.records.filter((record) => record.reqId !== undefined);
    expect(forRequest.filter((record) => record.msg !== 'request refused')).toHaveLength(1);
    expect(forRequest.find((record) => record.msg === 'request completed')).toMatchObject({
      msg: 'request completed',
      req: { method: 'GET', url: '/v1/ping?limit=5&token=[REDACTED]' },
      res: { statusCode: 401 },
      responseTime: expect.any(Number),
    });
    await app.close();
  });
});
