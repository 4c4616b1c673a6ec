import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PublisherStack } from '../../../lib/publisherStack.js';
import { buildPublisherApp, synthPublisherStack } from './synthStack.js';

const DEPLOY_VARIANTS: Record<string, Record<string, unknown>> = {
  defaults: {},
  'custom domain, WAF, invalidation opted in, serialized, no reservations': {
    customDomain: { domainNames: ['feeds.news.example.org'], certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f0e8c9a-1111-2222-3333-444455556666' },
    webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/feeds/0f0e8c9a-1111-2222-3333-444455556666',
    alarmEmail: 'ops@news.example.org',
    cdnInvalidation: { enabled: true },
    reservedConcurrency: false,
    serializeRegeneration: true,
  },
};

/** Publisher settings that add resources: WebSub hubs (queue, DLQ, notifier function). */
const PUBLISHER_VARIANTS: Record<string, Record<string, unknown>> = {
  'WebSub hubs configured': { 'publisher.websubHubs': JSON.stringify(['https://pubsubhubbub.appspot.com/']) },
};

const VARIANTS: [string, Record<string, unknown>][] = [
  ...Object.entries(DEPLOY_VARIANTS).map(([name, deploy]): [string, Record<string, unknown>] => [name, { deploy }]),
  ...Object.entries(PUBLISHER_VARIANTS),
];

describe.each(VARIANTS)('cdk-nag AwsSolutions (%s)', (_name, context) => {
  let stack: PublisherStack;

  beforeAll(() => {
    ({ stack } = synthPublisherStack({ context }));
  });

  it('has zero unacknowledged findings', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    const findings = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('gives every acknowledgment a reason', () => {
    const acknowledgments = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map((m) => m.data as Record<string, string>))
      .flatMap((data) => Object.entries(data));
    expect(acknowledgments.length).toBeGreaterThan(5);
    for (const [id, reason] of acknowledgments) {
      expect(reason, id).toMatch(/\w{4,}.*\w{4,}/);
      expect(reason.length, id).toBeGreaterThan(40);
    }
  });
});

describe('cdk-nag as a synth-time validation plugin (as in bin/app.ts)', () => {
  const synthWithNag = (tamper?: (stack: PublisherStack) => void) => {
    const outdir = mkdtempSync(join(tmpdir(), 'cdk-nag-'));
    const { app, stack } = buildPublisherApp({ outdir });
    tamper?.(stack);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    let error: unknown;
    try {
      app.synth();
    } catch (e) {
      error = e;
    }
    const reportFile = join(outdir, 'validation-report.json');
    const report = existsSync(reportFile)
      ? (JSON.parse(readFileSync(reportFile, 'utf8')) as { pluginReports: { pluginName: string; conclusion: string; violations: { ruleName: string }[] }[] })
      : { pluginReports: [] };
    return { error, report };
  };

  it('synthesizes the stack without a validation failure', () => {
    const { error, report } = synthWithNag();
    expect(error).toBeUndefined();
    expect(report.pluginReports.filter((r) => r.conclusion !== 'success')).toEqual([]);
  });

  it('fails synth on an unacknowledged finding (the plugin is really wired in)', () => {
    const { error, report } = synthWithNag((stack) => new Queue(stack, 'PlainQueue'));
    expect(String(error)).toMatch(/ValidationFailed/);
    const nag = report.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
    expect(nag?.conclusion).toBe('failure');
    expect(nag?.violations.map((v) => v.ruleName)).toContain('AwsSolutions-SQS4');
  });
});
