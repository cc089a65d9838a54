import { entityTag, ifNoneMatchHolds } from './conditional-reads';

describe('conditional reads', () => {
  const etag = entityTag('{"accounts":[]}');

  it('gives equal bodies equal tags and different bodies different tags', () => {
    expect(entityTag('{"accounts":[]}')).toBe(etag);
    expect(entityTag('{"accounts":[1]}')).not.toBe(etag);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
  });

  it.each([
    ['the same tag', etag, true],
    ['the tag among others', `"other", ${etag}`, true],
    ['the weak form of the tag', `W/${etag}`, true],
    ['any tag (*)', '*', true],
    ['another tag', '"other"', false],
    ['nothing', undefined, false],
  ])('holds for If-None-Match with %s: %s', (_label, header, holds) => {
    expect(ifNoneMatchHolds(header, etag)).toBe(holds);
  });
});
