import { describe, expect, it } from 'vitest';
import { decodeManifest, encodeManifest } from '../../lambdas/adapters/aws/manifestCodec.js';

describe('the packed manifest of a feed state item', () => {
  it('gives back exactly the paths and hashes it was given, whatever they contain', () => {
    const manifest = {
      'feeds/international/rss.xml': '0123456789abcdef0123456789abcdef',
      'partners/international/ninjs/é "quoted"\ttab.json': 'ffffffffffffffffffffffffffffffff',
      'feeds/tags/ñandú/atom.xml': 'not even a hex hash',
    };
    expect(decodeManifest(encodeManifest(manifest))).toEqual(manifest);
    expect(decodeManifest(encodeManifest({}))).toEqual({});
  });

  it('is the same bytes for the same entries in any order', () => {
    const a = { 'b/x.xml': '1', 'a/y.xml': '2' };
    const b = { 'a/y.xml': '2', 'b/x.xml': '1' };
    expect(Buffer.from(encodeManifest(a)).equals(Buffer.from(encodeManifest(b)))).toBe(true);
  });
});
