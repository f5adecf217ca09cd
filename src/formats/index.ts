// formats/: the field's interchange formats in and out (JSONL and CSV for items, users, events).
export { ingestFile, type IngestOptions, type IngestReport, type Rejection } from './ingest.js';
export { exportRecords, type ExportKind, type ExportOptions } from './export.js';
export { readRecords, formatOf, type FileFormat, type RawRecord } from './read-records.js';
export { csvRowToRecord, recordToCsvRow, CSV_COLUMNS, type RecordKind } from './csv-columns.js';
