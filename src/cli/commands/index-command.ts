import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { Catalog } from '../../catalog/index.js';
import { LEXICAL_INDEX_NAME, lexicalConfigOf } from '../../engine/index.js';
import { LexicalChannel, lexicalFingerprint } from '../../recall/index.js';
import { SNAPSHOT_FORMAT_VERSION } from '../../index/index.js';
import { SqliteStore } from '../../store/index.js';
import { defaultDbPath, readEngineConfig } from '../options.js';
import type { CliContext } from '../program.js';
import type { Progress } from '../terminal.js';
import { resolveEngineConfig } from '../../engine/index.js';

interface IndexFlags {
  db: string;
  config?: string;
  out?: string;
  json?: boolean;
}

/**
 * `quarry index`: builds the lexical (BM25F) index over the store's catalog with a progress bar and
 * stores its snapshot; a server started on the same catalog and configuration loads it instead of
 * indexing at start-up.
 */
export function addIndex(program: Command, context: CliContext): void {
  program
    .command('index')
    .description('build the lexical (BM25F) index of the catalog and store its snapshot for the server to load')
    .addOption(new Option('--db <path>', 'SQLite database file (env QUARRY_DB)').default(defaultDbPath()))
    .addOption(new Option('--config <file>', 'engine configuration (JSON): its `lexical` section shapes the index'))
    .option('--out <file>', 'also write the snapshot to this file')
    .option('--json', 'print the index statistics as one JSON object on stdout')
    .action(async (flags: IndexFlags) => {
      const config = resolveEngineConfig(readEngineConfig(flags.config));
      const store = await SqliteStore.open({ path: flags.db, mustExist: true });
      let bar: Progress | undefined;
      try {
        const catalog = new Catalog();
        for await (const item of store.scanItems()) catalog.upsert(item);
        const lexical = lexicalConfigOf(config);
        const start = performance.now();
        const channel = LexicalChannel.build(catalog, lexical, {
          signal: context.signal,
          onProgress: (done, total) => (bar ??= context.terminal.progress('index', total)).update(done, total),
        });
        bar?.stop();
        const seconds = (performance.now() - start) / 1000;
        const bytes = channel.snapshot();
        const stats = channel.index.stats();
        const info = await store.putModel({
          name: LEXICAL_INDEX_NAME,
          formatVersion: SNAPSHOT_FORMAT_VERSION,
          data: bytes,
          meta: { fingerprint: lexicalFingerprint(catalog, lexical), docs: stats.docs, terms: stats.terms },
        });
        if (flags.out !== undefined) await writeFile(flags.out, bytes);
        context.terminal.info(
          `Indexed ${stats.docs.toLocaleString('en-US')} items in ${seconds.toFixed(1)} s: ${stats.terms.toLocaleString('en-US')} terms, ` +
            `snapshot ${(bytes.length / 1e6).toFixed(2)} MB stored as version ${info.version} in ${flags.db}`,
        );
        if (flags.json === true) context.terminal.out(JSON.stringify({ version: info.version, seconds, bytes: bytes.length, ...stats }));
      } finally {
        bar?.stop();
        await store.close();
      }
    });
}
