import { describe, expect, it } from 'vitest';
import { failureReason, isMissingRepository, latestProgress, savedSnapshotId } from '../../../backups/restic-output.js';

describe('restic output', () => {
  it('takes the progress of the last status line, clamped to 0..1, ignoring text and cut lines', () => {
    const output = [
      'ercent_done":0.9}',
      '{"message_type":"status","percent_done":0.25,"total_files":3}',
      'restoring <Snapshot 1234 of [/var]>',
      '{"message_type":"status","percent_done":0.5}',
      '{"message_type":"status","percent_d',
    ].join('\n');
    expect(latestProgress(output)).toBe(0.5);
    expect(latestProgress('{"message_type":"status","percent_done":1.7}')).toBe(1);
    expect(latestProgress('no json yet')).toBeUndefined();
  });

  it('reads the saved snapshot from the backup summary', () => {
    const output = '{"message_type":"status","percent_done":1}\n{"message_type":"summary","files_new":2,"snapshot_id":"d953f0c8"}\n';
    expect(savedSnapshotId(output)).toBe('d953f0c8');
    expect(latestProgress(output)).toBe(1);
    expect(savedSnapshotId('{"message_type":"status","percent_done":0.4}')).toBeUndefined();
  });

  it('prefers restic\'s Fatal line as the reason and blanks out secrets', () => {
    expect(failureReason('warning: something\nFatal: wrong password or no key found\n')).toBe('Fatal: wrong password or no key found');
    expect(failureReason('rclone: key K002secret rejected\n', ['K002secret'])).toBe('rclone: key [redacted] rejected');
    expect(failureReason('\n\n')).toBeUndefined();
    expect(failureReason(`Fatal: ${'x'.repeat(2000)}`)?.length).toBeLessThanOrEqual(501);
  });

  it('recognises a repository that does not exist yet', () => {
    expect(isMissingRepository('Fatal: unable to open config file: stat /r/config: no such file or directory\nIs there a repository at the following location?\n/r')).toBe(true);
    expect(isMissingRepository('Fatal: wrong password or no key found')).toBe(false);
  });
});
