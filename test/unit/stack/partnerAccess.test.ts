import { EDGE_FRESH_SECONDS } from '../../../lambdas/core/publish/cachePolicy.js';
import { readFileSync } from 'node:fs';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { PARTNER_AUTH_SOURCE } from '../../../lib/constructs/partnerAccess.js';
import type { PublisherStack } from '../../../lib/publisherStack.js';
import { logicalId, synthPublisherStack, type Resources } from './synthStack.js';

describe('partner access at the edge (stack)', () => {
  let stack: PublisherStack;
  let template: Template;
  let resources: Resources;

  beforeAll(() => {
    ({ stack, template } = synthPublisherStack());
    resources = template.toJSON().Resources as Resources;
  });

  it('has a KeyValueStore, and the CloudFront Function (runtime 2.0, the repository source) is associated with it', () => {
    template.resourceCountIs('AWS::CloudFront::KeyValueStore', 1);
    const kvsId = logicalId(stack, stack.partners.keyStore);
    template.hasResourceProperties('AWS::CloudFront::Function', {
      AutoPublish: true,
      FunctionCode: readFileSync(PARTNER_AUTH_SOURCE, 'utf8'),
      FunctionConfig: { Runtime: 'cloudfront-js-2.0', KeyValueStoreAssociations: [{ KeyValueStoreARN: { 'Fn::GetAtt': [kvsId, 'Arn'] } }] },
    });
  });

  it('runs the function on viewer requests of /partners/* only, with a cache key of the path alone', () => {
    const config = resources[logicalId(stack, stack.feeds.distribution)]!.Properties['DistributionConfig'];
    const functionArn = { 'Fn::GetAtt': [logicalId(stack, stack.partners.function), 'FunctionARN'] };
    const partners = (config.CacheBehaviors as any[]).find((b) => b.PathPattern === '/partners/*');
    expect(partners.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: functionArn }]);
    expect(partners.AllowedMethods).toEqual(['GET', 'HEAD']);
    // Elsewhere at most the directory-index function runs (pagesAndArchives.test.ts), never the partner check.
    for (const other of [config.DefaultCacheBehavior, ...(config.CacheBehaviors as any[]).filter((b) => b !== partners)]) {
      expect(JSON.stringify(other.FunctionAssociations ?? [])).not.toContain(logicalId(stack, stack.partners.function));
    }
    const policy = resources[partners.CachePolicyId.Ref]!.Properties['CachePolicyConfig'];
    expect(policy.ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({
      HeadersConfig: { HeaderBehavior: 'none' },
      QueryStringsConfig: { QueryStringBehavior: 'none' },
      CookiesConfig: { CookieBehavior: 'none' },
    });
    // Kept exactly the edge lifetime of a public feed: the key is checked before the cache, `private` binds caches after it.
    expect(policy).toMatchObject({ MinTTL: EDGE_FRESH_SECONDS, DefaultTTL: EDGE_FRESH_SECONDS, MaxTTL: EDGE_FRESH_SECONDS });
  });

  it('lets nothing in the stack write the store: no IAM statement names a KeyValueStore action or resource', () => {
    const kvsId = logicalId(stack, stack.partners.keyStore);
    const statements = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::Role')
      .flatMap((r) => [
        ...(r.Properties['PolicyDocument']?.Statement ?? []),
        ...((r.Properties['Policies'] ?? []) as any[]).flatMap((p) => p.PolicyDocument.Statement),
      ]);
    const text = JSON.stringify(statements);
    expect(text).not.toMatch(/cloudfront-keyvaluestore:/);
    expect(text).not.toContain(kvsId);
    expect(text).not.toMatch(/"cloudfront:\*"|"\*"\s*,?\s*"Resource"/);
  });

  it('outputs the KeyValueStore ARN and the function name (its log group)', () => {
    template.hasOutput('PartnerKeyValueStoreArn', { Value: { 'Fn::GetAtt': [logicalId(stack, stack.partners.keyStore), 'Arn'] } });
    template.hasOutput('PartnerFunctionName', {});
  });
});
