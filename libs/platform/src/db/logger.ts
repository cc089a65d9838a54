/**
 * The slice of a pino logger the database layer needs. Kept structural so a pino `Logger`, a
 * Fastify `app.log` or a child logger can be passed without this library importing pino.
 */
export type DbLogFn = (fields: object, message?: string) => void;

export interface DbLogger {
  debug: DbLogFn;
  info: DbLogFn;
  warn: DbLogFn;
  error: DbLogFn;
}
