/** @bartholomew/stack-checks: services.json read and checked (manifest.ts), and the wiring it implies (wiring.ts). */
export * from './manifest';
export * from './wiring';
