// The fields a selection set selects at its own level, with fragments and inline fragments opened.
import { Kind, getNamedType, isObjectType, type GraphQLSchema, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

/** The document's fragments by name. */
export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/**
 * Every field node of `selections` at this level, through fragment spreads and inline fragments
 * (type conditions are not looked at: the roots and namespaces this is used on are object types).
 * An unknown fragment or a cycle adds nothing; validation refuses those documents anyway.
 */
export function selectedFields(
  selections: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  visiting: Set<string> = new Set(),
): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selections.selections) {
    if (selection.kind === Kind.FIELD) {
      fields.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      fields.push(...selectedFields(selection.selectionSet, fragments, visiting));
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (fragment === undefined || visiting.has(name)) continue;
      visiting.add(name);
      fields.push(...selectedFields(fragment.selectionSet, fragments, visiting));
      visiting.delete(name);
    }
  }
  return fields;
}

/** A mutation field as the audit names it: `field`, or `namespace.field` below a namespace (`api { … }`). */
export interface ChangingField {
  /** The real field names, never the client's aliases. */
  name: string;
  /** Where its value is in the result: the response keys (aliases, when given). */
  responsePath: string[];
}

/**
 * The fields of a mutation that change something: root fields, and below a namespace (a root field
 * whose type has no `code`, such as `api: ApiMutations`) the namespace's fields instead.
 */
export function mutationFields(schema: GraphQLSchema, operationSelections: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): ChangingField[] {
  const found: ChangingField[] = [];
  const rootFields = schema.getMutationType()?.getFields() ?? {};
  const key = (node: FieldNode): string => node.alias?.value ?? node.name.value;
  for (const root of selectedFields(operationSelections, fragments)) {
    if (root.name.value === '__typename') continue;
    const type = getNamedType(rootFields[root.name.value]?.type);
    if (root.selectionSet === undefined || !isObjectType(type) || 'code' in type.getFields()) {
      found.push({ name: root.name.value, responsePath: [key(root)] });
      continue;
    }
    for (const inner of selectedFields(root.selectionSet, fragments)) {
      if (inner.name.value !== '__typename') found.push({ name: `${root.name.value}.${inner.name.value}`, responsePath: [key(root), key(inner)] });
    }
  }
  return found;
}
