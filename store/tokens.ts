// Shape of tokens.json (the documented tokens schema of 1.2.0); dates are kept as written.

export interface TokenRecord {
  token: string;
  name: string;
  date: string;
  [unknown: string]: unknown;
}

export interface RecoveryTokenRecord {
  /** Hex of the 24 random bytes behind the mnemonic. */
  token: string;
  date: string;
  expiration?: string | null;
  uses_left?: number | null;
  /** Name of the device whose token created it (domain/token-creator.ts); absent in older files. */
  created_by?: string;
  [unknown: string]: unknown;
}

export interface NewDeviceRecord {
  /** Hex of the 16 random bytes behind the mnemonic. */
  token: string;
  date: string;
  expiration: string;
  /** Name of the device whose token created it (domain/token-creator.ts); absent in older files. */
  created_by?: string;
  [unknown: string]: unknown;
}

export interface TokensFile {
  tokens: TokenRecord[];
  recovery_token?: RecoveryTokenRecord | null;
  new_device?: NewDeviceRecord | null;
  [unknown: string]: unknown;
}
