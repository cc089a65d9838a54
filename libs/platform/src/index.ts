/**
 * `@bartholomew/platform`: every entry point at once, kept for compatibility (tools, generators).
 * Prefer the entry point a file needs — `/server`, `/db`, `/http-client` — so a typed client
 * never loads fastify or pg.
 */
export * from './server';
export * from './db';
export * from './http-client';
