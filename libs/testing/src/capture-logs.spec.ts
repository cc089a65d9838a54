import pino from 'pino';
import { captureLogs } from './capture-logs';

describe('captureLogs', () => {
  it('collects every line pino writes, after redaction', () => {
    const logs = captureLogs();
    const log = pino({ redact: ['customer.ssn'] }, logs.stream);

    log.info({ customer: { ssn: '123-45-6789', name: 'Ada' } }, 'onboarding received');
    log.warn('second line');

    expect(logs.lines()).toHaveLength(2);
    expect(logs.text()).not.toContain('123-45-6789');
    expect(logs.records()[0]).toMatchObject({
      msg: 'onboarding received',
      customer: { ssn: '[Redacted]', name: 'Ada' },
    });
    expect(logs.records()[1]).toMatchObject({ msg: 'second line', level: 40 });
  });

  it('forgets what was written on clear()', () => {
    const logs = captureLogs();
    const log = pino({}, logs.stream);
    log.info('before');
    logs.clear();
    log.info('after');

    expect(logs.lines()).toHaveLength(1);
    expect(logs.records()[0]).toMatchObject({ msg: 'after' });
  });
});
