// Unit tests of the GraphQL "logs" area: pages of the journal by cursor, and the live stream behind logEntries.
import { parse, subscribe, type ExecutionResult } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResolverContext } from '../../../graphql/area.js';
import { newRequestState } from '../../../kit/transport.js';
import { graphqlSchema } from '../../../graphql/schema.js';
import { followJournal } from '../../../graphql/areas/log-entries.js';
import { ALL_LOG_UNITS } from '../../../domain/log-units.js';
import type { Ctx } from '../../../kit/context.js';
import { fakeRunner, makeCtx } from '../../helpers/function-call.js';
import { journalCursor, journalLine, journalOutput } from '../../helpers/journal-lines.js';
import { waitFor } from '../../helpers/wait.js';
import { sendAppOperation } from './app-operation.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();
let ctx: Ctx;
let runner: ReturnType<typeof fakeRunner>;
let journal = '';

beforeEach(() => {
  journal = '';
  runner = fakeRunner((command) => (command === 'journalctl' ? { stdout: journal } : { exitCode: 127 }));
  ctx = makeCtx(temp, { system: runner, caller: null });
});
afterEach(async () => {
  await ctx.jobs.close();
});

const allUnitArgs = ALL_LOG_UNITS.flatMap((unit) => ['-u', unit]);

describe('Logs', () => {
  it('gives the newest entries of every unit the API shows, oldest first, with the cursors of both ends', async () => {
    journal = journalOutput('nginx.service', 25, 6);
    const page = (await sendAppOperation(ctx, 'Logs', { limit: 20 })).body.data.logs.paginated;
    expect(page.entries).toHaveLength(20);
    expect(page.entries[0]).toEqual({
      cursor: journalCursor(6),
      timestamp: new Date(1_700_000_006_000).toISOString(),
      priority: 6,
      systemdUnit: 'nginx.service',
      systemdSlice: null,
      message: 'line 6',
    });
    expect(page.entries.at(-1).cursor).toBe(journalCursor(25));
    expect(page.pageMeta).toEqual({ upCursor: journalCursor(6), downCursor: journalCursor(25) });
    expect(runner.calls.map((call) => call.args)).toEqual([['-o', 'json', ...allUnitArgs, '-n', '20', '--reverse']]);
    expect(allUnitArgs).toEqual(expect.arrayContaining(['sp-nixos-rebuild.service', 'sp-nixos-upgrade.service', 'sp-nixos-rollback.service', 'selfprivacy-api.service']));
    expect(allUnitArgs.join(' ')).not.toContain('*');
  });

  it('pages to older entries with downCursor (the app passes the page\'s upCursor) and to newer ones with upCursor', async () => {
    journal = journalOutput('gitea.service', 5, 1);
    const older = (await sendAppOperation(ctx, 'Logs', { limit: 5, downCursor: journalCursor(6), filterByUnit: 'gitea.service' })).body.data.logs.paginated;
    expect(older.entries.map((entry: any) => entry.message)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
    journal = [journalLine(7, 'gitea.service'), journalLine(8, 'gitea.service')].join('\n');
    const newer = (await sendAppOperation(ctx, 'Logs', { limit: 5, upCursor: journalCursor(6), filterByUnit: 'gitea' })).body.data.logs.paginated;
    expect(newer.entries.map((entry: any) => entry.message)).toEqual(['line 7', 'line 8']);
    expect(runner.calls.map((call) => call.args)).toEqual([
      ['-o', 'json', '-u', 'gitea.service', '-n', '5', '--reverse', '--after-cursor', journalCursor(6)],
      ['-o', 'json', '-u', 'gitea.service', '-n', '5', '--after-cursor', journalCursor(6)],
    ]);
  });

  it('refuses a unit the API does not show, a limit over 50, a malformed cursor and both cursors, without reading the journal', async () => {
    const refusals = [
      { limit: 10, filterByUnit: 'sshd.service' },
      { limit: 51 },
      { limit: 10, downCursor: 'i=1; --since=2000-01-01' },
      { limit: 10, upCursor: journalCursor(1), downCursor: journalCursor(2) },
    ];
    for (const variables of refusals) {
      const answer = await sendAppOperation(ctx, 'Logs', variables);
      expect(answer.status).toBe(200);
      expect(answer.body.data).toBeNull();
      expect(answer.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    }
    expect(runner.calls).toEqual([]);
  });

  it('reads a service\'s slice as the app names it: the mail server\'s two units, entries marked with the slice', async () => {
    // journalctl --reverse prints the newest first.
    journal = [journalLine(2, 'postfix.service'), journalLine(1, 'dovecot2.service')].join('\n');
    const page = (await sendAppOperation(ctx, 'Logs', { limit: 10, filterBySlice: 'simple_nixos_mailserver.slice' })).body.data.logs.paginated;
    expect(runner.calls.map((call) => call.args)).toEqual([['-o', 'json', '-u', 'dovecot2.service', '-u', 'postfix.service', '-n', '10', '--reverse']]);
    expect(page.entries.map((entry: any) => [entry.systemdUnit, entry.systemdSlice])).toEqual([
      ['dovecot2.service', 'simple_nixos_mailserver.slice'],
      ['postfix.service', 'simple_nixos_mailserver.slice'],
    ]);
    expect(page.pageMeta).toEqual({ upCursor: journalCursor(1), downCursor: journalCursor(2) });
  });

  it('pages a slice by cursor like unfiltered logs', async () => {
    journal = journalOutput('gitea.service', 3, 1);
    await sendAppOperation(ctx, 'Logs', { limit: 3, downCursor: journalCursor(4), filterBySlice: 'gitea.slice' });
    expect(runner.calls.map((call) => call.args)).toEqual([['-o', 'json', '-u', 'gitea.service', '-n', '3', '--reverse', '--after-cursor', journalCursor(4)]]);
  });

  it('answers an empty page, never an error, for a slice no service has or a unit outside the slice', async () => {
    journal = journalOutput('nginx.service', 3, 1);
    for (const variables of [{ filterBySlice: 'system-sshd.slice' }, { filterBySlice: 'simple-nixos-mailserver.slice' }, { filterBySlice: 'gitea.slice', filterByUnit: 'nginx.service' }]) {
      const answer = await sendAppOperation(ctx, 'Logs', { limit: 10, ...variables });
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data.logs.paginated).toEqual({ pageMeta: { upCursor: null, downCursor: null }, entries: [] });
    }
    expect(runner.calls).toEqual([]);
  });

  it('reads a unit of the slice when both filters are given', async () => {
    journal = journalOutput('postfix.service', 1, 1);
    await sendAppOperation(ctx, 'Logs', { limit: 5, filterBySlice: 'simple_nixos_mailserver.slice', filterByUnit: 'postfix' });
    expect(runner.calls.map((call) => call.args)).toEqual([['-o', 'json', '-u', 'postfix.service', '-n', '5', '--reverse']]);
  });
});

/** A journal of numbered entries that honours --after-cursor and --reverse -n, as journalctl does. */
function numberedJournal(entries: Array<{ n: number; unit: string }>) {
  return fakeRunner((command, args) => {
    if (command !== 'journalctl') return { exitCode: 127 };
    const after = args.includes('--after-cursor') ? args[args.indexOf('--after-cursor') + 1] : undefined;
    const lines = Number(args[args.indexOf('-n') + 1]);
    let chosen = entries.filter((entry) => after === undefined || entry.n > entries.find((each) => journalCursor(each.n) === after)!.n);
    chosen = args.includes('--reverse') ? [...chosen].reverse().slice(0, lines) : chosen.slice(0, lines);
    return { stdout: chosen.map((entry) => journalLine(entry.n, entry.unit)).join('\n') };
  });
}

describe('the logEntries stream', () => {
  it('sends only entries written after it started, oldest first, and stops polling when the subscriber leaves', async () => {
    const entries = [{ n: 10, unit: 'nginx.service' }];
    const journalRunner = numberedJournal(entries);
    const stream = followJournal(journalRunner, { units: ['nginx.service', 'pleroma.service'], pollMs: 20 });
    // The start: the newest entry marks the place; nothing before it is sent.
    await waitFor(() => journalRunner.calls.length >= 2, 'the first poll');
    entries.push({ n: 11, unit: 'nginx.service' }, { n: 12, unit: 'pleroma.service' });
    const first = await stream.next();
    const second = await stream.next();
    expect([first.value?.message, second.value?.message]).toEqual(['line 11', 'line 12']);
    expect(second.value?.systemdUnit).toBe('pleroma.service');
    entries.push({ n: 13, unit: 'nginx.service' });
    expect((await stream.next()).value?.message).toBe('line 13');
    expect(journalRunner.calls[0]?.args).toEqual(['-o', 'json', '-u', 'nginx.service', '-u', 'pleroma.service', '-n', '1', '--reverse']);
    await waitFor(() => journalRunner.calls.at(-1)?.args.includes(journalCursor(13)), 'a poll after entry 13');
    expect(journalRunner.calls.at(-1)?.args).toEqual(['-o', 'json', '-u', 'nginx.service', '-u', 'pleroma.service', '-n', '200', '--after-cursor', journalCursor(13)]);

    await stream.return();
    const calls = journalRunner.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    // At most a poll already under way finishes; the timer is gone.
    expect(journalRunner.calls.length).toBeLessThanOrEqual(calls + 1);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('follows only the units of a slice when logEntries is given one, and nothing for an unknown slice', async () => {
    const rctx: ResolverContext = { ctx, request: new Request('http://localhost/graphql'), state: newRequestState('logs-test', undefined, '127.0.0.1') };
    const subscribeTo = async (slice: string) =>
      (await subscribe({ schema: graphqlSchema(), document: parse(`subscription { logEntries(filterBySlice: "${slice}") { message systemdSlice } }`), contextValue: rctx })) as AsyncGenerator<ExecutionResult>;
    journal = journalOutput('pleroma.service', 1, 1);
    const stream = await subscribeTo('pleroma.slice');
    await waitFor(() => runner.calls.length >= 1, 'the first poll');
    expect(runner.calls[0]?.args).toEqual(['-o', 'json', '-u', 'pleroma.service', '-n', '1', '--reverse']);
    await stream.return(undefined);
    const callsBefore = runner.calls.length;
    const quiet = await subscribeTo('nothing.slice');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runner.calls.length).toBe(callsBefore);
    await quiet.return(undefined);
  });

  it('ends when journalctl is not there', async () => {
    const missing = fakeRunner(() => ({ exitCode: 127 }));
    const stream = followJournal(missing, { units: ['nginx.service'], pollMs: 20 });
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });
});
