import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { CancelledError, FailedPreconditionError, NotFoundError } from '../../core/index.js';
import {
  ITEM_VECTOR_FORMATS,
  ITEM_VECTORS_NAME_PATTERN,
  itemVectorFormatOf,
  listItemVectors,
  putItemVectors,
  readItemVectors,
  unknownItemIds,
  type ItemVectorFormat,
} from '../../embed/index.js';
import { SqliteStore } from '../../store/index.js';
import type { Metric } from '../../vector/index.js';
import { defaultDbPath, UsageError } from '../options.js';
import type { CliContext } from '../program.js';
import type { Progress, Terminal } from '../terminal.js';

interface ImportFlags {
  db: string;
  file: string;
  format?: ItemVectorFormat;
  ids?: string;
  name: string;
  metric: Metric;
  json?: boolean;
}

/** How many unknown ids the report names. */
const UNKNOWN_EXAMPLES = 5;

/** `quarry vectors import|list`: item vectors a user brings, kept in the store for the vector channels. */
export function addVectors(program: Command, context: CliContext): void {
  const vectors = program.command('vectors').description('item vectors you bring (from a text or image model): import them for vector recall');
  vectors
    .command('import')
    .description('check and store item vectors as a named set; serve them with recall.vector.source "imported:<name>"')
    .requiredOption('--file <file>', 'the vectors: JSONL {"id", "vector"} lines, or fvecs / npy / text rows with --ids')
    .addOption(new Option('--format <format>', `${ITEM_VECTOR_FORMATS.join(' | ')} (default: from the extension)`).choices([...ITEM_VECTOR_FORMATS]))
    .option('--ids <file>', 'item ids, one per line in the order of the vectors (fvecs, npy, text)')
    .option('--name <name>', 'the set name; an import replaces the set of the same name once it is stored whole', 'default')
    .addOption(new Option('--metric <metric>', 'how the vectors compare').choices(['cos', 'ip', 'l2']).default('cos'))
    .addOption(new Option('--db <path>', 'SQLite database file (env QUARRY_DB)').default(defaultDbPath()))
    .option('--json', 'print the report as one JSON object on stdout')
    .action((flags: ImportFlags) => importVectorsCommand(context.terminal, flags, context.signal));
  vectors
    .command('list')
    .description('the imported vector sets in the store')
    .addOption(new Option('--db <path>', 'SQLite database file (env QUARRY_DB)').default(defaultDbPath()))
    .option('--json', 'print the sets as one JSON array on stdout')
    .action((flags: { db: string; json?: boolean }) => listVectorsCommand(context.terminal, flags));
}

/**
 * Reads and checks the whole file, names the ids that are not items in the catalog, then stores the
 * set in one transaction (replacing the earlier set of that name only then).
 * @throws UsageError for bad flags; IncompatibleFormatError listing malformed lines; FailedPreconditionError
 *   when no id is an item of a non-empty catalog; CancelledError when interrupted (nothing stored).
 */
async function importVectorsCommand(terminal: Terminal, flags: ImportFlags, signal: AbortSignal): Promise<void> {
  const format = checkImportFlags(flags);
  for (const path of [flags.file, flags.ids]) if (path !== undefined && !existsSync(path)) throw new NotFoundError(`no such file: ${path}`);
  const store = await SqliteStore.open({ path: flags.db });
  let bar: Progress | undefined;
  try {
    const start = performance.now();
    const set = await readItemVectors(flags.file, {
      format,
      metric: flags.metric,
      ...(flags.ids === undefined ? {} : { idsPath: flags.ids }),
      signal,
      onProgress: ({ done, total }) => (bar ??= terminal.progress('vectors', total)).update(done, total),
    });
    bar?.stop();
    const known = new Set<string>();
    for await (const item of store.scanItems()) known.add(item.id);
    const unknown = unknownItemIds(set, (id) => known.has(id), UNKNOWN_EXAMPLES);
    const count = set.ids.length;
    const examples = unknown.examples.map((id) => JSON.stringify(id)).join(', ');
    if (known.size > 0 && unknown.count === count) {
      throw new FailedPreconditionError(`none of the ${count} ids in ${flags.file} is an item in the catalog of ${flags.db} (e.g. ${examples}): wrong ids file or database? Nothing was imported.`);
    }
    if (signal.aborted) throw new CancelledError('import stopped before storing; nothing was imported');
    const { info, replaced } = await putItemVectors(store, flags.name, set, { file: flags.file, format, unknownIds: unknown.count });
    const seconds = (performance.now() - start) / 1000;
    if (unknown.count > 0) {
      const of = known.size === 0 ? `the catalog is empty, so none of the ${count} ids is an item yet` : `${unknown.count} of ${count} ids are not items in the catalog`;
      terminal.info(`warning: ${of} (e.g. ${examples}); their vectors are kept, and served once those items exist (at a server's next start)`);
    }
    terminal.info(
      `Imported ${count.toLocaleString('en-US')} vectors (dim ${set.dim}, ${set.metric}) in ${seconds.toFixed(1)} s as vector set "${flags.name}" version ${info.version} ` +
        `(${(info.bytes / 1e6).toFixed(2)} MB) in ${flags.db}${replaced.length > 0 ? `, replacing version ${replaced.join(', ')}` : ''}.`,
    );
    terminal.info(`  Serve them with the configuration {"recall": {"vector": {"source": "imported:${flags.name}"}}}; a server reads them at its next start.`);
    if (flags.json === true) {
      terminal.out(JSON.stringify({ name: flags.name, version: info.version, vectors: count, dim: set.dim, metric: set.metric, bytes: info.bytes, replaced, unknownIds: unknown }));
    }
  } finally {
    bar?.stop();
    await store.close();
  }
}

/** The format to read; @throws UsageError for a bad name, an unknown extension, or --ids with the wrong format. */
function checkImportFlags(flags: ImportFlags): ItemVectorFormat {
  if (!ITEM_VECTORS_NAME_PATTERN.test(flags.name)) {
    throw new UsageError(`--name "${flags.name}" must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  }
  let format: ItemVectorFormat;
  try {
    format = flags.format ?? itemVectorFormatOf(flags.file);
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  if (format === 'jsonl' && flags.ids !== undefined) throw new UsageError('--ids is for fvecs, npy and text files; a JSONL file carries its ids');
  if (format !== 'jsonl' && flags.ids === undefined) throw new UsageError(`a ${format} file carries no item ids: pass --ids FILE (one item id per line, in the order of the vectors)`);
  return format;
}

async function listVectorsCommand(terminal: Terminal, flags: { db: string; json?: boolean }): Promise<void> {
  const store = await SqliteStore.open({ path: flags.db, mustExist: true });
  try {
    const sets = await listItemVectors(store);
    if (flags.json === true) {
      terminal.out(JSON.stringify(sets.map((s) => ({ name: s.setName, version: s.version, createdAt: s.createdAt, bytes: s.bytes, ...s.meta }))));
      return;
    }
    if (sets.length === 0) terminal.info(`no imported vector sets in ${flags.db} (quarry vectors import --file FILE)`);
    for (const s of sets) {
      const { count, dim, metric } = s.meta as { count?: number; dim?: number; metric?: string };
      terminal.out(`${s.setName}\tversion ${s.version}\t${count ?? '?'} vectors\tdim ${dim ?? '?'}\t${metric ?? '?'}\t${new Date(s.createdAt).toISOString()}`);
    }
  } finally {
    await store.close();
  }
}
