// Reads a text/event-stream body event by event, for tests of server-sent events.

export interface ServerSentEvent {
  id?: string;
  event?: string;
  data: string;
}

export interface EventReader {
  /** The next event, or null when the stream has ended. */
  next(): Promise<ServerSentEvent | null>;
  /** Every remaining event until the stream ends. */
  rest(): Promise<ServerSentEvent[]>;
  cancel(): Promise<void>;
}

function parseEvent(block: string): ServerSentEvent | null {
  const event: ServerSentEvent = { data: '' };
  let hasData = false;
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') {
      event.data = hasData ? `${event.data}\n${value}` : value;
      hasData = true;
    } else if (field === 'event') event.event = value;
    else if (field === 'id') event.id = value;
  }
  return hasData ? event : null;
}

export function readEvents(body: ReadableStream<Uint8Array>): EventReader {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const reader_: EventReader = {
    async next() {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = parseEvent(block);
          if (event !== null) return event;
          continue;
        }
        const { done, value } = await reader.read();
        if (done) return null;
        buffer += decoder.decode(value, { stream: true });
      }
    },
    async rest() {
      const events: ServerSentEvent[] = [];
      for (let event = await reader_.next(); event !== null; event = await reader_.next()) events.push(event);
      return events;
    },
    cancel: () => reader.cancel(),
  };
  return reader_;
}
