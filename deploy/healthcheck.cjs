#!/usr/bin/env node
/**
 * Container health probe (the slim Node image has neither curl nor wget):
 *   node /app/healthcheck.cjs http://127.0.0.1:3101/health/ready
 * Exit 0 when the URL answers 2xx within the time limit, 1 otherwise (Docker's "unhealthy").
 * /health/ready answers 503 while the service's database is unreachable; open circuit breakers
 * only make it "degraded" (still 200), so one failing backend does not restart a whole service.
 */
'use strict';

const url = process.argv[2];
const timeoutMs = Number(process.argv[3] ?? 2500);

if (!url || !/^https?:\/\//.test(url)) {
  console.error('usage: node healthcheck.cjs <http-url> [timeout-ms]');
  process.exit(2);
}

fetch(url, { signal: AbortSignal.timeout(timeoutMs) }).then(
  (response) => {
    console.log(`${url} -> ${response.status}`);
    process.exit(response.ok ? 0 : 1);
  },
  (error) => {
    console.log(`${url} -> ${error.cause?.code ?? error.name}`);
    process.exit(1);
  },
);
