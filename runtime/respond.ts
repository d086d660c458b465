// Builds JSON responses; every answer of the API is JSON.

const JSON_HEADERS = { 'content-type': 'application/json' } as const;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}
