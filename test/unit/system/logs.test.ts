import { describe, expect, it } from 'vitest';
import getLogs from '../../../functions/system/logs.js';
import type { RunResult } from '../../../core/commands.js';
import { call, fakeRunner, jsonRequest, makeCtx } from '../../helpers/function-call.js';
import { journalCursor, journalLine, journalOutput } from '../../helpers/journal-lines.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();

function getWith(query: string, answer: Partial<RunResult> = { stdout: '' }) {
  const system = fakeRunner(() => answer);
  return call(getLogs, jsonRequest('GET', `/system/logs?${query}`), makeCtx(temp, { system })).then((result) => ({ ...result, calls: system.calls }));
}

describe('GET /system/logs', () => {
  it('runs journalctl -o json for the unit, newest first, 50 lines by default', async () => {
    const { status, body, calls } = await getWith('unit=nginx', { stdout: journalOutput('nginx.service', 60, 11) });
    expect(status).toBe(200);
    expect(calls.map((c) => [c.command, c.args])).toEqual([
      ['journalctl', ['-o', 'json', '-u', 'nginx.service', '-n', '50', '--reverse']],
    ]);
    expect(body.unit).toBe('nginx.service');
    expect(body.entries).toHaveLength(50);
    expect(body.entries[0]).toEqual({
      cursor: journalCursor(60),
      time: new Date(1_700_000_000_000 + 60_000).toISOString(),
      priority: 6,
      unit: 'nginx.service',
      identifier: 'nginx',
      pid: 4242,
      message: 'line 60',
    });
    // A full page points at the next, older page.
    expect(body.nextCursor).toBe(journalCursor(11));
  });

  it('pages with --after-cursor and reports the end with a null nextCursor', async () => {
    const cursor = journalCursor(11);
    const { status, body, calls } = await getWith(`unit=sp-nixos-rebuild.service&lines=20&cursor=${encodeURIComponent(cursor)}`, {
      stdout: journalOutput('sp-nixos-rebuild.service', 10, 1),
    });
    expect(status).toBe(200);
    expect(calls[0]?.args).toEqual(['-o', 'json', '-u', 'sp-nixos-rebuild.service', '-n', '20', '--reverse', '--after-cursor', cursor]);
    expect(body.entries.map((e: { message: string }) => e.message)).toEqual(
      Array.from({ length: 10 }, (_, i) => `line ${10 - i}`),
    );
    expect(body.nextCursor).toBeNull();
  });

  it('accepts every service unit, sp-nixos-* and selfprivacy-api', async () => {
    for (const unit of ['dovecot2', 'postfix', 'nginx', 'vaultwarden', 'gitea', 'phpfpm-nextcloud', 'ocserv', 'pleroma',
      'sp-nixos-upgrade', 'sp-nixos-rollback.service', 'selfprivacy-api', 'selfprivacy-api.service']) {
      const { status, calls } = await getWith(`unit=${unit}`);
      expect(status, unit).toBe(200);
      expect(calls[0]?.args[3]).toBe(unit.endsWith('.service') ? unit : `${unit}.service`);
    }
  });

  it('answers 400 for a missing or unknown unit without running journalctl', async () => {
    for (const query of ['', 'unit=', 'unit=sshd', 'unit=nginx.socket', 'unit=sp-nixos-*', 'unit=sp-nixos-', 'unit=-nginx',
      'unit=../nginx', 'unit=nginx%0a', 'unit=systemd-journald', `unit=${'a'.repeat(100)}`]) {
      const { status, body, calls } = await getWith(query);
      expect(status, query).toBe(400);
      expect(body.field).toBe('unit');
      expect(calls).toEqual([]);
    }
  });

  it('answers 400 for lines that are negative, zero, huge, fractional or not a number', async () => {
    for (const lines of ['-1', '0', '1001', '99999999999', '1.5', 'abc', '', '1e3', '0x10', ' 5']) {
      const { status, body, calls } = await getWith(`unit=nginx&lines=${encodeURIComponent(lines)}`);
      expect(status, lines).toBe(400);
      expect(body.field).toBe('lines');
      expect(calls).toEqual([]);
    }
  });

  it('accepts lines from 1 to 1000', async () => {
    for (const lines of ['1', '1000']) {
      const { status, calls } = await getWith(`unit=nginx&lines=${lines}`);
      expect(status).toBe(200);
      expect(calls[0]?.args[5]).toBe(lines);
    }
  });

  it('answers 400 for a malformed cursor without running journalctl', async () => {
    const good = journalCursor(5);
    for (const cursor of ['abc', `--help`, `${good};y=1`, good.toUpperCase(), `${good}\n`, good.replace('s=', 's= '), 'x'.repeat(300), '']) {
      const { status, body, calls } = await getWith(`unit=nginx&cursor=${encodeURIComponent(cursor)}`);
      expect(status, cursor).toBe(400);
      expect(body.field).toBe('cursor');
      expect(calls).toEqual([]);
    }
  });

  it('answers 400 when journalctl rejects a well-formed cursor', async () => {
    const { status, body } = await getWith(`unit=nginx&cursor=${encodeURIComponent(journalCursor(3))}`, {
      exitCode: 1,
      stderr: 'Failed to seek to cursor: Invalid argument\n',
    });
    expect(status).toBe(400);
    expect(body.field).toBe('cursor');
  });

  it('answers 503 when journalctl is missing and 500 without details when it fails', async () => {
    expect((await getWith('unit=nginx', { exitCode: 127, stderr: 'journalctl: could not be started' })).status).toBe(503);
    const failed = await getWith('unit=nginx', { exitCode: 1, stderr: 'Failed to open /var/log/journal/secret-path' });
    expect(failed.status).toBe(500);
    expect(JSON.stringify(failed.body)).not.toContain('secret-path');
  });

  it('decodes binary and repeated messages and skips lines that are not entries', async () => {
    const stdout = [
      '-- No entries --',
      journalLine(3, 'gitea.service', [104, 195, 169, 0x6c, 0x6c, 0x6f]),
      journalLine(2, 'gitea.service', ['first', 'second']),
      '{not json',
      journalLine(1, 'gitea.service', null),
    ].join('\n');
    const { body } = await getWith('unit=gitea', { stdout });
    expect(body.entries.map((e: { message: string }) => e.message)).toEqual(['héllo', 'first\nsecond', '']);
  });

  it('names systemd\'s own lines about the unit by the unit, not by init.scope', async () => {
    const line = JSON.stringify({ ...JSON.parse(journalLine(1, 'init.scope')), UNIT: 'nginx.service', MESSAGE: 'Started nginx.service.' });
    const { body } = await getWith('unit=nginx', { stdout: line });
    expect(body.entries[0].unit).toBe('nginx.service');
  });
});
