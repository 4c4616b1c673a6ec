import { EDGE_FRESH_SECONDS } from '../../../lambdas/core/publish/cachePolicy.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { settledDocument } from '../../../lambdas/core/render/index.js';
import { testConfig } from '../../helpers/factories.js';
import { FEED_XSLT } from '../../../lambdas/core/render/xslt.js';
import { PAGE_SCRIPT } from '../../../lambdas/core/render/html.js';
import { DIRECTORY_INDEX_SOURCE, HTML_CSP } from '../../../lib/constructs/feedDistribution.js';
import type { PublisherStack } from '../../../lib/publisherStack.js';
import { logicalId, synthPublisherStack, type Resources } from './synthStack.js';

interface Behavior {
  PathPattern?: string;
  CachePolicyId: { Ref: string };
  ResponseHeadersPolicyId: { Ref: string };
  FunctionAssociations?: { EventType: string; FunctionARN: unknown }[];
}

/** A CSP header value as directive -> sources. */
function directives(csp: string): Record<string, string[]> {
  return Object.fromEntries(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe('pages, directory index, CSP and archive caching (stack)', () => {
  let stack: PublisherStack;
  let template: Template;
  let resources: Resources;
  let behaviors: Record<string, Behavior>;
  let defaultBehavior: Behavior;
  const cspOf = (b: Behavior) => directives(resources[b.ResponseHeadersPolicyId.Ref]!.Properties['ResponseHeadersPolicyConfig'].SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);

  beforeAll(() => {
    ({ stack, template } = synthPublisherStack({ context: { 'publisher.feedMaxAgeSeconds': 90 } }));
    resources = template.toJSON().Resources as Resources;
    const config = resources[logicalId(stack, stack.feeds.distribution)]!.Properties['DistributionConfig'];
    behaviors = Object.fromEntries((config.CacheBehaviors as Behavior[]).map((b) => [b.PathPattern!, b]));
    defaultBehavior = config.DefaultCacheBehavior as Behavior;
  });

  it('has the directory-index CloudFront Function (runtime 2.0, the repository source)', () => {
    template.hasResourceProperties('AWS::CloudFront::Function', {
      AutoPublish: true,
      FunctionCode: readFileSync(DIRECTORY_INDEX_SOURCE, 'utf8'),
      FunctionConfig: { Runtime: 'cloudfront-js-2.0' },
    });
  });

  it('runs it on viewer requests of the default behaviour, of every URI ending in / and of the sitemaps folder, and nowhere else', () => {
    const association = [{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [logicalId(stack, stack.feeds.directoryIndex), 'FunctionARN'] } }];
    expect(defaultBehavior.FunctionAssociations).toEqual(association);
    expect(behaviors['*/']!.FunctionAssociations).toEqual(association);
    expect(behaviors['/sitemaps/*']!.FunctionAssociations).toEqual(association);
    // The partner behaviour keeps its own function alone, and it comes before `*/` so /partners/x/ is still guarded.
    expect(behaviors['/partners/*']!.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [logicalId(stack, stack.partners.function), 'FunctionARN'] } }]);
    const order = Object.keys(behaviors);
    expect(order.indexOf('/partners/*')).toBeLessThan(order.indexOf('*/'));
    for (const pattern of ['/feeds/*/feed.json', '/feeds/*/archive/*', '/robots.txt', '*.html']) expect(behaviors[pattern]!.FunctionAssociations, pattern).toBeUndefined();
  });

  it('HTML pages (*.html and directory URIs) get a CSP allowing their inline style, their copy script by its hash and https images, nothing else', () => {
    for (const pattern of ['*.html', '*/']) {
      expect(behaviors[pattern]!.ResponseHeadersPolicyId, pattern).toEqual(behaviors['*.html']!.ResponseHeadersPolicyId);
      expect(cspOf(behaviors[pattern]!)).toEqual({
        'default-src': ["'none'"],
        'script-src': [`'sha256-${createHash('sha256').update(PAGE_SCRIPT).digest('base64')}'`],
        'style-src': ["'unsafe-inline'"],
        'img-src': ['https:', 'data:'],
        'frame-ancestors': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'none'"],
      });
    }
    // Only the pages' own copy-button script, by its hash: no other inline or external script.
    expect(directives(HTML_CSP)['script-src']).toEqual([`'sha256-${createHash('sha256').update(PAGE_SCRIPT).digest('base64')}'`]);
    const html = resources[behaviors['*.html']!.ResponseHeadersPolicyId.Ref]!.Properties['ResponseHeadersPolicyConfig'];
    expect(html.SecurityHeadersConfig).toMatchObject({ FrameOptions: { FrameOption: 'DENY' }, ContentTypeOptions: { Override: true }, StrictTransportSecurity: { IncludeSubdomains: true } });
    expect(html.CorsConfig).toBeUndefined();
  });

  it('the news sitemap and robots.txt get the data CSP (nothing loads) and the feeds cache policy (their s-maxage decides)', () => {
    for (const pattern of ['/sitemaps/*', '/robots.txt']) {
      expect(cspOf(behaviors[pattern]!), pattern).toEqual({ 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] });
      expect(behaviors[pattern]!.CachePolicyId, pattern).toEqual(defaultBehavior.CachePolicyId);
    }
  });

  it('XML feeds (default and archive behaviours) may load the same-origin XSLT and apply its one inline style block, by hash', () => {
    const style = /<style>([\s\S]*?)<\/style>/.exec(FEED_XSLT)![1]!;
    const hash = `'sha256-${createHash('sha256').update(style).digest('base64')}'`;
    for (const b of [defaultBehavior, behaviors['/feeds/*/archive/*']!]) {
      expect(cspOf(b)).toEqual({
        'default-src': ["'none'"],
        'script-src-elem': ["'self'"],
        'style-src': [hash],
        'frame-ancestors': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'none'"],
      });
    }
  });

  it('archive pages: their own cache policy honours Cache-Control up to the full pages max-age (a day), the edge lifetime by default', () => {
    const maxAge = Number(/max-age=(\d+)/.exec(settledDocument(testConfig()))![1]);
    expect(maxAge).toBeGreaterThanOrEqual(86_400);
    const archive = behaviors['/feeds/*/archive/*']!;
    expect(archive.CachePolicyId).not.toEqual(defaultBehavior.CachePolicyId);
    const policy = resources[archive.CachePolicyId.Ref]!.Properties['CachePolicyConfig'];
    expect(policy).toMatchObject({
      MinTTL: 0,
      DefaultTTL: EDGE_FRESH_SECONDS,
      MaxTTL: maxAge,
      ParametersInCacheKeyAndForwardedToOrigin: {
        HeadersConfig: { HeaderBehavior: 'none' },
        CookiesConfig: { CookieBehavior: 'none' },
        QueryStringsConfig: { QueryStringBehavior: 'none' },
        EnableAcceptEncodingGzip: true,
        EnableAcceptEncodingBrotli: true,
      },
    });
    expect(policy.MaxTTL).toBeGreaterThanOrEqual(86_400);
    // Archive pages are RSS/Atom: the feeds' headers.
    expect(archive.ResponseHeadersPolicyId).toEqual(defaultBehavior.ResponseHeadersPolicyId);
  });
});
