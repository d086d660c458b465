// Who is calling: nginx's X-Forwarded-For is trusted only when the socket peer is loopback.
import { isIP } from 'node:net';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export function clientAddress(request: Request, socketAddress: string | undefined): string {
  const peer = socketAddress ?? 'unknown';
  if (!LOOPBACK.test(peer)) return peer;
  const forwarded = request.headers.get('x-forwarded-for');
  if (forwarded === null) return peer;
  // nginx appends the address it saw last; that is the one it vouches for.
  const last = forwarded.split(',').pop()?.trim() ?? '';
  return isIP(last) ? last : peer;
}
