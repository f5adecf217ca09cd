/**
 * Versioned named blobs (trained models, index snapshots) in SQLite. Versions count up from 1 per name
 * and are never handed out twice, even after the latest is deleted.
 */

import { InvalidArgumentError, invariant } from '../core/index.js';
import { decodeRecord, encodeRecord } from './record-json.js';
import type { SqliteConnection } from './sqlite-connection.js';
import type { ModelInfo, ModelRecord, NewModel } from './store.js';

interface ModelInfoRow {
  name: string;
  version: number;
  formatVersion: number;
  createdAt: number;
  meta: string;
  bytes: number;
}

interface ModelRecordRow extends Omit<ModelInfoRow, 'bytes'> {
  data: Buffer;
}

const INFO_COLUMNS = 'name, version, format_version AS formatVersion, created_at AS createdAt, meta, length(data) AS bytes';
const RECORD_COLUMNS = 'name, version, format_version AS formatVersion, created_at AS createdAt, meta, data';

const SQL = {
  nextVersion: `INSERT INTO model_versions (name, last_version) VALUES (?, 1)
                ON CONFLICT (name) DO UPDATE SET last_version = last_version + 1
                RETURNING last_version AS version`,
  insert: `INSERT INTO models (name, version, format_version, created_at, meta, data) VALUES (?, ?, ?, ?, ?, ?)`,
  getVersion: `SELECT ${RECORD_COLUMNS} FROM models WHERE name = ? AND version = ?`,
  getLatest: `SELECT ${RECORD_COLUMNS} FROM models WHERE name = ? ORDER BY version DESC LIMIT 1`,
  listName: `SELECT ${INFO_COLUMNS} FROM models WHERE name = ? ORDER BY version DESC`,
  listAll: `SELECT ${INFO_COLUMNS} FROM models ORDER BY name, version DESC`,
  delete: `DELETE FROM models WHERE name = ? AND version = ?`,
} as const;

export class ModelRegistry {
  private readonly connection: SqliteConnection;
  private readonly clock: () => number;

  constructor(connection: SqliteConnection, clock: () => number) {
    this.connection = connection;
    this.clock = clock;
  }

  /**
   * Stores `model` as the next version of its name; the version is taken and the blob written in one
   * transaction, so two writers of the same name never get the same version.
   * @throws InvalidArgumentError when the name is empty, the format version is not a non-negative
   *   integer, or `meta` cannot be written as JSON.
   */
  put(model: NewModel): ModelInfo {
    checkNewModel(model);
    const meta = encodeMeta(model);
    const createdAt = model.createdAt ?? this.clock();
    return this.connection.transaction(() => {
      const next = this.connection.statement<{ version: number }>(SQL.nextVersion).get(model.name);
      invariant(next !== undefined, `taking the next version of model "${model.name}" returned no row`);
      const { name, formatVersion, data } = model;
      this.connection.statement(SQL.insert).run(name, next.version, formatVersion, createdAt, meta, data);
      return toModelInfo({ name, version: next.version, formatVersion, createdAt, meta, bytes: data.byteLength });
    });
  }

  /** The given version, or the latest when `version` is omitted. */
  get(name: string, version?: number): ModelRecord | undefined {
    const row =
      version === undefined
        ? this.connection.statement<ModelRecordRow>(SQL.getLatest).get(name)
        : this.connection.statement<ModelRecordRow>(SQL.getVersion).get(name, version);
    if (row === undefined) return undefined;
    // A plain Uint8Array over the Buffer's own memory (better-sqlite3 copies each blob out): callers get
    // the type they gave, without a second copy of what may be hundreds of megabytes.
    const data = new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength);
    return { ...toModelInfo({ ...row, bytes: data.byteLength }), data };
  }

  /** Newest first within a name; names in order when listing all. */
  list(name?: string): ModelInfo[] {
    const rows =
      name === undefined
        ? this.connection.statement<ModelInfoRow>(SQL.listAll).all()
        : this.connection.statement<ModelInfoRow>(SQL.listName).all(name);
    return rows.map(toModelInfo);
  }

  delete(name: string, version: number): boolean {
    return this.connection.statement(SQL.delete).run(name, version).changes > 0;
  }
}

function toModelInfo(row: ModelInfoRow): ModelInfo {
  return {
    name: row.name,
    version: row.version,
    formatVersion: row.formatVersion,
    createdAt: row.createdAt,
    meta: decodeRecord<Record<string, unknown>>(row.meta),
    bytes: row.bytes,
  };
}

function checkNewModel(model: NewModel): void {
  if (model.name.length === 0) {
    throw new InvalidArgumentError('model name must not be empty', {
      issues: [{ path: ['name'], message: 'must not be empty' }],
    });
  }
  if (!Number.isInteger(model.formatVersion) || model.formatVersion < 0) {
    const { name, formatVersion } = model;
    throw new InvalidArgumentError(`formatVersion of model "${name}" must be a non-negative integer, got ${formatVersion}`, {
      issues: [{ path: ['formatVersion'], message: 'must be a non-negative integer' }],
    });
  }
}

function encodeMeta(model: NewModel): string {
  try {
    return encodeRecord(model.meta ?? {});
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidArgumentError(`meta of model "${model.name}" cannot be written as JSON: ${reason}`, {
      issues: [{ path: ['meta'], message: 'must be JSON-serializable' }],
      cause: error,
    });
  }
}
