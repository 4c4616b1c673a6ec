import { ConditionalCheckFailedException, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { budgetKey, budgetMonth, type PathBudget } from '../../core/publish/index.js';

export class DynamoPathBudget implements PathBudget {
  constructor(
    private readonly dynamo: DynamoDBClient,
    private readonly tableName: string,
    readonly monthlyPaths: number,
  ) {}

  async reserve(paths: number, now: Date): Promise<boolean> {
    if (paths > this.monthlyPaths) return false;
    try {
      // One conditional ADD: concurrent regenerations can never take more than the budget together.
      await this.dynamo.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: budgetKey(budgetMonth(now)),
          UpdateExpression: 'ADD #used :n',
          ConditionExpression: 'attribute_not_exists(#used) OR #used <= :room',
          ExpressionAttributeNames: { '#used': 'usedPaths' },
          ExpressionAttributeValues: { ':n': { N: String(paths) }, ':room': { N: String(this.monthlyPaths - paths) } },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException || (err as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }
}
