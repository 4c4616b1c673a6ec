import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ENV } from '../lambdas/core/contracts/index.js';
import { HelpRequested, runCli, UsageError, parseCommandArgs } from './cli.js';
import { lambdaInvoker } from './deadLetterSources.js';
import { reconcileArchives, type ReconcileReport } from './reconcileArchives.js';
import { localTarget } from './replayCommand.js';

export const USAGE = `Usage: npm run reconcile -- --local [--port <n> | <url>]
       npm run reconcile -- --function-name <name> [--region <region>]

Brings the RFC 5005 archive pages (and every feed) in line with the article table: each stored
article is handed to the regeneration as the stream record of its current state, so an article
whose stream record was lost gets its archive slot. Safe to repeat. \`npm start\` does it at start-up.

  --local          the running \`npm start\`: http://127.0.0.1:$PORT (default 3000), or the URL given
  --port           the local server's port (default $PORT, else 3000)
  --function-name  stack output RegenerationFunctionName: the deployed regeneration is invoked, the
                   table is read from its ${ENV.tableName} (needs lambda:GetFunctionConfiguration,
                   lambda:InvokeFunction and dynamodb:Scan)
  --region         the stack's region (default AWS_REGION)`;

export type ReconcileTarget = { kind: 'local'; base: string } | { kind: 'aws'; functionName: string; region?: string };

export function parseReconcileArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ReconcileTarget {
  const parsed = parseCommandArgs(argv, { local: { type: 'boolean' }, port: { type: 'string' }, 'function-name': { type: 'string' }, region: { type: 'string' } });
  const { values, positionals } = parsed;
  if (values.help) throw new HelpRequested();
  if (values.local && values['function-name']) throw new UsageError('--local excludes --function-name');
  if (values.local) return { kind: 'local', base: localTarget(values, positionals, env) };
  if (positionals.length > 0 || values.port) throw new UsageError('a URL or --port goes with --local');
  if (!values['function-name']) throw new UsageError('give --local or --function-name');
  return { kind: 'aws', functionName: values['function-name'], ...(values.region && { region: values.region }) };
}

async function reconcile(target: ReconcileTarget): Promise<ReconcileReport> {
  if (target.kind === 'local') {
    const response = await fetch(`${target.base}/archives/reconcile`, { method: 'POST' }).catch((error: Error) => {
      throw new Error(`no local server at ${target.base} (${String(error.cause ?? error.message)}); is \`npm start\` running on that port?`);
    });
    if (response.status !== 200) throw new Error(`${target.base} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
    return (await response.json()) as ReconcileReport;
  }
  const region = target.region ? { region: target.region } : {};
  const lambda = new LambdaClient(region);
  const { Environment } = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: target.functionName }));
  const tableName = Environment?.Variables?.[ENV.tableName];
  if (!tableName) throw new Error(`function ${target.functionName} has no ${ENV.tableName}: is it the stack's RegenerationFunctionName?`);
  return reconcileArchives(new DynamoDBClient(region), tableName, lambdaInvoker(lambda, target.functionName));
}

export function main(argv: readonly string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process): Promise<number> {
  return runCli(
    'reconcile',
    USAGE,
    async () => {
      const target = parseReconcileArgs(argv);
      io.stderr.write(`reconcile: ${target.kind === 'local' ? `local server ${target.base}` : `function ${target.functionName}`}\n`);
      const report = await reconcile(target);
      io.stdout.write(`reconciled ${report.articles} article(s) in ${report.batches} batch(es)${report.failed.length ? `; FAILED: ${report.failed.join(', ')}` : ''}\n`);
      return report.failed.length ? 1 : 0;
    },
    io,
  );
}
