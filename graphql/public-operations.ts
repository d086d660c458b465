// Which GraphQL operations may run without a valid token: `api { version }` and the two logins.
import { Kind, getOperationAST, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

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
