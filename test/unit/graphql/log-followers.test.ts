// Log subscriptions with the same filter share one journal follower: a hundred subscribers read the journal as often as one.
import { describe, expect, it } from 'vitest';
import { followJournal } from '../../../graphql/areas/log-entries.js';
import { fakeRunner } from '../../helpers/function-call.js';
import { journalCursor, journalLine } from '../../helpers/journal-lines.js';
import { waitFor } from '../../helpers/wait.js';

/** A journal of numbered entries that grows when the test pushes to it. */
function growingJournal(entries: number[]) {
  return fakeRunner((command, args) => {
    if (command !== 'journalctl') return { exitCode: 127 };
    const after = args.includes('--after-cursor') ? args[args.indexOf('--after-cursor') + 1] : undefined;
    const lines = Number(args[args.indexOf('-n') + 1]);
    let chosen = entries.filter((n) => after === undefined || journalCursor(n) > after);
    chosen = args.includes('--reverse') ? [...chosen].reverse().slice(0, lines) : chosen.slice(0, lines);
    return { stdout: chosen.map((n) => journalLine(n, 'nginx.service')).join('\n') };
  });
}

describe('journal followers', () => {
  it('feeds every subscriber of one filter from one follower, and stops it when the last leaves', async () => {
    const entries = [10];
    const journal = growingJournal(entries);
    const options = { units: ['nginx.service'], pollMs: 20 };
    const subscribers = Array.from({ length: 50 }, () => followJournal(journal, options));
    await waitFor(() => journal.calls.length >= 3, 'a few polls');
    entries.push(11);
    const firsts = await Promise.all(subscribers.map((subscriber) => subscriber.next()));
    expect(firsts.map((first) => first.value?.message)).toEqual(Array(50).fill('line 11'));
    // Fifty subscribers, yet each poll is one journalctl run: at most a poll or two more than the time allows.
    const polls = journal.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(journal.calls.length - polls).toBeLessThanOrEqual(200 / 20 + 2);

    // Another filter is another follower.
    const other = followJournal(journal, { units: ['gitea.service'], pollMs: 20 });
    await waitFor(() => journal.calls.some((call) => call.args.includes('gitea.service')), 'the other filter to be read');
    await other.return();

    for (const subscriber of subscribers.slice(1)) await subscriber.return();
    entries.push(12);
    expect((await subscribers[0]!.next()).value?.message).toBe('line 12');
    await subscribers[0]!.return();
    const calls = journal.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(journal.calls.length).toBeLessThanOrEqual(calls + 1);
  });
});
