// Where log lines go: standard output, gathered per turn of the event loop into one write.
// Writes to a file or pipe are synchronous system calls; under load, one per request line
// costs more than the line itself. Lines keep their order and reach the output before the
// process exits (the 'exit' handler writes whatever is still gathered).

const FLUSH_AT_BYTES = 64 * 1024;

export type LineWriter = (line: string) => void;

export function batchedWriter(write: (text: string) => void, schedule: (flush: () => void) => void = setImmediate): LineWriter & { flush(): void } {
  let pending = '';
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending === '') return;
    const text = pending;
    pending = '';
    write(text);
  };
  const writer = (line: string): void => {
    pending += line;
    if (pending.length >= FLUSH_AT_BYTES) flush();
    else if (!scheduled) {
      scheduled = true;
      schedule(flush);
    }
  };
  return Object.assign(writer, { flush });
}

let stdoutWriter: (LineWriter & { flush(): void }) | undefined;

/** The process's one batched standard-output writer. */
export function stdoutLines(): LineWriter {
  if (stdoutWriter === undefined) {
    stdoutWriter = batchedWriter((text) => process.stdout.write(text));
    process.on('exit', stdoutWriter.flush);
  }
  return stdoutWriter;
}
