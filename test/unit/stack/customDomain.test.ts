import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadStackConfiguration } from '../../../lib/config/context.js';
import { cdkJsonContext, synthPublisherStack } from './synthStack.js';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0f0e8c9a-1111-2222-3333-444455556666';
const configOf = (context: Record<string, unknown>) => loadStackConfiguration(new App({ context: { ...cdkJsonContext(), ...context } }).node);

/** deploy.customDomain: names, the us-east-1 certificate, and (optionally) the alias records in a Route 53 zone. */
describe('custom domain', () => {
  it('with hostedZone: an A and an AAAA alias record per name, to the distribution; feed URLs on the first name', () => {
    const { template } = synthPublisherStack({
      context: {
        deploy: {
          customDomain: {
            domainNames: ['feeds.news.example.org', 'rss.news.example.org'],
            certificateArn: CERTIFICATE,
            hostedZone: { id: 'Z0123456789ABCDEFGHIJ', name: 'news.example.org' },
          },
        },
      },
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ Aliases: ['feeds.news.example.org', 'rss.news.example.org'], ViewerCertificate: Match.objectLike({ AcmCertificateArn: CERTIFICATE }) }),
    });
    const records = Object.values(template.findResources('AWS::Route53::RecordSet')) as { Properties: { Name: string; Type: string; HostedZoneId: string; AliasTarget: { DNSName: unknown; HostedZoneId: string } } }[];
    expect(records.map((r) => `${r.Properties.Type} ${r.Properties.Name}`).sort()).toEqual([
      'A feeds.news.example.org.',
      'A rss.news.example.org.',
      'AAAA feeds.news.example.org.',
      'AAAA rss.news.example.org.',
    ]);
    for (const record of records) {
      expect(record.Properties.HostedZoneId).toBe('Z0123456789ABCDEFGHIJ');
      expect(JSON.stringify(record.Properties.AliasTarget.DNSName)).toContain('DomainName');
      // CloudFront's own hosted zone id (Z2FDTNDATAQYW2 in the aws partition), from the CDK's partition map.
      expect(JSON.stringify(record.Properties.AliasTarget.HostedZoneId)).toContain('AWSCloudFrontPartitionHostedZoneIdMap');
    }
    template.hasOutput('FeedBaseUrl', { Value: 'https://feeds.news.example.org' });
    template.hasOutput('DistributionDomainName', { Value: { 'Fn::GetAtt': [Match.anyValue(), 'DomainName'] } });
  });

  it('without hostedZone: no DNS records (point the names at the DistributionDomainName output yourself)', () => {
    const { template } = synthPublisherStack({ context: { deploy: { customDomain: { domainNames: ['feeds.news.example.org'], certificateArn: CERTIFICATE } } } });
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    template.hasOutput('DistributionDomainName', {});
  });

  it('refuses a name outside the hosted zone, and a malformed zone id', () => {
    expect(() =>
      configOf({ deploy: { customDomain: { domainNames: ['feeds.other.example'], certificateArn: CERTIFICATE, hostedZone: { id: 'Z0123456789ABCDEFGHIJ', name: 'news.example.org' } } } }),
    ).toThrow(/deploy\.customDomain\.hostedZone\.name: every domain name must lie in the hosted zone/);
    expect(() =>
      configOf({ deploy: { customDomain: { domainNames: ['feeds.news.example.org'], certificateArn: CERTIFICATE, hostedZone: { id: 'zone-1', name: 'news.example.org' } } } }),
    ).toThrow(/deploy\.customDomain\.hostedZone\.id: must be a Route 53 hosted zone id/);
  });
});
