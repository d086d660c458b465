import { describe, expect, it } from 'vitest';
import { withBackblazeRemote, withoutBackblazeRemote } from '../../../backups/rclone-config.js';

const ACCOUNT = { accountId: 'id1', accountKey: 'key1', bucket: 'bucket-one' };

describe('rclone.conf', () => {
  it('writes only the backblaze remote into an empty file', () => {
    expect(withBackblazeRemote('', ACCOUNT)).toBe('[backblaze]\ntype = b2\naccount = id1\nkey = key1\n');
  });

  it('replaces the old backblaze section wherever it is and keeps the other remotes', () => {
    const existing = '[first]\ntype = local\n\n[backblaze]\ntype = b2\naccount = old\nkey = old\n\n[last]\ntype = sftp\n';
    expect(withBackblazeRemote(existing, ACCOUNT)).toBe('[first]\ntype = local\n\n[last]\ntype = sftp\n\n[backblaze]\ntype = b2\naccount = id1\nkey = key1\n');
  });

  it('drops the backblaze section when the repository is detached, and leaves a file of only it empty', () => {
    expect(withoutBackblazeRemote('[first]\ntype = local\n\n[backblaze]\ntype = b2\naccount = a\nkey = k\n')).toBe('[first]\ntype = local\n');
    expect(withoutBackblazeRemote('[backblaze]\ntype = b2\naccount = a\nkey = k\n')).toBe('');
  });
});
