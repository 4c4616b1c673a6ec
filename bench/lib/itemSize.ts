/**
 * DynamoDB item sizes as AWS bills them, for what DynamoDB Local does not report correctly: its
 * ConsumedCapacity for TransactWriteItems is far below AWS's (8 units for seven 3.5 KB Puts, where
 * AWS bills 2 × 4 × 7 = 56), so the bench computes transactional writes from the items themselves.
 *
 * Size rules (DynamoDB developer guide, "Item sizes and formats"): the sum over attributes of the
 * name's UTF-8 length plus the value's size; strings their UTF-8 length, numbers about one byte per
 * two significant digits plus one, binary its length, booleans and null one byte, lists and maps
 * three bytes plus one per element plus their elements, sets the sum of their elements.
 */
const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');
const numberSize = (n: string) => Math.ceil(n.replace(/^-|\.|e.*$/gi, '').replace(/^0+/, '').length / 2) + 1;

const MARSHALLED = new Set(['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL']);
function isMarshalled(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Set || v instanceof Uint8Array) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && MARSHALLED.has(keys[0]!);
}

/** Size of one attribute value, marshalled (`{ S: "…" }`) or plain (as the document client takes it). */
export function valueSize(v: unknown): number {
  if (isMarshalled(v)) {
    const [type, inner] = Object.entries(v)[0]!;
    switch (type) {
      case 'S':
        return utf8(inner as string);
      case 'N':
        return numberSize(inner as string);
      case 'B':
        return (inner as Uint8Array).byteLength;
      case 'SS':
        return (inner as string[]).reduce((s, x) => s + utf8(x), 0);
      case 'NS':
        return (inner as string[]).reduce((s, x) => s + numberSize(x), 0);
      case 'BS':
        return (inner as Uint8Array[]).reduce((s, x) => s + x.byteLength, 0);
      case 'L':
        return 3 + (inner as unknown[]).reduce<number>((s, x) => s + 1 + valueSize(x), 0);
      case 'M':
        return 3 + itemSize(inner as Record<string, unknown>) + Object.keys(inner as object).length;
      default:
        return 1;
    }
  }
  if (typeof v === 'string') return utf8(v);
  if (typeof v === 'number' || typeof v === 'bigint') return numberSize(String(v));
  if (typeof v === 'boolean' || v === null || v === undefined) return 1;
  if (v instanceof Uint8Array) return v.byteLength;
  if (v instanceof Set) return [...v].reduce<number>((s, x) => s + valueSize(x), 0);
  if (Array.isArray(v)) return 3 + v.reduce<number>((s, x) => s + 1 + valueSize(x), 0);
  return 3 + itemSize(v as Record<string, unknown>) + Object.keys(v as object).length;
}

export function itemSize(item: Record<string, unknown>): number {
  return Object.entries(item).reduce((s, [name, v]) => s + utf8(name) + valueSize(v), 0);
}

/** Write units one item of `bytes` costs: one per KB started. */
export const writeUnitsOf = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

/**
 * What AWS bills a TransactWriteItems request: twice the write units of every item it writes. A
 * Delete is billed by the deleted item's size, which the request does not carry: taken as the
 * largest Put of the same transaction (the entries of one article are its copies).
 */
export function transactionWriteUnits(input: Record<string, unknown>): number {
  const items = (input['TransactItems'] ?? []) as Record<string, { Item?: Record<string, unknown>; Key?: Record<string, unknown> }>[];
  const puts = items.flatMap((i) => (i['Put']?.Item ? [itemSize(i['Put'].Item)] : []));
  const largest = Math.max(0, ...puts);
  return items.reduce((sum, i) => {
    if (i['Put']?.Item) return sum + 2 * writeUnitsOf(itemSize(i['Put'].Item));
    if (i['Delete']) return sum + 2 * writeUnitsOf(largest || itemSize(i['Delete'].Key ?? {}));
    const other = i['Update'] ?? i['ConditionCheck'];
    return sum + 2 * writeUnitsOf(itemSize(other?.Key ?? {}));
  }, 0);
}
