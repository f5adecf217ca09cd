import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { IncompatibleFormatError, NotFoundError } from '../core/index.js';

/** A document to index: its external id (TREC DOCNO), an optional title and the text. */
export interface EvalDocument {
  id: string;
  title?: string;
  text: string;
}

export interface Topic {
  id: string;
  query: string;
}

/** Relevance judgements: topic id → document id → grade (> 0 is relevant, as trec_eval's default). */
export type Qrels = Map<string, Map<string, number>>;

/** A ranked result list per topic, best first. */
export type Run = Map<string, { docId: string; score: number }[]>;

/**
 * Reads documents from a file in either format, told apart by the first non-blank character: TREC SGML
 * (`<DOC><DOCNO>id</DOCNO>text</DOC>`; other tags inside a DOC are dropped, their text kept) or JSON
 * Lines `{"id", "title"?, "text"}`.
 * @throws NotFoundError for a missing file; IncompatibleFormatError naming the line of a bad record.
 */
export function readDocuments(path: string): EvalDocument[] {
  const text = readText(path);
  return text.trimStart().startsWith('<') ? parseTrecDocuments(text, path) : parseJsonlDocuments(text, path);
}

export function parseTrecDocuments(text: string, source = 'documents'): EvalDocument[] {
  const docs: EvalDocument[] = [];
  for (const match of text.matchAll(/<DOC>([\s\S]*?)<\/DOC>/g)) {
    const body = match[1] as string;
    const docno = /<DOCNO>\s*([\s\S]*?)\s*<\/DOCNO>/.exec(body);
    if (docno === null) throw new IncompatibleFormatError(`${source}:${lineOf(text, match.index)}: <DOC> without <DOCNO>`);
    const rest = body.replace(docno[0], ' ').replace(/<[^>]*>/g, ' ');
    docs.push({ id: docno[1] as string, text: rest.trim() });
  }
  if (docs.length === 0) throw new IncompatibleFormatError(`${source}: no <DOC> elements found`);
  return docs;
}

export function parseJsonlDocuments(text: string, source = 'documents'): EvalDocument[] {
  const docs: EvalDocument[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      throw new IncompatibleFormatError(`${source}:${i + 1}: not JSON: ${(error as Error).message}`, { cause: error });
    }
    const { id, title, text: body } = (record ?? {}) as Record<string, unknown>;
    if ((typeof id !== 'string' && typeof id !== 'number') || typeof body !== 'string' || (title !== undefined && typeof title !== 'string')) {
      throw new IncompatibleFormatError(`${source}:${i + 1}: a document needs "id" (string or number) and "text" (string), "title" optional`);
    }
    docs.push({ id: String(id), text: body, ...(title === undefined ? {} : { title }) });
  });
  return docs;
}

/**
 * Reads topics: TREC `<top>` blocks (`<num>` and `<title>`, closed or not, "Number:" prefix allowed) or
 * `qid<TAB>query` lines.
 * @throws NotFoundError for a missing file; IncompatibleFormatError for a line or block it cannot read.
 */
export function readTopics(path: string): Topic[] {
  return parseTopics(readText(path), path);
}

export function parseTopics(text: string, source = 'topics'): Topic[] {
  if (/<top>/i.test(text)) {
    const topics: Topic[] = [];
    for (const match of text.matchAll(/<top>([\s\S]*?)<\/top>/gi)) {
      const block = match[1] as string;
      const num = /<num>\s*(?:Number:)?\s*([^<\s]+)/i.exec(block);
      const title = /<title>\s*(?:Topic:)?([^<]*)/i.exec(block);
      if (num === null || title === null) throw new IncompatibleFormatError(`${source}:${lineOf(text, match.index)}: <top> without <num> and <title>`);
      topics.push({ id: num[1] as string, query: (title[1] as string).replace(/\s+/g, ' ').trim() });
    }
    return topics;
  }
  return text
    .split('\n')
    .map((line, i) => ({ line: line.replace(/\r$/, ''), number: i + 1 }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, number }) => {
      const tab = line.indexOf('\t');
      if (tab <= 0) throw new IncompatibleFormatError(`${source}:${number}: expected "qid<TAB>query"`);
      return { id: line.slice(0, tab).trim(), query: line.slice(tab + 1).trim() };
    });
}

/**
 * Reads TREC qrels: `topic iteration docno grade` per line, white-space separated.
 * @throws NotFoundError for a missing file; IncompatibleFormatError naming a bad line.
 */
export function readQrels(path: string): Qrels {
  return parseQrels(readText(path), path);
}

export function parseQrels(text: string, source = 'qrels'): Qrels {
  const qrels: Qrels = new Map();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const parts = line.trim().split(/\s+/);
    const grade = Number(parts[3]);
    if (parts.length !== 4 || !Number.isInteger(grade)) throw new IncompatibleFormatError(`${source}:${i + 1}: expected "topic iteration docno grade", got "${line.trim()}"`);
    const topic = parts[0] as string;
    let judged = qrels.get(topic);
    if (judged === undefined) qrels.set(topic, (judged = new Map<string, number>()));
    judged.set(parts[2] as string, grade);
  });
  return qrels;
}

/** A run in TREC format: `topic Q0 docno rank score tag`, rank from 1. */
export function formatRun(run: Run, tag: string): string {
  const lines: string[] = [];
  for (const [topic, hits] of run) hits.forEach((h, i) => lines.push(`${topic} Q0 ${h.docId} ${i + 1} ${h.score} ${tag}`));
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Writes a TREC run file. */
export async function writeRun(path: string, run: Run, tag: string): Promise<void> {
  const out = createWriteStream(path);
  out.end(formatRun(run, tag));
  await finished(out);
}

function readText(path: string): string {
  if (!existsSync(path)) throw new NotFoundError(`no such file: ${path}`);
  return readFileSync(path, 'utf8');
}

function lineOf(text: string, offset: number | undefined): number {
  return text.slice(0, offset ?? 0).split('\n').length;
}
