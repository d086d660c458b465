// POST /services/{service}/enable (bitwarden, gitea, nextcloud, ocserv, pleroma): sets `<service>.enable = true`.
import type { Ctx } from '../../kit/context.js';
import { answerServiceToggle, setServiceEnabled, toggleParams, toggleResponses, type ToggleInput } from './toggle-service.js';

export const params = toggleParams;

export const responses = toggleResponses;

/** Switches the service on in userdata. */
export function enableService(ctx: Ctx, input: ToggleInput): Promise<void> {
  return setServiceEnabled(ctx, input, true);
}

export default function enableServiceEndpoint(_request: Request, ctx: Ctx): Promise<Response> {
  return answerServiceToggle(ctx, true);
}
