// The bench's command-line settings: checked before any server starts.
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../bench/load.js';

const given = { duration: '3', rounds: '5', warmup: '2', connections: '16' };

describe('bench settings', () => {
  it('takes whole numbers: seconds per run, runs, warm-up seconds and connections', () => {
    expect(loadSettings(given)).toEqual({ durationS: 3, rounds: 5, warmupS: 2, connections: 16 });
    expect(loadSettings({ ...given, warmup: '0' }).warmupS).toBe(0);
  });

  it('refuses no runs, a fraction, a negative warm-up or a word, naming the option', () => {
    expect(() => loadSettings({ ...given, rounds: '0' })).toThrow('--rounds must be a whole number of at least 1');
    expect(() => loadSettings({ ...given, duration: '1.5' })).toThrow('--duration must be a whole number of at least 1');
    expect(() => loadSettings({ ...given, warmup: '-1' })).toThrow('--warmup must be a whole number of at least 0');
    expect(() => loadSettings({ ...given, connections: 'many' })).toThrow('--connections must be a whole number of at least 1');
  });
});
