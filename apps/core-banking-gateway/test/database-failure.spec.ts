import pg from 'pg';
import { ReturnCode } from '@bartholomew/mainframe-codec';
import { addCustomer, customerAddRequest, GatewayTestClient, startTestGateway, type TestGateway } from './helper';

describe('when its database fails', () => {
  let gw: TestGateway;
  let admin: pg.Client;
  beforeAll(async () => {
    gw = await startTestGateway();
    admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.query(`ALTER DATABASE ${admin.escapeIdentifier(gw.database.name)} WITH ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin?.end();
    await gw?.close();
  });

  it('answers RC 16 (backed out) while the database refuses connections, keeps the session, and serves again once it is back', async () => {
    const client = await GatewayTestClient.connect(gw.gateway.port);
    const customer = await addCustomer(client);
    const database = admin.escapeIdentifier(gw.database.name);

    await admin.query(`ALTER DATABASE ${database} WITH ALLOW_CONNECTIONS false`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [gw.database.name]);
    const failed = await client.call('CUSTADD', customerAddRequest());
    expect(failed.returnCode).toBe(ReturnCode.SEVERE);
    expect([1601, 1602]).toContain(failed.reasonCode);
    expect(failed.body).toBeUndefined();
    const inquiry = await client.call('CUSTINQ', { inqSearchBy: 'C', inqCustId: customer.custId, inqTaxId: 0 });
    expect(inquiry.returnCode).toBe(ReturnCode.SEVERE);

    await admin.query(`ALTER DATABASE ${database} WITH ALLOW_CONNECTIONS true`);
    const back = await client.call('CUSTINQ', { inqSearchBy: 'C', inqCustId: customer.custId, inqTaxId: 0 });
    expect(back).toMatchObject({ returnCode: 0, body: { custId: customer.custId } });
    await client.end();
  });
});
