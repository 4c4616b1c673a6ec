/**
 * The CDK app: `npx cdk synth|deploy`. Environment-agnostic (no lookups), so it synthesizes offline
 * without credentials; `cdk deploy` targets the account/region of the caller's credentials.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadStackConfiguration } from '../lib/config/context.js';
import { PublisherStack } from '../lib/publisherStack.js';

export const STACK_NAME = 'SectionFeedPublisher';

const app = new App();
const { publisher, deploy } = loadStackConfiguration(app.node);
new PublisherStack(app, STACK_NAME, {
  publisher,
  deploy,
  description: 'Section feed publisher: articles -> DynamoDB -> Lambda -> RSS/Atom/JSON Feed on S3 + CloudFront',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
