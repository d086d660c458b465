// Parsed and validated GraphQL documents of token holders, kept by their text: the app sends the same few over and over.
import { parse, validate, type DocumentNode, type GraphQLError, type GraphQLSchema } from 'graphql';

/**
 * What the kept texts may add up to. A parsed and validated document takes a few hundred times
 * its text in memory, so this bounds the cache to tens of megabytes at worst; the app's 67
 * operations together are a sixth of it.
 */
export const MAX_CACHED_TEXT_BYTES = 128 * 1024;
/** Longer texts are parsed every time (nothing the app sends comes near). */
const MAX_CACHED_TEXT = 16 * 1024;

const documents = new Map<string, DocumentNode>();
let cachedBytes = 0;
// Keyed by the document object: one from the cache is validated once; any other is validated as usual.
const verdicts = new WeakMap<DocumentNode, readonly GraphQLError[]>();

/** How many texts are kept and what they add up to (tests check the bound). */
export function cacheSize(): { documents: number; bytes: number } {
  return { documents: documents.size, bytes: cachedBytes };
}

/**
 * graphql's parse (at most `maxTokens` tokens), answering a text seen before with the same
 * document object. Validation costs far more than the work of a small query, and its verdict
 * depends only on the document and the one schema, so it is kept with the document. Only for a
 * caller with a valid token: a stranger's documents are parsed once and dropped (graphql/http-handler.ts).
 */
export function cachedParse(text: string, maxTokens: number): DocumentNode {
  const known = documents.get(text);
  if (known !== undefined) {
    // Re-inserted: Map order is the order of last use.
    documents.delete(text);
    documents.set(text, known);
    return known;
  }
  const document = parse(text, { maxTokens });
  if (text.length <= MAX_CACHED_TEXT) {
    documents.set(text, document);
    cachedBytes += text.length;
    for (const [oldest] of documents) {
      if (cachedBytes <= MAX_CACHED_TEXT_BYTES) break;
      documents.delete(oldest);
      cachedBytes -= oldest.length;
    }
  }
  return document;
}

/** graphql's validate, remembering the verdict for a document object (the schema and rules never change). */
export function cachedValidate(schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] {
  const known = verdicts.get(document);
  if (known !== undefined) return known;
  const errors = validate(schema, document);
  verdicts.set(document, errors);
  return errors;
}
