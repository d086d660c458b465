// Server-sent events (text/event-stream): a Response that streams events until the source ends or the client leaves.

/** Starts the source: it calls `send` for each event and `end` once; it returns how to detach it. */
export type EventSource = (send: (event: string, data: unknown) => void, end: () => void) => () => void;

export interface EventStreamOptions {
  /** A comment line this often keeps proxies (nginx) from closing a quiet stream. */
  heartbeatMs?: number;
}

const DEFAULT_HEARTBEAT_MS = 15_000;

/**
 * Every way the stream can stop (the source ends, the client disconnects and the request is
 * aborted, the consumer cancels) runs the same cleanup once: heartbeat cleared, source detached.
 */
export function eventStreamResponse(request: Request, source: EventSource, options: EventStreamOptions = {}): Response {
  const encoder = new TextEncoder();
  let stop = (): void => undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let stopped = false;
      let detach: (() => void) | undefined;
      let sequence = 0;
      const heartbeat = setInterval(() => controller.enqueue(encoder.encode(': keep-alive\n\n')), options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
      heartbeat.unref();
      stop = () => {
        if (stopped) return;
        stopped = true;
        clearInterval(heartbeat);
        request.signal.removeEventListener('abort', stop);
        detach?.();
        try {
          controller.close();
        } catch {
          // Already closed or errored by the consumer.
        }
      };
      const send = (event: string, data: unknown): void => {
        if (stopped) return;
        sequence += 1;
        controller.enqueue(encoder.encode(`id: ${sequence}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      };
      if (request.signal.aborted) return stop();
      request.signal.addEventListener('abort', stop);
      detach = source(send, stop);
      // The source may have ended while it was being attached.
      if (stopped) detach();
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'x-accel-buffering': 'no' },
  });
}
