// POST /services/{service}/disable (bitwarden, gitea, nextcloud, ocserv, pleroma): sets `<service>.enable = false`.
import { serviceToggle, toggleParams, toggleResponses } from './toggle-service.js';

export const params = toggleParams;

export const responses = toggleResponses;

export default serviceToggle(false);
