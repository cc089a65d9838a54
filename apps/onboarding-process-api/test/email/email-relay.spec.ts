import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { deliverEmail } from '../../src/email/email-relay';
import { insertOutboxMessage } from '../../src/email/email-outbox';
import { smtpTransport } from '../../src/email/mail-transport';
import { scheduleEmailDelivery } from '../../src/jobs/job-queue';
import { application, buildTestApp, newKey, waitUntil, type TestApp } from '../helper';
import { startSmtpSink, type SmtpSink } from '@bartholomew/testing';

/**
 * The outbox relay. No System APIs here: the outbox rows are written directly (for onboardings
 * accepted through the API, which the FK requires), as the welcome_email step writes them.
 */
describe('email outbox relay', () => {
  let dataDir: string;
  let test: TestApp;
  let sql: pg.Pool;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'onboarding-eml-'));
    test = await buildTestApp(undefined, { env: { DATA_DIR: dataDir } });
    sql = new pg.Pool({ connectionString: test.database.url, max: 2 });
    sql.on('error', () => undefined);
  });
  afterAll(async () => {
    await sql.end();
    await test.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** An outbox message as the step writes it; `withJob: false` leaves its delivery to the test alone. */
  async function queueMessage({ withJob = true } = {}): Promise<{ emailId: string; messageId: string; onboardingId: string }> {
    const res = await test.call({ method: 'POST', url: '/v1/onboardings', payload: application(), headers: { 'idempotency-key': newKey() } });
    const onboardingId: string = res.json().id;
    const messageId = `<onboarding-${onboardingId}.welcome@onboarding.bartholomew.capital>`;
    const client = await test.app.db.pool.connect();
    try {
      await client.query('BEGIN');
      const emailId = await insertOutboxMessage(client, {
        emailId: randomUUID(),
        onboardingId,
        kind: 'welcome',
        messageId,
        recipient: 'ada@example.com',
        subject: 'Welcome',
        bodyText: 'Hello Ada\n',
      });
      if (withJob) await scheduleEmailDelivery(client, emailId);
      await client.query('COMMIT');
      return { emailId, messageId, onboardingId };
    } finally {
      client.release();
    }
  }

  const outboxRow = async (emailId: string) =>
    (
      await sql.query<{ sent_at: Date | null; delivered_via: string | null; attempts: number }>('SELECT * FROM email_outbox WHERE email_id = $1', [
        emailId,
      ])
    ).rows[0];

  it('writes the message as an .eml file named by its Message-ID when no SMTP is configured, and marks it sent', async () => {
    const { emailId, messageId } = await queueMessage();
    await waitUntil(async () => (await outboxRow(emailId)).sent_at !== null, 10_000, 'the relay');
    expect(await outboxRow(emailId)).toMatchObject({ delivered_via: 'eml', attempts: 1 });
    const dir = join(dataDir, 'onboarding-process-api', 'outbox');
    const files = (await readdir(dir)).filter((file) => file.includes(emailId) || file.includes(messageId.slice(1, 40)));
    expect(files).toHaveLength(1);
    const eml = await readFile(join(dir, files[0]), 'utf8');
    // Headers may be folded onto a continuation line.
    expect(eml).toMatch(new RegExp(`^Message-ID:\\s+${messageId.replace(/[.]/g, '\\.')}$`, 'm'));
    expect(eml).toContain('To: ada@example.com');
    expect(test.logs.text()).toContain('wrote the email as an .eml file');
  });

  it('leaves a message the SMTP server did not take unsent, with its error and a retry, and marks it sent once a later attempt succeeds', async () => {
    const { emailId } = await queueMessage({ withJob: false });
    const sent: string[] = [];
    let refuse = true;
    const transport = {
      via: 'smtp',
      async send(mail: { messageId: string }) {
        if (refuse) throw Object.assign(new Error('try later'), { code: 'EENVELOPE', responseCode: 451 });
        sent.push(mail.messageId);
      },
      close: () => undefined,
    };
    const deps = { db: test.app.db, transport, from: 'Bank <bank@example.com>', log: test.app.log, retry: { baseMs: 60_000, maxMs: 60_000 } };
    await deliverEmail(deps, emailId);
    const failed = (await sql.query('SELECT sent_at, delivered_via, attempts, last_error FROM email_outbox WHERE email_id = $1', [emailId])).rows[0];
    expect(failed).toMatchObject({ sent_at: null, delivered_via: null, attempts: 1, last_error: 'mail delivery failed (EENVELOPE) SMTP 451' });
    const retry = await sql.query<{ run_at: Date }>(`SELECT run_at FROM graphile_worker._private_jobs WHERE key = $1`, [`email:${emailId}`]);
    expect(retry.rows[0].run_at.getTime()).toBeGreaterThan(Date.now() + 30_000);

    refuse = false;
    await deliverEmail(deps, emailId);
    const delivered = (await sql.query('SELECT sent_at, delivered_via, attempts, last_error FROM email_outbox WHERE email_id = $1', [emailId]))
      .rows[0];
    expect(delivered).toMatchObject({ sent_at: expect.any(Date), delivered_via: 'smtp', attempts: 2, last_error: null });
    expect(sent).toHaveLength(1);
  });

  it('inserts one outbox message per onboarding and kind, however often the step runs', async () => {
    const { onboardingId, emailId } = await queueMessage();
    const client = await test.app.db.pool.connect();
    try {
      const again = await insertOutboxMessage(client, {
        emailId: randomUUID(),
        onboardingId,
        kind: 'welcome',
        messageId: `<other-${onboardingId}@x>`,
        recipient: 'ada@example.com',
        subject: 'Welcome',
        bodyText: 'Hello\n',
      });
      expect(again).toBe(emailId);
    } finally {
      client.release();
    }
  });

  describe('over SMTP', () => {
    let smtp: SmtpSink;
    beforeAll(async () => {
      smtp = await startSmtpSink();
    });
    afterAll(() => smtp.close());

    it('sends a message once even when two relays deliver it at the same moment, and not again once sent', async () => {
      const transport = smtpTransport(smtp.url);
      try {
        const client = await test.app.db.pool.connect();
        let emailId: string;
        const onboardingId: string = (
          await test.call({ method: 'POST', url: '/v1/onboardings', payload: application(), headers: { 'idempotency-key': newKey() } })
        ).json().id;
        try {
          // Written without a job, so only the two relays below deliver it.
          emailId = await insertOutboxMessage(client, {
            emailId: randomUUID(),
            onboardingId,
            kind: 'welcome',
            messageId: `<onboarding-${onboardingId}.welcome@test>`,
            recipient: 'ada@example.com',
            subject: 'Welcome',
            bodyText: 'Hello Ada\n',
          });
        } finally {
          client.release();
        }
        const deps = { db: test.app.db, transport, from: 'Bank <bank@example.com>', log: test.app.log, retry: { baseMs: 100, maxMs: 500 } };
        await Promise.all([deliverEmail(deps, emailId), deliverEmail(deps, emailId)]);
        await deliverEmail(deps, emailId);
        expect(smtp.messages.filter((mail) => mail.raw.includes(onboardingId))).toHaveLength(1);
        expect((await outboxRow(emailId)).delivered_via).toBe('smtp');
      } finally {
        transport.close();
      }
    });
  });
});
