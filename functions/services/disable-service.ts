// POST /services/{service}/disable (bitwarden, gitea, nextcloud, ocserv, pleroma): sets `<service>.enable = false`.
import type { Ctx } from '../../kit/context.js';
import { answerServiceToggle, setServiceEnabled, toggleParams, toggleResponses, type ToggleInput } from './toggle-service.js';

export const params = toggleParams;

export const responses = toggleResponses;

/** Switches the service off in userdata. */
export function disableService(ctx: Ctx, input: ToggleInput): Promise<void> {
  return setServiceEnabled(ctx, input, false);
}

export default function disableServiceEndpoint(_request: Request, ctx: Ctx): Promise<Response> {
  return answerServiceToggle(ctx, false);
}
