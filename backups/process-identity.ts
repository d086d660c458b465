// Tells whether a recorded pid is still the same running process (a pid is reused once its process ends).
import fs from 'node:fs';

interface ProcessFacts {
  state: string;
  startTime: string;
}

/** Reads /proc/<pid>/stat: the state letter and the start time (clock ticks since boot). */
function processFacts(pid: number): ProcessFacts | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses; the fields after its last ')' are plain.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTime = fields[19];
  return state === undefined || startTime === undefined ? undefined : { state, startTime };
}

/** The start time to record with a pid, so a later check is not fooled by pid reuse (undefined without /proc). */
export function processStartTime(pid: number): string | undefined {
  return processFacts(pid)?.startTime;
}

/** True while `pid` runs and, when `startTime` was recorded, is still the process it was then. */
export function isProcessRunning(pid: number, startTime?: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const facts = processFacts(pid);
  if (facts === undefined) return true; // no /proc: the signal check is all we have
  if (facts.state === 'Z' || facts.state === 'X') return false;
  return startTime === undefined || facts.startTime === startTime;
}
