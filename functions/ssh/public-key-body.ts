// Bodies of the key endpoints: `{public_key}`, checked by domain/ssh-key when it is added.
import { z } from 'zod';
import { NewSshPublicKey, StoredSshPublicKey } from '../../domain/ssh-key.js';

export const NewPublicKeyBody = z.object({ public_key: NewSshPublicKey });

export const StoredPublicKeyBody = z.object({ public_key: StoredSshPublicKey });
