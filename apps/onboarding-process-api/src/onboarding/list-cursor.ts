import createError from '@fastify/error';

export const InvalidCursor = createError<'INVALID_CURSOR', []>('INVALID_CURSOR', 'The cursor is not one this API issued', 400);

/** Keyset position of a page: base64url of `<createdAt ISO>|<id>`. Opaque to callers. */
export function encodeCursor(position: { createdAt: Date; id: string }): string {
  return Buffer.from(`${position.createdAt.toISOString()}|${position.id}`).toString('base64url');
}

/** The canonical id form the database prints; anything else would be refused by its uuid type. */
const CANONICAL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = keysetInstant(createdAt);
  if (!id || !date || !CANONICAL_ID.test(id)) throw new InvalidCursor();
  return { createdAt: date, id };
}

/** Marks a customer-list cursor, so a cursor of the onboarding list is refused there (and vice versa). */
const CUSTOMER_CURSOR = 'customers';

/** Keyset position of a page of customers: base64url of `customers|<since ISO>|<customer id>`. Opaque to callers. */
export function encodeCustomerCursor(position: { since: Date; customerId: string }): string {
  return Buffer.from(`${CUSTOMER_CURSOR}|${position.since.toISOString()}|${position.customerId}`).toString('base64url');
}

export function decodeCustomerCursor(cursor: string): {
  since: Date;
  customerId: string;
} {
  const [kind, since, customerId, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = keysetInstant(since);
  if (kind !== CUSTOMER_CURSOR || rest.length > 0 || !date || !customerId || !CANONICAL_ID.test(customerId)) throw new InvalidCursor();
  return { since: date, customerId };
}

/**
 * The instant of a cursor, only in the exact form `encode…` writes and within years the database
 * stores (a year like -271821 is a valid Date but out of PostgreSQL's range: a 500, not a 400).
 */
function keysetInstant(text: string | undefined): Date | undefined {
  const date = new Date(text ?? '');
  if (Number.isNaN(date.getTime()) || date.toISOString() !== text) return undefined;
  const year = date.getUTCFullYear();
  return year >= 1970 && year <= 9999 ? date : undefined;
}
