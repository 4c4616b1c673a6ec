import { describe, expect, it } from 'vitest';
import { ConfigError, loadPublisherConfigFromEnv, parsePublisherConfig, readValidatedPublisherConfig } from '../../lambdas/core/config/index.js';
import { testConfig } from '../helpers/factories.js';

describe('the configuration a function reads (validated at synth, no zod at run time)', () => {
  it('reads back exactly what the stack wrote: the validated configuration, defaults applied', () => {
    const validated = testConfig();
    expect(readValidatedPublisherConfig(JSON.stringify(validated))).toEqual(validated);
    expect(loadPublisherConfigFromEnv({ PUBLISHER_CONFIG: JSON.stringify(validated) })).toEqual(validated);
    // The stack's output is a fixed point of the schema: validating it again changes nothing.
    expect(parsePublisherConfig(JSON.parse(JSON.stringify(validated)), 'test')).toEqual(validated);
  });

  it('refuses a missing, non-JSON or hand-edited variable, naming each bad field', () => {
    expect(() => loadPublisherConfigFromEnv({})).toThrow(ConfigError);
    expect(() => readValidatedPublisherConfig('{nope')).toThrow(/is not JSON/);
    const raw = JSON.parse(JSON.stringify(testConfig())) as Record<string, unknown> & { sections: Record<string, unknown>[] };
    delete raw['itemsPerFeed'];
    delete raw.sections[0]!['slug'];
    try {
      readValidatedPublisherConfig(JSON.stringify(raw));
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems.slice(0, 2)).toEqual(['publisher.itemsPerFeed: is missing or of the wrong type', 'publisher.sections[0].slug: is missing or of the wrong type']);
    }
    expect(() => readValidatedPublisherConfig(JSON.stringify({ ...testConfig(), sections: [] }))).toThrow(/publisher.sections: must be a non-empty list/);
  });
});
