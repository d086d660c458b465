// One of the app's operations from our documents (test/graphql/operations), found by its name alone.
import { graphqlEndpoint } from './graphql-call.js';
import type { Ctx } from '../../../kit/context.js';
import { documentFiles, loadDocument, operationsOf, operationText } from '../../graphql/operation-documents.js';
import { PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { gql, type GqlAnswer } from './graphql-call.js';

let fileByOperation: Map<string, string> | undefined;

/** The text of operation `name` and every fragment it reaches, ready to send with operationName. */
export function appOperation(name: string): string {
  fileByOperation ??= new Map(
    documentFiles().flatMap((file) => operationsOf(loadDocument(file)).map((operation) => [operation.name?.value ?? '', file] as const)),
  );
  const file = fileByOperation.get(name);
  if (file === undefined) throw new Error(`no operation ${name} in our documents`);
  return operationText(file, name);
}

/** Sends the app's operation `name` with a valid token, as the app would. */
export function sendAppOperation(ctx: Ctx, name: string, variables?: Record<string, unknown>): Promise<GqlAnswer> {
  return gql(graphqlEndpoint, ctx, appOperation(name), { operationName: name, variables, token: PRIMARY_TOKEN });
}
