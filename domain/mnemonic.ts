// Mnemonic secrets: random bytes stored as hex, shown to people as BIP39 English words.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { entropyToMnemonic, mnemonicToEntropy } from 'bip39';

export interface MnemonicSecret {
  /** What tokens.json stores: hex of the random bytes. */
  hex: string;
  /** What the person types: the words. */
  mnemonic: string;
}

/** 16 bytes give 12 words (new device), 24 bytes give 18 words (recovery). */
export function newMnemonicSecret(byteCount: 16 | 24): MnemonicSecret {
  const hex = randomBytes(byteCount).toString('hex');
  return { hex, mnemonic: entropyToMnemonic(hex) };
}

/** The hex behind a mnemonic, or null for unknown words, a wrong checksum or a bad length. */
export function mnemonicToHex(mnemonic: string): string | null {
  const words = mnemonic.trim().toLowerCase().split(/\s+/);
  if (words.length < 12 || words.length > 24) return null;
  try {
    return mnemonicToEntropy(words.join(' '));
  } catch {
    return null;
  }
}

/** True when `mnemonic` encodes exactly the stored hex; compared in constant time. */
export function mnemonicMatches(mnemonic: string, storedHex: unknown): boolean {
  if (typeof storedHex !== 'string') return false;
  const presented = mnemonicToHex(mnemonic);
  if (presented === null) return false;
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(storedHex.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
