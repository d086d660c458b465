// POST /services/{bitwarden|gitea|nextcloud|ocserv|pleroma}/enable: sets `<service>.enable = true`.
import { serviceToggle, toggleResponses } from './toggle-service.js';

export const responses = toggleResponses;

export default serviceToggle(true);
