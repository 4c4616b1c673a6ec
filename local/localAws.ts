/** The local stand-ins for AWS: what a started server is, and SDK clients pointed at them. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { S3Client } from '@aws-sdk/client-s3';

export type RunningServer = {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  endpoint: string;
  /** Stops the server; resolves once it is really gone. Safe to call more than once. */
  stop(): Promise<void>;
};

export const LOCAL_REGION = 'us-east-1';

/** s3rver only accepts this key pair for signed requests; DynamoDB Local accepts anything. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** SDK v3 clients pointed at the local servers. */
export function localAwsClients(endpoints: { dynamoEndpoint: string; s3Endpoint: string }): {
  dynamo: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  s3: S3Client;
} {
  // Loopback servers under bursts (a 500-change burst, the concurrency tests) take more than the
  // SDK's default 50 sockets per client; more is harmless here and keeps its queueing warning quiet.
  const common = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, requestHandler: { httpAgent: { keepAlive: true, maxSockets: 256 } } };
  return {
    dynamo: new DynamoDBClient({ ...common, endpoint: endpoints.dynamoEndpoint }),
    streams: new DynamoDBStreamsClient({ ...common, endpoint: endpoints.dynamoEndpoint }),
    s3: new S3Client({
      ...common,
      endpoint: endpoints.s3Endpoint,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  };
}
