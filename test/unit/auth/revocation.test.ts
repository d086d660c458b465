// A recovery token or new-device mnemonic dies with the token that created it.
import { beforeEach, describe, expect, it } from 'vitest';
import { PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { useInProcessApp } from '../../helpers/setup.js';

const { temp, app } = useInProcessApp();
let pixelToken: string;
beforeEach(() => {
  pixelToken = temp.readTokens().tokens.find((record: { name: string }) => record.name === 'Pixel_6').token;
});

/** The owner revokes the (stolen) Pixel_6 device. */
async function deletePixel(): Promise<void> {
  expect((await app.request('/auth/tokens', { method: 'DELETE', token: PRIMARY_TOKEN, json: { token_name: 'Pixel_6' } })).status).toBe(200);
}

async function recoveryPhraseFrom(token: string): Promise<string> {
  const created = await app.request('/auth/recovery_token', { method: 'POST', token, json: {} });
  expect(created.status).toBe(200);
  return created.body.token as string;
}

async function newDeviceMnemonicFrom(token: string): Promise<string> {
  const created = await app.request('/auth/new_device', { method: 'POST', token });
  expect(created.status).toBe(200);
  return created.body.token as string;
}

function useRecovery(mnemonic: string) {
  return app.request('/auth/recovery_token/use', { method: 'POST', json: { token: mnemonic, device: 'attacker' } });
}

function authorize(mnemonic: string) {
  return app.request('/auth/new_device/authorize', { method: 'POST', json: { token: mnemonic, device: 'attacker' } });
}

describe('revoking a device', () => {
  it('ends the recovery token it created', async () => {
    const phrase = await recoveryPhraseFrom(pixelToken);
    await deletePixel();
    expect(await useRecovery(phrase)).toMatchObject({ status: 404, body: { error: 'Token not found' } });
    expect(temp.readTokens().recovery_token ?? null).toBeNull();
  });

  it('ends the new-device mnemonic it created', async () => {
    const mnemonic = await newDeviceMnemonicFrom(pixelToken);
    await deletePixel();
    expect(await authorize(mnemonic)).toMatchObject({ status: 404, body: { message: 'Token not found' } });
    expect(temp.readTokens().new_device ?? null).toBeNull();
  });

  it('ends them also when its token left tokens.json another way (an edit, a restore)', async () => {
    const phrase = await recoveryPhraseFrom(pixelToken);
    const tokens = temp.readTokens();
    const mnemonic = await newDeviceMnemonicFrom(pixelToken);
    temp.writeTokens({ ...temp.readTokens(), tokens: tokens.tokens.filter((record: { name: string }) => record.name !== 'Pixel_6') });
    expect((await useRecovery(phrase)).status).toBe(404);
    expect((await authorize(mnemonic)).status).toBe(404);
    expect((await app.request('/auth/recovery_token', { token: PRIMARY_TOKEN })).body).toMatchObject({ exists: true, valid: false, created_by: 'Pixel_6' });
  });

  it('leaves what another device created', async () => {
    const phrase = await recoveryPhraseFrom(PRIMARY_TOKEN);
    await deletePixel();
    expect((await useRecovery(phrase)).status).toBe(200);
  });

  it('keeps them when their device only refreshes its token', async () => {
    const phrase = await recoveryPhraseFrom(pixelToken);
    expect((await app.request('/auth/tokens', { method: 'POST', token: pixelToken })).status).toBe(200);
    expect((await useRecovery(phrase)).status).toBe(200);
  });
});

describe('GET /auth/recovery_token', () => {
  it('says which device created the recovery token', async () => {
    await recoveryPhraseFrom(pixelToken);
    expect((await app.request('/auth/recovery_token', { token: PRIMARY_TOKEN })).body).toMatchObject({ exists: true, valid: true, created_by: 'Pixel_6' });
  });
});
