// POST /services/{service}/enable (bitwarden, gitea, nextcloud, ocserv, pleroma): sets `<service>.enable = true`.
import { serviceToggle, toggleParams, toggleResponses } from './toggle-service.js';

export const params = toggleParams;

export const responses = toggleResponses;

export default serviceToggle(true);
