import { InvalidArgumentError } from '../core/index.js';
import { QUERY_LIMITS } from './config.js';

/** One piece of a query as typed: a word (or run of words), a `"phrase"`, each maybe `-`negated or `field:`-scoped. */
export interface QueryClause {
  kind: 'word' | 'phrase';
  text: string;
  /** The field named as `field:` (only names the index knows are taken as fields). */
  field?: string;
  negated: boolean;
}

export interface ParsedQuery {
  clauses: QueryClause[];
  warnings: string[];
}

// Control and format characters (and lone surrogates) carry no words: they become spaces.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}]/gu;
// A `field:` prefix: letters, digits, `_`, `.` or `-`, then a colon and something after it.
const FIELD_PREFIX = /^([\p{L}\p{N}_.-]+):(?=\S)/u;

/**
 * Parses query syntax: words, `"phrases"`, `-exclusions` (`-word`, `-"a phrase"`), `field:word` and
 * `field:"a phrase"`. Lenient by design, as people type: an unbalanced quote makes the rest plain words
 * (with a warning), an unknown `name:` stays text, control characters become spaces, a lone `-` is
 * ignored.
 * @param knownFields the names `field:` may use
 * @throws InvalidArgumentError when the query is longer than QUERY_LIMITS.maxLength characters.
 */
export function parseQuery(input: string, knownFields: ReadonlySet<string>): ParsedQuery {
  if (input.length > QUERY_LIMITS.maxLength) {
    throw new InvalidArgumentError(`query is ${input.length} characters long, at most ${QUERY_LIMITS.maxLength} are accepted`);
  }
  const text = input.replace(INVISIBLE, ' ');
  const clauses: QueryClause[] = [];
  const warnings: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/u.test(text[i] as string)) {
      i++;
      continue;
    }
    let negated = false;
    if (text[i] === '-' && i + 1 < text.length && !/\s/u.test(text[i + 1] as string)) {
      negated = true;
      i++;
    }
    let field: string | undefined;
    const prefix = FIELD_PREFIX.exec(text.slice(i, i + 200));
    if (prefix !== null && knownFields.has(prefix[1] as string)) {
      field = prefix[1];
      i += (prefix[0]).length;
    }
    if (text[i] === '"') {
      const close = text.indexOf('"', i + 1);
      if (close === -1) {
        warnings.push('unbalanced quote: the words after it are searched as plain words');
        i++;
        continue;
      }
      pushClause(clauses, { kind: 'phrase', text: text.slice(i + 1, close), negated, ...(field === undefined ? {} : { field }) });
      i = close + 1;
      continue;
    }
    let end = i;
    while (end < text.length && !/\s/u.test(text[end] as string) && text[end] !== '"') end++;
    pushClause(clauses, { kind: 'word', text: text.slice(i, end), negated, ...(field === undefined ? {} : { field }) });
    i = Math.max(end, i + 1);
  }
  return { clauses, warnings };
}

function pushClause(clauses: QueryClause[], clause: QueryClause): void {
  if (clause.text.trim() !== '') clauses.push(clause);
}
