// A listening server as startServer gives it: the production entry, the bundle's warm-up and tests stop it with close().
import type http from 'node:http';

export interface RunningServer {
  server: http.Server;
  url: string;
  /** Stops accepting, lets requests in flight finish, then waits for queued writes. */
  close(): Promise<void>;
}
