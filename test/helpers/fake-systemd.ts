// A command runner playing systemd for job tests: `systemctl start` returns when the test says so,
// `systemctl show` answers the unit state the test sets, journalctl answers the lines the test sets.
import { afterEach, beforeEach } from 'vitest';
import type { Ctx } from '../../kit/context.js';
import type { CommandRunner, RunResult } from '../../core/commands.js';
import { makeCtx, type RecordedCommand } from './function-call.js';
import { makeTempRoot, type TempRoot } from './temp-root.js';

export interface FakeSystemd extends CommandRunner {
  calls: RecordedCommand[];
  /** `ActiveState=…\nSubState=…\nResult=…` as `systemctl show` prints it; '' for a unit systemd does not know. */
  unitState: string;
  journal: string;
  /** Ends the oldest `systemctl start` still waiting. */
  finishStart(result?: Partial<RunResult>): void;
  pendingStarts(): number;
  callsOf(command: string, firstArg?: string): RecordedCommand[];
}

export function unitStateText(activeState: string, subState: string, result: string): string {
  return `ActiveState=${activeState}\nSubState=${subState}\nResult=${result}\n`;
}

export function fakeSystemd(): FakeSystemd {
  const waiting: Array<(result: RunResult) => void> = [];
  const done = (partial: Partial<RunResult> = {}): RunResult => ({ exitCode: 0, stdout: '', stderr: '', timedOut: false, ...partial });
  const fake: FakeSystemd = {
    calls: [],
    unitState: unitStateText('activating', 'start', 'success'),
    journal: '',
    async run(command, args, options) {
      fake.calls.push({ command, args: [...args], options });
      if (command === 'systemctl' && args[0] === 'start') return new Promise<RunResult>((resolve) => waiting.push(resolve));
      if (command === 'systemctl' && args[0] === 'show') return done({ stdout: fake.unitState });
      if (command === 'journalctl') return done({ stdout: fake.journal });
      return done({ exitCode: 127 });
    },
    spawnDetached(command, args) {
      fake.calls.push({ command, args: [...args], detached: true });
    },
    async start(command, args) {
      fake.calls.push({ command, args: [...args], detached: true });
      return { pid: undefined, exited: Promise.resolve({ exitCode: 127, timedOut: false }) };
    },
    finishStart(result) {
      const next = waiting.shift();
      if (next === undefined) throw new Error('no systemctl start is waiting');
      next(done(result));
    },
    pendingStarts: () => waiting.length,
    callsOf: (command, firstArg) => fake.calls.filter((call) => call.command === command && (firstArg === undefined || call.args[0] === firstArg)),
  };
  return fake;
}


export interface JobTestSetup {
  temp: TempRoot;
  systemd: FakeSystemd;
  /** A ctx on the temporary root whose command runner (and job registry) is `systemd`. */
  ctx: Ctx;
}

/** Before each test: a temporary root and a ctx playing systemd; after it: the registry closed, the root removed. */
export function useFakeSystemdCtx(): JobTestSetup {
  const setup = {} as JobTestSetup;
  beforeEach(() => {
    setup.temp = makeTempRoot();
    setup.systemd = fakeSystemd();
    setup.ctx = makeCtx(setup.temp, { system: setup.systemd });
  });
  afterEach(async () => {
    await setup.ctx.jobs.close();
    setup.temp.cleanup();
  });
  return setup;
}
