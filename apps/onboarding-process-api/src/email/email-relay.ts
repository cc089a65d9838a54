import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '@bartholomew/platform/db';
import { retryDelayMs } from '../jobs/backoff';
import { scheduleEmailDelivery } from '../jobs/job-queue';
import { lockUnsentMessage, markAttemptFailed, markSent } from './email-outbox';
import { describeMailError, isPermanentMailError, type MailTransport } from './mail-transport';

/** Beyond this many failed attempts a message is left for an operator (it stays unsent, with its last error). */
const MAX_DELIVERY_ATTEMPTS = 20;

/**
 * Delivers one outbox message. Guarantee: AT LEAST ONCE, and exactly once unless the process (or
 * its database connection) dies after the SMTP server took the message — from the moment it has
 * the final "." of DATA, before or after it answers 250 — and before the COMMIT that marks the
 * message sent. Then the message is sent again on restart — with the SAME Message-ID, so mail
 * clients and MTAs that deduplicate on it show it once. It is never lost: the row was committed
 * with the step, and its delivery job with it. (The README says why no commit before DATA can
 * close that window.)
 *
 * The row is locked (FOR UPDATE SKIP LOCKED) for the SMTP conversation, so two relays — two
 * replicas, or a job and its replacement — never send the same message at the same time. It is
 * marked sent BEFORE the conversation, inside that transaction (undone if the send fails): once
 * the server has answered, only the COMMIT is left in the window, not another round trip first.
 */
export async function deliverEmail(
  deps: { db: Database; transport: MailTransport; from: string; log: FastifyBaseLogger; retry: { baseMs: number; maxMs: number } },
  emailId: string,
): Promise<void> {
  await deps.db.transaction(async (client) => {
    const message = await lockUnsentMessage(client, emailId);
    if (!message) return; // sent already, or another relay is sending it right now
    await client.query('SAVEPOINT before_send');
    await markSent(client, emailId, deps.transport.via);
    try {
      await deps.transport.send({
        messageId: message.messageId,
        from: deps.from,
        to: message.recipient,
        subject: message.subject,
        text: message.bodyText,
      });
    } catch (error) {
      await client.query('ROLLBACK TO SAVEPOINT before_send');
      const attempts = await markAttemptFailed(client, emailId, describeMailError(error));
      if (isPermanentMailError(error) || attempts >= MAX_DELIVERY_ATTEMPTS) {
        deps.log.error({ emailId, onboardingId: message.onboardingId, attempts, reason: describeMailError(error) }, 'email not delivered: giving up');
        return;
      }
      const runAt = new Date(Date.now() + retryDelayMs(attempts, deps.retry));
      await scheduleEmailDelivery(client, emailId, { runAt });
      deps.log.warn(
        { emailId, onboardingId: message.onboardingId, attempts, runAt, reason: describeMailError(error) },
        'email delivery failed: will retry',
      );
      return;
    }
    deps.log.info({ emailId, onboardingId: message.onboardingId, messageId: message.messageId, via: deps.transport.via }, 'email delivered');
  });
}
