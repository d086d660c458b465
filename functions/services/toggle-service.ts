// Shared by enable-service.ts and disable-service.ts: sets `<service>.enable` for the service named in the path.
import { isToggleableService, TOGGLEABLE_SERVICES } from '../../domain/services.js';
import type { Ctx, FunctionHandler } from '../../runtime/context.js';
import { notFound } from '../../core/errors.js';
import { pathSegments } from '../../runtime/request-path.js';
import { json } from '../../runtime/respond.js';
import { ErrorBody, StatusMessageBody } from '../../runtime/response-schemas.js';
import { ensureSection } from '../../store/userdata-section.js';

export const toggleResponses = {
  200: { description: 'Service enabled or disabled', schema: StatusMessageBody },
  404: { description: 'Not a service the API can switch', schema: ErrorBody },
  500: { description: 'userdata.json could not be read or written', schema: ErrorBody },
};

/** routes.json lists `/services/<service>/enable|disable` one by one; the service is the segment before the action. */
function serviceInPath(request: Request): keyof typeof TOGGLEABLE_SERVICES {
  const name = pathSegments(request).at(-2) ?? '';
  if (!isToggleableService(name)) throw notFound({ error: 'Unknown service' });
  return name;
}

export function serviceToggle(enable: boolean): FunctionHandler {
  return async (request: Request, ctx: Ctx): Promise<Response> => {
    const service = serviceInPath(request);
    await ctx.store.userdata.update((data) => {
      ensureSection(data, service).enable = enable;
    });
    return json({ status: 0, message: `${TOGGLEABLE_SERVICES[service]} ${enable ? 'enabled' : 'disabled'}` });
  };
}
