import type { Command } from 'commander';
import type { CliContext } from '../program.js';
import { addEvalAb } from './eval-ab.js';
import { addEvalAnn } from './eval-ann.js';
import { addEvalCtr } from './eval-ctr.js';
import { addEvalRecommend } from './eval-recommend.js';
import { addEvalRerank } from './eval-rerank.js';
import { addEvalRerankAb } from './eval-rerank-ab.js';
import { addEvalSearch } from './eval-search.js';
import { addEvalSuggest } from './eval-suggest.js';

/**
 * `quarry eval <what>`: offline evaluation on standard file formats. Each evaluation lives in its own
 * `eval-<what>.ts` and registers its subcommand here.
 */
export function addEval(program: Command, context: CliContext): void {
  const evalCommand = program
    .command('eval')
    .description('offline evaluation on standard formats (search, ann, recommend, ctr, suggest) and A/B dry runs (ab)');
  // Each line registers one `quarry eval <what>` subcommand.
  addEvalSearch(evalCommand, context);
  addEvalRecommend(evalCommand, context);
  addEvalSuggest(evalCommand, context);
  addEvalCtr(evalCommand, context);
  addEvalAnn(evalCommand, context);
  addEvalAb(evalCommand, context);
  addEvalRerank(evalCommand, context);
  addEvalRerankAb(evalCommand, context);
}
