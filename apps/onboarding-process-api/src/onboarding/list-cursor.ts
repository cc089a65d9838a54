import createError from '@fastify/error';

export const InvalidCursor = createError<'INVALID_CURSOR', []>('INVALID_CURSOR', 'The cursor is not one this API issued', 400);

/** Keyset position of a page: base64url of `<createdAt ISO>|<id>`. Opaque to callers. */
export function encodeCursor(position: { createdAt: Date; id: string }): string {
  return Buffer.from(`${position.createdAt.toISOString()}|${position.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(createdAt ?? '');
  if (!id || Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) throw new InvalidCursor();
  return { createdAt: date, id };
}
