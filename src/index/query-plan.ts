import type { Analyzer } from '../text/analyzer.js';
import { QUERY_LIMITS, type TypoConfig } from './config.js';
import type { QueryClause } from './query-parser.js';
import { analyzeSequence, type SynonymTable } from './synonyms.js';
import { allowedTypos, type TypoMatch } from './typo-matcher.js';

/**
 * One way a query unit can match: a single term, or several (a phrase when `offsets` is set, else
 * all of them anywhere in the doc), in the fields of `fieldMask`, scored `factor` times BM25F.
 */
export interface Alternative {
  /** 'feedback': a term pseudo-relevance feedback added (see feedback.ts). */
  kind: 'exact' | 'typo' | 'synonym' | 'feedback';
  terms: string[];
  offsets?: number[];
  fieldMask: number;
  factor: number;
  /** Edit distance from the query term (typo alternatives). */
  distance?: number;
}

/** A query word (or phrase, or words a synonym rule joined): matches if any alternative does, scores the best. */
export interface QueryUnit {
  label: string;
  alternatives: Alternative[];
}

/** `field:value` on a keyword field: an exact-value filter. */
export interface KeywordClause {
  field: string;
  value: string;
  negated: boolean;
}

export interface QueryPlan {
  units: QueryUnit[];
  exclusions: Alternative[];
  keywordClauses: KeywordClause[];
  warnings: string[];
}

/** Text fields that share one analyzer: the query is analysed once per group. */
export interface AnalyzerGroup {
  analyzer: Analyzer;
  fieldMask: number;
}

export interface PlanContext {
  groups: readonly AnalyzerGroup[];
  /** Text field name → its bit in field masks. */
  textFieldBits: ReadonlyMap<string, number>;
  keywordFields: ReadonlySet<string>;
  /** The fields searched when a clause names none. */
  searchMask: number;
  typos: TypoConfig;
  /** Live dictionary terms within `maxDistance` of `term`, best first. */
  typoCandidates: (term: string, maxDistance: number) => TypoMatch[];
  /** Rules for the first group's analyzer (undefined: no synonyms). */
  synonyms: SynonymTable | undefined;
  synonymFactor: number;
}

/** A unit with the key synonym rules match on (its first group's first term, plain words only). */
interface KeyedUnit extends QueryUnit {
  key: string | undefined;
}

/**
 * Turns parsed clauses into scored units: analysis per analyzer group (terms at one position are
 * alternatives of one unit), synonym rules over the sequence of plain words, then typo alternatives.
 */
export function planQuery(clauses: readonly QueryClause[], context: PlanContext): QueryPlan {
  const warnings: string[] = [];
  const units: KeyedUnit[] = [];
  const exclusions: Alternative[] = [];
  const keywordClauses: KeywordClause[] = [];
  for (const clause of clauses) {
    if (clause.field !== undefined && context.keywordFields.has(clause.field)) {
      keywordClauses.push({ field: clause.field, value: clause.text, negated: clause.negated });
      continue;
    }
    const groups = groupsFor(clause, context);
    const clauseUnits = clause.kind === 'phrase' ? phraseUnits(clause, groups) : wordUnits(clause, groups);
    if (clause.negated) for (const unit of clauseUnits) exclusions.push(...unit.alternatives);
    else units.push(...clauseUnits);
  }
  let expanded = context.synonyms === undefined ? units : applySynonyms(units, context);
  if (expanded.length > QUERY_LIMITS.maxUnits) {
    warnings.push(`query has ${expanded.length} terms; only the first ${QUERY_LIMITS.maxUnits} are searched`);
    expanded = expanded.slice(0, QUERY_LIMITS.maxUnits);
  }
  const plain = expanded.map(({ label, alternatives }) => ({ label, alternatives: withTypos(alternatives, context) }));
  return { units: plain, exclusions, keywordClauses, warnings };
}

function groupsFor(clause: QueryClause, context: PlanContext): AnalyzerGroup[] {
  const mask = clause.field === undefined ? context.searchMask : 1 << (context.textFieldBits.get(clause.field) as number);
  return context.groups.map((g) => ({ analyzer: g.analyzer, fieldMask: g.fieldMask & mask })).filter((g) => g.fieldMask !== 0);
}

/** A word clause: one unit per token position, merged across analyzer groups by position rank. */
function wordUnits(clause: QueryClause, groups: readonly AnalyzerGroup[]): KeyedUnit[] {
  const units: KeyedUnit[] = [];
  groups.forEach((group, g) => {
    const byPosition = new Map<number, string[]>();
    for (const token of group.analyzer.analyze(clause.text, 'query')) {
      const terms = byPosition.get(token.position) ?? [];
      if (!terms.includes(token.term)) terms.push(token.term);
      byPosition.set(token.position, terms);
    }
    [...byPosition.entries()]
      .sort((a, b) => a[0] - b[0])
      .forEach(([, terms], rank) => {
        const unit = (units[rank] ??= { label: terms[0] as string, alternatives: [], key: undefined });
        if (g === 0 && clause.field === undefined) unit.key = terms[0];
        for (const term of terms) addAlternative(unit.alternatives, { kind: 'exact', terms: [term], fieldMask: group.fieldMask, factor: 1 });
      });
  });
  return units;
}

/** A phrase clause: one unit, a phrase alternative per analyzer group (a single term if only one position). */
function phraseUnits(clause: QueryClause, groups: readonly AnalyzerGroup[]): KeyedUnit[] {
  const alternatives: Alternative[] = [];
  for (const group of groups) {
    const { terms, offsets } = analyzeSequence(group.analyzer, clause.text);
    if (terms.length === 0) continue;
    const alternative: Alternative = { kind: 'exact', terms, fieldMask: group.fieldMask, factor: 1 };
    if (terms.length > 1) alternative.offsets = offsets;
    addAlternative(alternatives, alternative);
  }
  return alternatives.length === 0 ? [] : [{ label: `"${clause.text.trim()}"`, alternatives, key: undefined }];
}

/** Adds an alternative, or widens the field mask of an identical one. */
function addAlternative(list: Alternative[], alternative: Alternative): void {
  const same = list.find(
    (a) => a.kind === alternative.kind && a.terms.join('\u0000') === alternative.terms.join('\u0000') && String(a.offsets) === String(alternative.offsets),
  );
  if (same === undefined) list.push(alternative);
  else same.fieldMask |= alternative.fieldMask;
}

/** Joins the words a rule's left side covers into one unit whose alternatives include the right sides. */
function applySynonyms(units: readonly KeyedUnit[], context: PlanContext): KeyedUnit[] {
  const table = context.synonyms as SynonymTable;
  const mask = (context.groups[0]?.fieldMask ?? 0) & context.searchMask;
  const keys = units.map((u) => u.key);
  const out: KeyedUnit[] = [];
  for (let i = 0; i < units.length; ) {
    const match = table.match(keys, i);
    if (match === undefined || mask === 0) {
      out.push(units[i] as KeyedUnit);
      i++;
      continue;
    }
    const covered = units.slice(i, i + match.length);
    const alternatives: Alternative[] =
      match.length === 1
        ? [...(covered[0] as KeyedUnit).alternatives]
        : [{ kind: 'exact', terms: covered.map((u) => u.key as string), fieldMask: mask, factor: 1 }];
    for (const side of match.to) {
      const alternative: Alternative = { kind: 'synonym', terms: side.terms, fieldMask: mask, factor: context.synonymFactor };
      if (side.terms.length > 1) alternative.offsets = side.offsets;
      addAlternative(alternatives, alternative);
    }
    out.push({ label: covered.map((u) => u.label).join(' '), alternatives, key: undefined });
    i += match.length;
  }
  return out;
}

/** Adds, for each exact single-term alternative long enough, the dictionary terms within its typo budget. */
function withTypos(alternatives: readonly Alternative[], context: PlanContext): Alternative[] {
  const out = [...alternatives];
  for (const alternative of alternatives) {
    if (alternative.kind !== 'exact' || alternative.terms.length !== 1) continue;
    const term = alternative.terms[0] as string;
    const budget = allowedTypos(term, context.typos);
    if (budget === 0) continue;
    for (const match of context.typoCandidates(term, budget)) {
      if (out.some((a) => a.terms.length === 1 && a.terms[0] === match.term)) continue;
      out.push({ kind: 'typo', terms: [match.term], fieldMask: alternative.fieldMask, factor: context.typos.factor ** match.distance, distance: match.distance });
    }
  }
  return out;
}
