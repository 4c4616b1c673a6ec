import { CreateTableCommand, waitUntilTableExists, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KEY } from '../../core/storage/index.js';

/** Creates the article table as the stack defines it (used by the local run and the tests). */
export async function createArticleTable(client: DynamoDBClient, tableName: string): Promise<string> {
  const { TableDescription } = await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: KEY.partition, AttributeType: 'S' },
        { AttributeName: KEY.sort, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: KEY.partition, KeyType: 'HASH' },
        { AttributeName: KEY.sort, KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
  const streamArn = TableDescription?.LatestStreamArn;
  if (!streamArn) throw new Error(`Table ${tableName} was created without a stream`);
  return streamArn;
}
