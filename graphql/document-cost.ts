// What a GraphQL document would cost to validate and run, measured before either: fields and depth.
import { Kind, type DocumentNode, type SelectionSetNode } from 'graphql';
import { MAX_BODY_BYTES } from '../kit/body.js';
import { fragmentsOf } from './selected-fields.js';

/** The most a document may ask for; beyond it the request is answered with an error, unvalidated. */
export interface CostLimits {
  /** Bytes of the request body (of the query parameter for GET). */
  maxBytes: number;
  /** Tokens graphql's parser reads before it gives up (it allocates per token). */
  maxTokens: number;
  /** Fields selected, counted with every fragment spread expanded where it is used (aliases included). */
  maxFields: number;
  /** Nesting of selections, fragments expanded. */
  maxDepth: number;
}

/**
 * What a caller without a valid token may send: enough for `api { version }` and one login
 * (the app's are under 300 bytes and 40 tokens), nothing that costs to parse or validate.
 */
export const STRANGER_LIMITS: CostLimits = { maxBytes: 4 * 1024, maxTokens: 400, maxFields: 40, maxDepth: 6 };

/**
 * What a token holder may send. The app's largest operation selects 60 fields, 6 deep, in 130
 * tokens; validation time grows faster than the fields, and these keep it to milliseconds.
 */
export const TOKEN_HOLDER_LIMITS: CostLimits = { maxBytes: MAX_BODY_BYTES, maxTokens: 6000, maxFields: 600, maxDepth: 15 };

/**
 * Mutation fields one request may run: each is a line of the audit, which lists at most this many
 * (runtime/audit-log.ts). More is refused before anything runs, so every change is on record.
 */
export const MAX_MUTATION_FIELDS = 50;

export interface DocumentCost {
  fields: number;
  depth: number;
}

/**
 * Fields and depth of every operation in `document` together, fragments expanded where they are
 * spread. The walk stops as soon as a limit is passed, so a fragment that spreads another many
 * times over (whose expansion grows exponentially) costs no more to measure than the limit allows.
 * A spread of an unknown fragment or a cycle counts as nothing here: validation refuses those.
 */
export function measureDocument(document: DocumentNode, limits: Pick<CostLimits, 'maxFields' | 'maxDepth'>): DocumentCost & { over: boolean } {
  const fragments = fragmentsOf(document);
  const cost = { fields: 0, depth: 0, over: false };
  const visiting = new Set<string>();
  const walk = (selections: SelectionSetNode, depth: number): void => {
    if (depth > cost.depth) cost.depth = depth;
    if (cost.depth > limits.maxDepth) cost.over = true;
    for (const selection of selections.selections) {
      if (cost.over) return;
      if (selection.kind === Kind.FIELD) {
        cost.fields += 1;
        if (cost.fields > limits.maxFields) {
          cost.over = true;
          return;
        }
        if (selection.selectionSet !== undefined) walk(selection.selectionSet, depth + 1);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, depth);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (fragment === undefined || visiting.has(name)) continue;
        visiting.add(name);
        walk(fragment.selectionSet, depth);
        visiting.delete(name);
      }
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) walk(definition.selectionSet, 1);
    if (cost.over) break;
  }
  return cost;
}
