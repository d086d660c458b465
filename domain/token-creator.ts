// Which device created a recovery token or a new-device mnemonic: they live only as long as its token.
import type { NewDeviceRecord, RecoveryTokenRecord, TokensFile } from '../store/tokens.js';

type CreatedSecret = Pick<RecoveryTokenRecord | NewDeviceRecord, 'created_by'>;

/**
 * Whether the device that created `record` still holds a token. A stolen device can make a
 * recovery phrase or invite a new device; revoking the device must end those too. Recorded by
 * device name: names are unique in tokens.json and a device keeps its name when it refreshes its
 * token. A record without a creator (made by the Python API) is judged as before.
 */
export function creatorHoldsToken(tokens: TokensFile, record: CreatedSecret): boolean {
  if (typeof record.created_by !== 'string') return true;
  return (tokens.tokens ?? []).some((token) => token.name === record.created_by);
}

/** Removes the recovery token and new-device mnemonic that `deviceName` created (its token is being deleted). */
export function dropSecretsCreatedBy(tokens: TokensFile, deviceName: string): void {
  if (tokens.recovery_token?.created_by === deviceName) delete tokens.recovery_token;
  if (tokens.new_device?.created_by === deviceName) delete tokens.new_device;
}
