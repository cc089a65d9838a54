export * from './server';
export * from './db';
export { maskLastFour } from './pii/mask';
export * from './http-client';
