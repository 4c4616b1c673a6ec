import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * CloudFront Functions cannot import one another, so each edge function carries its own copy of the
 * unsafe-URI guard and the 400 answer. The copies must stay letter for letter the same.
 */
const source = (file: string) => readFileSync(new URL(`../../lambdas/edge/${file}`, import.meta.url), 'utf8');
const guardOf = (text: string) => /\/\/ Refuses \(400\)[\s\S]*?\nfunction badRequest\(\) \{[\s\S]*?\n\}\n/.exec(text)?.[0];

describe('edge functions', () => {
  it('share one unsafe-URI guard, copied identically into each function', () => {
    const index = guardOf(source('directoryIndex.js'));
    const partner = guardOf(source('partnerAuth.js'));
    expect(index).toContain('function unsafeUri(uri)');
    expect(partner).toBe(index);
  });
});
