// Which HTTP methods change things: they carry a body, are audited, and honour Idempotency-Key.

export const MUTATING_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
