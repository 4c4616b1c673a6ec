import type { TestProject } from 'vitest/node';
import { quietAwsSdk } from '../../operator/cli.js';
import { startDynamoDbLocal } from '../../local/dynamoDbLocal.js';
import type { RunningServer } from '../../local/localAws.js';
import { startS3rver } from '../../local/s3rver.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** e.g. http://127.0.0.1:41234 — DynamoDB Local (in memory, -sharedDb); also serves DynamoDB Streams. */
    dynamoEndpoint: string;
    /** e.g. http://127.0.0.1:41235 — s3rver (use path-style addressing). */
    s3Endpoint: string;
  }
}

/** A server somebody else runs: nothing to stop. */
function external(endpoint: string): RunningServer {
  return { endpoint, stop: async () => undefined };
}

/**
 * Runs once per `vitest run`: one DynamoDB Local and one s3rver shared by all test files.
 * Set LOCAL_DYNAMO_ENDPOINT / LOCAL_S3_ENDPOINT to use already running servers instead.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  quietAwsSdk(); // the test workers inherit it
  const dynamoEndpoint = process.env.LOCAL_DYNAMO_ENDPOINT;
  const s3Endpoint = process.env.LOCAL_S3_ENDPOINT;
  const results = await Promise.allSettled([
    dynamoEndpoint ? external(dynamoEndpoint) : startDynamoDbLocal(),
    s3Endpoint ? external(s3Endpoint) : startS3rver(),
  ]);
  const servers = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const stopAll = async () => {
    const stopped = await Promise.allSettled(servers.map((server) => server.stop()));
    const failure = stopped.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  };

  const [dynamo, s3] = results;
  if (dynamo.status === 'rejected' || s3.status === 'rejected') {
    await stopAll().catch(() => undefined);
    throw dynamo.status === 'rejected' ? dynamo.reason : (s3 as PromiseRejectedResult).reason;
  }
  project.provide('dynamoEndpoint', dynamo.value.endpoint);
  project.provide('s3Endpoint', s3.value.endpoint);
  return stopAll;
}
