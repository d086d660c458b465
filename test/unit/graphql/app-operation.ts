// One of the app's operations from our documents (test/graphql/operations), with just the fragments it uses.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse, print, visit, type DefinitionNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import graphqlEndpoint from '../../../functions/graphql/graphql.js';
import type { Ctx } from '../../../runtime/context.js';
import { PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { gql, type GqlAnswer } from './graphql-call.js';

const FOLDER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'graphql', 'operations');

let definitions: DefinitionNode[] | undefined;

function allDefinitions(): DefinitionNode[] {
  definitions ??= fs
    .readdirSync(FOLDER)
    .filter((file) => file.endsWith('.graphql'))
    .flatMap((file) => parse(fs.readFileSync(path.join(FOLDER, file), 'utf8')).definitions);
  return definitions;
}

function spreadsOf(node: OperationDefinitionNode | FragmentDefinitionNode): string[] {
  const names: string[] = [];
  visit(node, { FragmentSpread: (spread) => void names.push(spread.name.value) });
  return names;
}

/** The text of operation `name` and every fragment it reaches, ready to send with operationName. */
export function appOperation(name: string): string {
  const all = allDefinitions();
  const operation = all.find((node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION && node.name?.value === name);
  if (operation === undefined) throw new Error(`no operation ${name} in ${FOLDER}`);
  const fragments = new Map<string, FragmentDefinitionNode>();
  const pending = spreadsOf(operation);
  while (pending.length > 0) {
    const fragmentName = pending.pop() as string;
    if (fragments.has(fragmentName)) continue;
    const fragment = all.find((node): node is FragmentDefinitionNode => node.kind === Kind.FRAGMENT_DEFINITION && node.name.value === fragmentName);
    if (fragment === undefined) throw new Error(`no fragment ${fragmentName} for ${name}`);
    fragments.set(fragmentName, fragment);
    pending.push(...spreadsOf(fragment));
  }
  return [operation, ...fragments.values()].map((node) => print(node)).join('\n\n');
}

/** Sends the app's operation `name` with a valid token, as the app would. */
export function sendAppOperation(ctx: Ctx, name: string, variables?: Record<string, unknown>): Promise<GqlAnswer> {
  return gql(graphqlEndpoint, ctx, appOperation(name), { operationName: name, variables, token: PRIMARY_TOKEN });
}
