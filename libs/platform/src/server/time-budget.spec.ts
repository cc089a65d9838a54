import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import { budgetFrom, currentDeadline, registerTimeBudget } from './time-budget';

async function appWith(trustCallers: boolean) {
  const app = Fastify();
  registerTimeBudget(app, { requestTimeoutMs: 5_000, trustCallers });
  // What a typed client deep inside the handler sees, after awaiting other work first.
  app.get('/left', async () => {
    await sleep(5);
    const deadline = currentDeadline();
    return { left: deadline === undefined ? null : deadline - Date.now() };
  });
  await app.ready();
  return app;
}

describe('the time budget of a request', () => {
  it("is the service's own request timeout when the caller sends none", async () => {
    const app = await appWith(true);
    const { left } = (await app.inject({ url: '/left' })).json();
    expect(left).toBeGreaterThan(4_000);
    expect(left).toBeLessThanOrEqual(5_000);
    await app.close();
  });

  it('is shortened by a service caller that will not wait that long', async () => {
    const app = await appWith(true);
    const { left } = (await app.inject({ url: '/left', headers: { 'x-time-budget-ms': '800' } })).json();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(800);
    await app.close();
  });

  it('is never lengthened past the request timeout', async () => {
    const app = await appWith(true);
    const { left } = (await app.inject({ url: '/left', headers: { 'x-time-budget-ms': '600000' } })).json();
    expect(left).toBeLessThanOrEqual(5_000);
    await app.close();
  });

  it("ignores an end user's header, which could otherwise turn our calls below into timeouts", async () => {
    const app = await appWith(false);
    const { left } = (await app.inject({ url: '/left', headers: { 'x-time-budget-ms': '1' } })).json();
    expect(left).toBeGreaterThan(4_000);
    await app.close();
  });

  it('is unset outside a request', () => {
    expect(currentDeadline()).toBeUndefined();
  });

  it('reads only a plain number of milliseconds', () => {
    expect(budgetFrom('250')).toBe(250);
    for (const bad of ['-1', '1e3', '12.5', '', 'soon', '9999999999']) expect(budgetFrom(bad)).toBeUndefined();
  });
});
