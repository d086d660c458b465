// Runs queries the app sends again and again through graphql-jit's compiled form of their document.
import { execute, getOperationAST, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/**
 * graphql-js walks the selection for every value it completes; for the app's `AllUsers` (about 400
 * fields for 50 users) that walk was most of a request's CPU time. graphql-jit turns a document into
 * one function, once. Compiling costs more than executing once, so a document is compiled the second
 * time it runs: the app's fixed documents are compiled, a one-off query is not. Only queries:
 * mutations run once per tap and keep graphql-js's serial execution.
 */
type Plan = CompiledQuery | 'ran once' | 'graphql-js';

// Keyed by the document object: the parse cache (document-cache.ts) answers a known text with the same one.
const plans = new WeakMap<DocumentNode, Map<string | null, Plan>>();

function planFor(args: ExecutionArgs): Plan {
  const operationName = args.operationName ?? null;
  let byOperation = plans.get(args.document);
  if (byOperation === undefined) {
    byOperation = new Map();
    plans.set(args.document, byOperation);
  }
  const known = byOperation.get(operationName);
  let plan: Plan;
  if (known === undefined) {
    plan = getOperationAST(args.document, operationName)?.operation === 'query' ? 'ran once' : 'graphql-js';
  } else if (known === 'ran once') {
    const compiled = compileQuery(args.schema, args.document, operationName ?? undefined);
    plan = isCompiledQuery(compiled) ? compiled : 'graphql-js';
  } else {
    return known;
  }
  byOperation.set(operationName, plan);
  return plan;
}

/** graphql's `execute`, through the compiled document for a query seen before. */
export function executeOperation(args: ExecutionArgs): ExecutionResult | Promise<ExecutionResult> {
  const plan = planFor(args);
  if (typeof plan === 'string') return execute(args);
  return plan.query(args.rootValue, args.contextValue, args.variableValues);
}
