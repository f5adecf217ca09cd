/**
 * How records sit in the database: the JSON of the validated record, read back deep-equal to what was
 * written (JSON keeps every value a record can hold: strings, finite numbers, booleans, arrays, objects).
 */

export function encodeRecord(record: object): string {
  return JSON.stringify(record);
}

/**
 * Decodes a record this store wrote. Every row was encoded from a record already validated by the
 * `core` schemas, and format changes go through migrations, so the JSON is trusted rather than parsed
 * again: re-validating each row would cost more than reading it in a multi-million-row scan.
 */
export function decodeRecord<R>(json: string): R {
  return JSON.parse(json) as R;
}
