// Batched log output: lines in order, one write per turn, nothing left behind.
import { describe, expect, it } from 'vitest';
import { batchedWriter } from '../../../runtime/log-output.js';

function manualSchedule(): { schedule: (flush: () => void) => void; run: () => void; pending: () => number } {
  const queued: Array<() => void> = [];
  return {
    schedule: (flush) => queued.push(flush),
    run: () => queued.splice(0).forEach((flush) => flush()),
    pending: () => queued.length,
  };
}

describe('batchedWriter', () => {
  it('writes the lines of one turn together, in order, once the turn ends', () => {
    const writes: string[] = [];
    const turn = manualSchedule();
    const write = batchedWriter((text) => writes.push(text), turn.schedule);
    write('a\n');
    write('b\n');
    write('c\n');
    expect(writes).toEqual([]);
    expect(turn.pending()).toBe(1);
    turn.run();
    expect(writes).toEqual(['a\nb\nc\n']);
  });

  it('writes at once when the gathered lines grow large', () => {
    const writes: string[] = [];
    const write = batchedWriter((text) => writes.push(text), manualSchedule().schedule);
    const line = `${'x'.repeat(1023)}\n`;
    for (let index = 0; index < 64; index++) write(line);
    expect(writes.join('')).toBe(line.repeat(64));
  });

  it('flush writes what is gathered and then has nothing left to write', () => {
    const writes: string[] = [];
    const turn = manualSchedule();
    const write = batchedWriter((text) => writes.push(text), turn.schedule);
    write('last words\n');
    write.flush();
    turn.run();
    expect(writes).toEqual(['last words\n']);
  });
});
