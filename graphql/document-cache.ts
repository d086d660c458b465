// Parsed and validated GraphQL documents, kept by their text: the app sends the same few over and over.
import { parse, validate, type DocumentNode, type Source, type GraphQLError, type GraphQLSchema, type ValidationRule } from 'graphql';

/** Distinct documents kept; the least recently used goes first. The app has 67 operations. */
const MAX_DOCUMENTS = 200;
/** Longer texts are parsed every time (nothing a client sends normally comes near). */
const MAX_CACHED_TEXT = 16 * 1024;

const documents = new Map<string, DocumentNode>();
// Keyed by the document object: one from the cache is validated once; any other is validated as usual.
const verdicts = new WeakMap<DocumentNode, readonly GraphQLError[]>();

/**
 * graphql's parse, answering a text seen before with the same document object. Validation costs
 * far more than the work of a small query (most of a request's CPU time otherwise), and its
 * verdict depends only on the document and the one schema, so it is kept with the document.
 */
export function cachedParse(text: string | Source): DocumentNode {
  if (typeof text !== 'string') return parse(text);
  const known = documents.get(text);
  if (known !== undefined) {
    // Re-inserted: Map order is the order of last use.
    documents.delete(text);
    documents.set(text, known);
    return known;
  }
  const document = parse(text);
  if (text.length <= MAX_CACHED_TEXT) {
    documents.set(text, document);
    if (documents.size > MAX_DOCUMENTS) documents.delete(documents.keys().next().value as string);
  }
  return document;
}

/** graphql's validate, remembering the verdict for a document object (the schema and rules never change). */
export function cachedValidate(schema: GraphQLSchema, document: DocumentNode, rules?: readonly ValidationRule[]): readonly GraphQLError[] {
  const known = verdicts.get(document);
  if (known !== undefined) return known;
  const errors = validate(schema, document, rules);
  verdicts.set(document, errors);
  return errors;
}
