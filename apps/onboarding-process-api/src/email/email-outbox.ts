/**
 * The email outbox: messages are written in the transaction of the step that decides to send
 * them, then delivered by the relay (email-relay.ts), which marks them sent.
 */
import type { PoolClient } from 'pg';
import type { Queryable } from '../onboarding/onboarding-repository';
import type { ComposedEmail } from './welcome-email';

export interface OutboxMessage extends ComposedEmail {
  emailId: string;
  onboardingId: string;
  kind: string;
  attempts: number;
  sentAt: Date | null;
}

/**
 * Adds a message once per (onboarding, kind): a step that runs again finds the first one.
 * Answers the id of the message that is in the outbox.
 */
export async function insertOutboxMessage(
  client: PoolClient,
  message: ComposedEmail & { emailId: string; onboardingId: string; kind: string },
): Promise<string> {
  const inserted = await client.query<{ email_id: string }>(
    `INSERT INTO email_outbox (email_id, onboarding_id, kind, message_id, recipient, subject, body_text)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (onboarding_id, kind) DO NOTHING
     RETURNING email_id`,
    [message.emailId, message.onboardingId, message.kind, message.messageId, message.recipient, message.subject, message.bodyText],
  );
  if (inserted.rows[0]) return inserted.rows[0].email_id;
  const existing = await client.query<{ email_id: string }>('SELECT email_id FROM email_outbox WHERE onboarding_id = $1 AND kind = $2', [
    message.onboardingId,
    message.kind,
  ]);
  return existing.rows[0].email_id;
}

/**
 * Locks an unsent message for delivery; undefined when it is sent already or another relay holds it.
 * The lock lasts for the caller's transaction, i.e. for the SMTP conversation.
 */
export async function lockUnsentMessage(client: PoolClient, emailId: string): Promise<OutboxMessage | undefined> {
  const { rows } = await client.query<{
    email_id: string;
    onboarding_id: string;
    kind: string;
    message_id: string;
    recipient: string;
    subject: string;
    body_text: string;
    attempts: number;
    sent_at: Date | null;
  }>('SELECT * FROM email_outbox WHERE email_id = $1 AND sent_at IS NULL FOR UPDATE SKIP LOCKED', [emailId]);
  const row = rows[0];
  if (!row) return undefined;
  return {
    emailId: row.email_id,
    onboardingId: row.onboarding_id,
    kind: row.kind,
    messageId: row.message_id,
    recipient: row.recipient,
    subject: row.subject,
    bodyText: row.body_text,
    attempts: row.attempts,
    sentAt: row.sent_at,
  };
}

export async function markSent(client: PoolClient, emailId: string, deliveredVia: string): Promise<void> {
  await client.query('UPDATE email_outbox SET sent_at = now(), attempts = attempts + 1, delivered_via = $2, last_error = NULL WHERE email_id = $1', [
    emailId,
    deliveredVia,
  ]);
}

export async function markAttemptFailed(client: PoolClient, emailId: string, error: string): Promise<number> {
  const { rows } = await client.query<{ attempts: number }>(
    'UPDATE email_outbox SET attempts = attempts + 1, last_error = $2 WHERE email_id = $1 RETURNING attempts',
    [emailId, error.slice(0, 500)],
  );
  return rows[0]?.attempts ?? 0;
}

export async function unsentMessageIds(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ email_id: string }>('SELECT email_id FROM email_outbox WHERE sent_at IS NULL');
  return rows.map((row) => row.email_id);
}
