// One lane for everything that writes to the repository: restic's lock lets one backup, restore or prune run at a time.

/**
 * Work given to the lane runs after all work given before it has ended, however that ended. The
 * jobs of the registry exist (running, progress 0) from the moment they are queued, so several
 * services started together are each a job of their own, none refused.
 */
export class JobLane {
  private tail: Promise<void> = Promise.resolve();
  /** Work queued or running, not yet settled. */
  private pending = 0;

  /** Runs `work` in its turn; the promise settles as the work does. */
  run<T>(work: () => Promise<T>): Promise<T> {
    this.pending++;
    const turn = this.tail.then(work).finally(() => this.pending--);
    this.tail = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  /** True while work is running or waiting its turn. */
  busy(): boolean {
    return this.pending > 0;
  }
}
