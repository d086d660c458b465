// Parses a GraphQL text within a caller's cost limits, before anything validates or runs it.
import { GraphQLError, parse, type DocumentNode } from 'graphql';
import { cachedParse } from './document-cache.js';
import { measureDocument, type CostLimits } from './document-cost.js';

// The verdict for a kept document (the same object for the same text), so it is measured once.
const withinLimits = new WeakMap<DocumentNode, boolean>();

function isOverLimits(document: DocumentNode, limits: CostLimits, kept: boolean): boolean {
  const known = kept ? withinLimits.get(document) : undefined;
  if (known !== undefined) return !known;
  const over = measureDocument(document, limits).over;
  if (kept) withinLimits.set(document, !over);
  return over;
}

/**
 * The document, or the GraphQL errors to answer (too long, a syntax error, over a limit). `keep`
 * parses through the document cache (a token holder's); otherwise the document is dropped after
 * the request. `keep` must always come with the same limits: the verdict is kept with the document.
 */
export function parseWithinLimits(query: string, limits: CostLimits, keep: boolean): DocumentNode | GraphQLError[] {
  if (Buffer.byteLength(query) > limits.maxBytes) return [new GraphQLError(`Document larger than ${limits.maxBytes} bytes`)];
  let document: DocumentNode;
  try {
    document = keep ? cachedParse(query, limits.maxTokens) : parse(query, { maxTokens: limits.maxTokens });
  } catch (error) {
    return [error instanceof GraphQLError ? error : new GraphQLError('Syntax error')];
  }
  if (isOverLimits(document, limits, keep)) {
    return [new GraphQLError(`Document over its limits: at most ${limits.maxFields} fields (aliases and fragments counted), ${limits.maxDepth} levels deep`)];
  }
  return document;
}
