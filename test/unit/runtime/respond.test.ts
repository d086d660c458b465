// JSON answers: body, status, the standard headers and an exact byte length.
import { describe, expect, it } from 'vitest';
import { json } from '../../../kit/respond.js';

describe('json', () => {
  it('serialises the body with the given status and extra headers', async () => {
    const response = json({ error: 'Invalid token' }, 401, { 'www-authenticate': 'Bearer realm="selfprivacy"' });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'Invalid token' });
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="selfprivacy"');
    expect(response.headers.get('content-type')).toBe('application/json');
  });

  it('carries nosniff and no-store on every answer', () => {
    const response = json('Timezone changed');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('gives the length in bytes, not characters, for non-ASCII text', async () => {
    const response = json({ name: 'Ünïcødé ключ 🔑' });
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(Number(response.headers.get('content-length'))).toBe(bytes.byteLength);
    expect(bytes.byteLength).toBeGreaterThan(JSON.stringify({ name: 'Ünïcødé ключ 🔑' }).length);
  });
});
