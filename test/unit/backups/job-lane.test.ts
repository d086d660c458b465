// The lane: work runs one at a time in the order given, whatever the work before it did.
import { describe, expect, it } from 'vitest';
import { JobLane } from '../../../backups/job-lane.js';

describe('JobLane', () => {
  it('runs work one after another, in order, past a failure, and says when it is busy', async () => {
    const lane = new JobLane();
    const events: string[] = [];
    let release: () => void = () => undefined;
    const first = lane.run(() => new Promise<void>((resolve) => {
      events.push('first starts');
      release = () => {
        events.push('first ends');
        resolve();
      };
    }));
    const second = lane.run(async () => {
      events.push('second runs');
      throw new Error('second failed');
    });
    const third = lane.run(async () => {
      events.push('third runs');
      return 3;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events).toEqual(['first starts']);
    expect(lane.busy()).toBe(true);
    release();
    await first;
    await expect(second).rejects.toThrow('second failed');
    expect(await third).toBe(3);
    expect(events).toEqual(['first starts', 'first ends', 'second runs', 'third runs']);
    expect(lane.busy()).toBe(false);
  });
});
