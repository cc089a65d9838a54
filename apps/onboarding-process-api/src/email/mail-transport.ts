import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';

export interface MailToSend {
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
}

/** Where mail goes: an SMTP server, or (no SMTP configured) `.eml` files in the data folder. */
export interface MailTransport {
  /** `smtp` or `eml`, recorded on the outbox row. */
  readonly via: string;
  /** Resolves once the SMTP server accepted the message (or the file is written). */
  send(mail: MailToSend): Promise<void>;
  close(): void;
}

/** A refusal that will not change on retry (SMTP 5xx), as opposed to a server that is down (4xx, network). */
export function isPermanentMailError(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** A caller-safe description: SMTP code and nodemailer's error code, never the message text. */
export function describeMailError(error: unknown): string {
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  return `mail delivery failed${typeof code === 'string' ? ` (${code})` : ''}${typeof responseCode === 'number' ? ` SMTP ${responseCode}` : ''}`;
}

/** SMTP over nodemailer, with timeouts so a hung server cannot hold an outbox row for long. */
export function smtpTransport(smtpUrl: string): MailTransport {
  const transporter = nodemailer.createTransport(smtpUrl, {
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    via: 'smtp',
    async send(mail) {
      await transporter.sendMail({ messageId: mail.messageId, from: mail.from, to: mail.to, subject: mail.subject, text: mail.text });
    },
    close: () => transporter.close(),
  };
}

/**
 * No SMTP configured: each message is rendered by nodemailer exactly as it would be sent and
 * written to `<dir>/<message-id>.eml` — named by Message-ID, so a redelivery overwrites the same
 * file instead of adding a second one. The log says where.
 */
export function emlFileTransport(dir: string, log: FastifyBaseLogger): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    via: 'eml',
    async send(mail) {
      const info = await transporter.sendMail({ messageId: mail.messageId, from: mail.from, to: mail.to, subject: mail.subject, text: mail.text });
      await mkdir(dir, { recursive: true });
      const file = join(dir, `${mail.messageId.replace(/[^A-Za-z0-9.@_-]/g, '')}.eml`);
      await writeFile(file, info.message as Buffer);
      log.info({ file, messageId: mail.messageId }, 'no SMTP_URL configured: wrote the email as an .eml file');
    },
    close: () => transporter.close(),
  };
}
