/**
 * CSV rows ↔ Quarry records. A CSV cell is always text; these mappings turn the cells of a known
 * column into the JSON shape the schemas expect (numbers, lists, nested objects), leaving anything
 * that does not convert as it was so the schema's error names the column and the problem.
 *
 * Items and users: `categoryPath` (or `category`) is `数码>手机`; attributes come from an `attributes`
 * column holding a JSON object and/or from `attr.<name>` columns. Events: an impression's `items` is
 * a JSON array of `{itemId, position}`, or `a;b;c` (positions 1, 2, 3), or `a:3;b:4`.
 */

export type RecordKind = 'items' | 'users' | 'events';

const NUMERIC_COLUMNS: Record<RecordKind, ReadonlySet<string>> = {
  items: new Set(['price', 'bid', 'createdAt']),
  users: new Set(['createdAt']),
  events: new Set(['time', 'position', 'quantity', 'price', 'resultCount']),
};

/** One CSV row (header → cell) → a plain object for the kind's schema. Empty cells are absent. */
export function csvRowToRecord(kind: RecordKind, row: Record<string, string>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  const attributes: Record<string, unknown> = {};
  for (const [column, cell] of Object.entries(row)) {
    if (cell === '') continue;
    if (column.startsWith('attr.')) {
      attributes[column.slice('attr.'.length)] = attributeValue(cell);
    } else if (column === 'attributes') {
      const parsed = parseJsonObject(cell);
      // Not a JSON object: keep the text, so validation names the column instead of storing it as data.
      if (parsed === undefined) record.attributes = cell;
      else Object.assign(attributes, parsed);
    } else if (column === 'categoryPath' || column === 'category') {
      record.categoryPath = cell.split('>').map((s) => s.trim()).filter((s) => s !== '');
    } else if (kind === 'events' && column === 'items') {
      record.items = impressionItems(cell);
    } else if (NUMERIC_COLUMNS[kind].has(column)) {
      record[column] = numberOrText(cell);
    } else {
      record[column] = cell;
    }
  }
  if (Object.keys(attributes).length > 0 && typeof record.attributes !== 'string') record.attributes = attributes;
  return record;
}

/** A record → CSV cells for `columns` (the inverse of `csvRowToRecord` for export). */
export function recordToCsvRow(record: Record<string, unknown>, columns: readonly string[]): string[] {
  return columns.map((column) => {
    const value = record[column];
    if (value === undefined || value === null) return '';
    if (column === 'categoryPath' && Array.isArray(value)) return value.join('>');
    if (column === 'items' && Array.isArray(value)) return JSON.stringify(value);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
    return typeof value === 'object' && Object.keys(value).length === 0 ? '' : JSON.stringify(value);
  });
}

/** The export columns of each kind, in order. */
export const CSV_COLUMNS: Record<RecordKind, readonly string[]> = {
  items: ['id', 'title', 'description', 'categoryPath', 'brand', 'shop', 'price', 'region', 'kind', 'bid', 'createdAt', 'attributes'],
  users: ['id', 'region', 'createdAt', 'attributes'],
  events: [
    'eventId', 'type', 'userId', 'time', 'requestId', 'sessionId', 'itemId', 'position', 'quantity', 'price',
    'query', 'source', 'resultCount', 'surface', 'items', 'prefix', 'suggestion',
  ],
};

function numberOrText(cell: string): number | string {
  const trimmed = cell.trim();
  return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(trimmed) ? Number(trimmed) : cell;
}

function attributeValue(cell: string): string | number | boolean {
  if (cell === 'true' || cell === 'false') return cell === 'true';
  const value = numberOrText(cell);
  return value;
}

function parseJsonObject(cell: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(cell);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function impressionItems(cell: string): unknown {
  if (cell.trim().startsWith('[')) {
    try {
      return JSON.parse(cell) as unknown;
    } catch {
      return cell;
    }
  }
  return cell.split(';').map((entry, index) => {
    const [itemId = '', position] = entry.split(':');
    return { itemId: itemId.trim(), position: position === undefined ? index + 1 : numberOrText(position) };
  });
}
