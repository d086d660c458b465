// Runs the bench's floor (bench/baseline-answers.ts) on SELFPRIVACY_ROOT, as the bench starts our server.
import http from 'node:http';
import path from 'node:path';
import { baselineListener } from './baseline-answers.js';

const server = http.createServer(baselineListener(path.resolve(process.env.SELFPRIVACY_ROOT ?? '/')));
server.listen(Number(process.env.PORT ?? '0'), process.env.HOST ?? '127.0.0.1', () => {
  const address = server.address() as { port: number };
  // The same line the real server prints, so the bench finds both the same way.
  process.stdout.write(`${JSON.stringify({ msg: 'listening', url: `http://127.0.0.1:${address.port}` })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
