// Loads our operation documents (test/graphql/operations): each file with the shared fragments it uses.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse, print, visit, type DefinitionNode, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';

export const OPERATIONS_FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'operations');
const SHARED_FRAGMENTS = 'fragments.graphql';

function fragmentNamesUsedBy(node: DefinitionNode): Set<string> {
  const names = new Set<string>();
  visit(node, { FragmentSpread: (spread) => void names.add(spread.name.value) });
  return names;
}

/** The shared fragments by name. */
function sharedFragments(): Map<string, FragmentDefinitionNode> {
  const text = fs.readFileSync(path.join(OPERATIONS_FOLDER, SHARED_FRAGMENTS), 'utf8');
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of parse(text).definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/** `definitions` plus every shared fragment they use (transitively) and do not define themselves. */
function withFragments(definitions: readonly DefinitionNode[]): DocumentNode {
  const shared = sharedFragments();
  const defined = new Set(definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => (d as FragmentDefinitionNode).name.value));
  const added: FragmentDefinitionNode[] = [];
  const pending = definitions.flatMap((definition) => [...fragmentNamesUsedBy(definition)]);
  while (pending.length > 0) {
    const name = pending.pop() as string;
    const fragment = shared.get(name);
    if (defined.has(name) || fragment === undefined) continue;
    defined.add(name);
    added.push(fragment);
    pending.push(...fragmentNamesUsedBy(fragment));
  }
  return { kind: Kind.DOCUMENT, definitions: [...definitions, ...added] };
}

/** Every document file but the shared fragments, by file name. */
export function documentFiles(): string[] {
  return fs.readdirSync(OPERATIONS_FOLDER).filter((name) => name.endsWith('.graphql') && name !== SHARED_FRAGMENTS).sort();
}

/** A document file with the shared fragments it uses, ready to validate. */
export function loadDocument(file: string): DocumentNode {
  return withFragments(parse(fs.readFileSync(path.join(OPERATIONS_FOLDER, file), 'utf8')).definitions);
}

export function operationsOf(document: DocumentNode): OperationDefinitionNode[] {
  return document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
}

/** One named operation of a file with just the fragments it needs, as the text the app would send. */
export function operationText(file: string, name: string): string {
  const definitions = parse(fs.readFileSync(path.join(OPERATIONS_FOLDER, file), 'utf8')).definitions;
  const operation = definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.name?.value === name);
  if (operation === undefined) throw new Error(`${file} has no operation ${name}`);
  const ownFragments = definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION);
  const document = withFragments([operation, ...ownFragments]);
  // Fragments of the file this operation does not use would fail validation (unused fragment).
  const used = new Set<string>();
  const collect = (node: DefinitionNode): void => {
    for (const spread of fragmentNamesUsedBy(node)) {
      if (used.has(spread)) continue;
      used.add(spread);
      const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === spread);
      if (fragment !== undefined) collect(fragment);
    }
  };
  collect(operation);
  return print({ ...document, definitions: document.definitions.filter((d) => d.kind !== Kind.FRAGMENT_DEFINITION || used.has(d.name.value)) });
}
