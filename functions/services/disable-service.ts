// POST /services/{bitwarden|gitea|nextcloud|ocserv|pleroma}/disable: sets `<service>.enable = false`.
import { serviceToggle, toggleResponses } from './toggle-service.js';

export const responses = toggleResponses;

export default serviceToggle(false);
