// Which GraphQL operations may run without a valid token: `api { version }` and the two logins.
import { Kind, getOperationAST, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { fragmentsOf, selectedFields } from './selected-fields.js';

/** Root fields a caller without a token may select, and what it may select below them (null: anything). */
interface PublicFields {
  [field: string]: PublicFields | null;
}

const LOGIN_MUTATIONS: PublicFields = { useRecoveryApiKey: null, authorizeWithNewDeviceApiKey: null };

const PUBLIC: Record<'query' | 'mutation', PublicFields> = {
  query: { api: { version: null } },
  // The app sends the namespaced form (api { … }); the deprecated flat form is upstream's too.
  mutation: { api: LOGIN_MUTATIONS, ...LOGIN_MUTATIONS },
};

/**
 * True when every field the operation selects (through fragments too) is in `allowed`. Anything
 * unknown or unusual (a fragment that is not defined, a cycle) answers false: the caller then
 * needs a token, so a mistake here can only refuse, never let through.
 */
function onlySelects(
  selections: SelectionSetNode,
  allowed: PublicFields,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  visiting: Set<string>,
): boolean {
  for (const selection of selections.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (name === '__typename') continue;
      if (!Object.hasOwn(allowed, name)) return false;
      const below = allowed[name];
      if (below === null || below === undefined) continue;
      if (selection.selectionSet !== undefined && !onlySelects(selection.selectionSet, below, fragments, visiting)) return false;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (!onlySelects(selection.selectionSet, allowed, fragments, visiting)) return false;
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (fragment === undefined || visiting.has(name)) return false;
      visiting.add(name);
      const ok = onlySelects(fragment.selectionSet, allowed, fragments, visiting);
      visiting.delete(name);
      if (!ok) return false;
    }
  }
  return true;
}

/** Whether the operation the request would run needs no token. */
export function isPublicOperation(document: DocumentNode, operationName: string | null | undefined): boolean {
  const operation = getOperationAST(document, operationName);
  if (operation == null || operation.operation === 'subscription') return false;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return onlySelects(operation.selectionSet, PUBLIC[operation.operation], fragments, new Set());
}

const LOGIN_FIELD_NAMES = new Set(Object.keys(LOGIN_MUTATIONS));

/**
 * How many login guesses the operation would make: each login field (aliased copies each count),
 * flat or below `api`. Fields under one response key run once, so they are one guess.
 */
export function loginGuessCount(document: DocumentNode, operationName: string | null | undefined): number {
  const operation = getOperationAST(document, operationName);
  if (operation?.operation !== 'mutation') return 0;
  const fragments = fragmentsOf(document);
  const guesses = new Set<string>();
  const key = (field: FieldNode): string => field.alias?.value ?? field.name.value;
  for (const root of selectedFields(operation.selectionSet, fragments)) {
    if (LOGIN_FIELD_NAMES.has(root.name.value)) guesses.add(key(root));
    if (root.name.value !== 'api' || root.selectionSet === undefined) continue;
    for (const inner of selectedFields(root.selectionSet, fragments)) {
      if (LOGIN_FIELD_NAMES.has(inner.name.value)) guesses.add(`${key(root)}.${key(inner)}`);
    }
  }
  return guesses.size;
}
