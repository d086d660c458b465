import { entropyToMnemonic, validateMnemonic } from 'bip39';
import { describe, expect, it } from 'vitest';
import authorizeNewDevice from '../../../functions/auth/authorize-new-device.js';
import createNewDeviceToken from '../../../functions/auth/create-new-device-token.js';
import deleteNewDeviceToken from '../../../functions/auth/delete-new-device-token.js';
import { call, jsonRequest, makeCtx } from '../../helpers/function-call.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();

async function newMnemonic(now = new Date()): Promise<string> {
  const { body } = await call(createNewDeviceToken, jsonRequest('POST', '/auth/new_device'), makeCtx(temp, { now: () => now }));
  return body.token as string;
}

function authorize(body: unknown, now = new Date()) {
  return call(authorizeNewDevice, jsonRequest('POST', '/auth/new_device/authorize', { body }), makeCtx(temp, { caller: null, now: () => now }));
}

describe('POST /auth/new_device', () => {
  it('returns a 12-word BIP39 mnemonic and stores hex of 16 bytes with a 10-minute life', async () => {
    const now = new Date('2030-01-01T00:00:00.000Z');
    const mnemonic = await newMnemonic(now);
    expect(mnemonic.split(' ')).toHaveLength(12);
    expect(validateMnemonic(mnemonic)).toBe(true);
    const stored = temp.readTokens().new_device;
    expect(stored.token).toMatch(/^[0-9a-f]{32}$/);
    expect(entropyToMnemonic(stored.token)).toBe(mnemonic);
    expect(stored.date).toBe('2030-01-01T00:00:00.000000Z');
    expect(stored.expiration).toBe('2030-01-01T00:10:00.000000Z');
  });

  it('keeps only one pending mnemonic', async () => {
    const first = await newMnemonic();
    await newMnemonic();
    expect((await authorize({ token: first, device: 'phone' })).status).toBe(404);
  });
});

describe('DELETE /auth/new_device', () => {
  it('cancels the pending mnemonic', async () => {
    const mnemonic = await newMnemonic();
    const { status, body } = await call(deleteNewDeviceToken, jsonRequest('DELETE', '/auth/new_device'), makeCtx(temp));
    expect(status).toBe(200);
    expect(body).toEqual({ token: null });
    expect(temp.readTokens().new_device).toBeUndefined();
    expect((await authorize({ token: mnemonic, device: 'phone' })).status).toBe(404);
  });
});

describe('POST /auth/new_device/authorize', () => {
  it('trades the mnemonic once for a token under a cleaned device name', async () => {
    const mnemonic = await newMnemonic();
    const { status, body } = await authorize({ token: mnemonic, device: 'My Phone!' });
    expect(status).toBe(200);
    expect(body.message).toBe('Device authorized');
    const added = temp.readTokens().tokens.at(-1);
    expect(added).toMatchObject({ name: 'My_Phone_', token: body.token });
    expect(temp.readTokens().new_device).toBeUndefined();
    const again = await authorize({ token: mnemonic, device: 'x' });
    expect(again).toMatchObject({ status: 404, body: { message: 'Token not found' } });
  });

  it('adds a digit to a taken device name', async () => {
    const { body } = await authorize({ token: await newMnemonic(), device: 'Pixel 6' });
    const names = temp.readTokens().tokens.map((t: any) => t.name);
    expect(names.filter((n: string) => n.startsWith('Pixel_6'))).toHaveLength(2);
    expect(names.at(-1)).toMatch(/^Pixel_6\d+$/);
    expect(body.token).toBeTypeOf('string');
  });

  it('names an empty device "Unknown device"', async () => {
    await authorize({ token: await newMnemonic(), device: '' });
    expect(temp.readTokens().tokens.at(-1).name).toBe('Unknown device');
  });

  it('rejects an expired mnemonic with 404', async () => {
    const created = new Date('2030-01-01T00:00:00Z');
    const mnemonic = await newMnemonic(created);
    const later = new Date(created.getTime() + 10 * 60 * 1000 + 1);
    expect((await authorize({ token: mnemonic, device: 'phone' }, later)).status).toBe(404);
  });

  it('accepts the pending token stored by the Python API (hex, older dates) until it expires', async () => {
    const stored = temp.readTokens().new_device; // expires 2022-05-31 10:17:12
    const mnemonic = entropyToMnemonic(stored.token);
    expect((await authorize({ token: mnemonic, device: 'old' }, new Date('2022-05-31T10:20:00Z'))).status).toBe(404);
    expect((await authorize({ token: mnemonic, device: 'old' }, new Date('2022-05-31T10:10:00Z'))).status).toBe(200);
  });

  it('answers wrong words and a wrong checksum with 404, not 500, and leaves tokens.json unchanged', async () => {
    const mnemonic = await newMnemonic();
    const before = temp.tokensBytes();
    const words = mnemonic.split(' ');
    const wrongChecksum = [...words.slice(0, 11), words[11] === 'abandon' ? 'ability' : 'abandon'].join(' ');
    for (const token of ['not a mnemonic at all', 'zzzz '.repeat(12).trim(), wrongChecksum, 'abandon '.repeat(24).trim()]) {
      const result = await authorize({ token, device: 'phone' });
      expect(result.status).toBe(404);
    }
    expect(temp.tokensBytes()).toBe(before);
  });

  it('answers 400 naming the missing or mistyped field', async () => {
    const before = temp.tokensBytes();
    expect((await authorize({ device: 'x' })).body.field).toBe('token');
    expect((await authorize({ token: 'a b', device: 7 })).body.field).toBe('device');
    expect((await authorize({ token: 12, device: 'x' })).status).toBe(400);
    expect(temp.tokensBytes()).toBe(before);
  });
});
