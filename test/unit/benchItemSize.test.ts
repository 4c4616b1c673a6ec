import { describe, expect, it } from 'vitest';
import { itemSize, transactionWriteUnits } from '../../bench/lib/itemSize.js';

/** The bench bills transactions from item sizes (DynamoDB Local under-reports them): the sizes must follow DynamoDB's rules. */
describe('bench: DynamoDB item sizes as AWS bills them', () => {
  it('counts attribute names and values: strings in UTF-8 bytes, numbers by significant digits', () => {
    expect(itemSize({ pk: 'P#1', sk: 'X' })).toBe(2 + 3 + 2 + 1);
    expect(itemSize({ n: 12345 })).toBe(1 + 4);
    expect(itemSize({ t: 'é' })).toBe(1 + 2);
  });

  it('gives the same size for an item as the document client takes it and marshalled', () => {
    const item = { pk: 'ARTICLE#a', n: 1748000000000, tags: new Set(['a', 'bb']), entries: [{ pk: 'SECTION#x', sk: '1#a' }], ok: true };
    const marshalled = {
      pk: { S: 'ARTICLE#a' },
      n: { N: '1748000000000' },
      tags: { SS: ['a', 'bb'] },
      entries: { L: [{ M: { pk: { S: 'SECTION#x' }, sk: { S: '1#a' } } }] },
      ok: { BOOL: true },
    };
    expect(itemSize(marshalled)).toBe(itemSize(item));
  });

  it('bills a transaction twice the units of each item, one unit per KB started; a Delete as its largest Put', () => {
    const put = (kb: number) => ({ Put: { TableName: 't', Item: { pk: 'P', doc: 'x'.repeat(kb * 1024 - 10) } } });
    expect(transactionWriteUnits({ TransactItems: [put(4), put(4), put(1)] })).toBe(2 * (4 + 4 + 1));
    expect(transactionWriteUnits({ TransactItems: [put(3), { Delete: { TableName: 't', Key: { pk: 'P', sk: 'S' } } }] })).toBe(2 * (3 + 3));
  });
});
