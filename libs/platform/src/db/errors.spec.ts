import { classifyDatabaseError, markDatabaseError } from './errors';

/**
 * The error shapes a service's read path raised while its PostgreSQL was unreachable (fault
 * scenario 5): pg's plain Errors for a connection that dropped or never came, and pg-pool's
 * socket error. They mean "database down" only when they left the database layer (marked by the
 * Database facade): a service that queries the raw pool gets them unmarked, and they stay a 500 —
 * the same socket codes come from HTTP clients and SMTP too.
 */
describe('classifyDatabaseError on connection failures', () => {
  const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, errno: -111, syscall: 'connect' });
  const shapes: Array<[string, () => Error]> = [
    ['a connection pg saw drop mid-query', () => new Error('Connection terminated unexpectedly')],
    ['a connection attempt that timed out in the pool', () => new Error('timeout exceeded when trying to connect')],
    ['a client whose connection had already failed', () => new Error('Client has encountered a connection error and is not queryable')],
    ['a refused connection', () => socketError('ECONNREFUSED')],
    ['a reset connection', () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' })],
  ];

  it.each(shapes)('reads %s as unavailability when the database layer raised it', (_label, make) => {
    expect(classifyDatabaseError(markDatabaseError(make()))).toBe('unavailable');
    // Wrapped by a repository or a library: found through `cause`.
    expect(classifyDatabaseError(new Error('loading the onboarding failed', { cause: markDatabaseError(make()) }))).toBe('unavailable');
  });

  it.each(shapes.filter(([label]) => label.includes('refused') || label.includes('reset')))(
    'leaves %s alone when nothing says it came from the database (a bug or another downstream: not a 503 DATABASE_UNAVAILABLE)',
    (_label, make) => {
      expect(classifyDatabaseError(make())).toBeUndefined();
    },
  );

  it('reads a server-side shutdown (57P01) as unavailability and a data exception (22P02) as invalid input, marked or not', () => {
    const serverError = (code: string) => Object.assign(new Error('server said no'), { code, severity: 'FATAL' });
    expect(classifyDatabaseError(serverError('57P01'))).toBe('unavailable');
    expect(classifyDatabaseError(serverError('22P02'))).toBe('invalid-input');
    expect(classifyDatabaseError(serverError('42601'))).toBeUndefined();
  });
});
