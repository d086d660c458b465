// The API version this server implements; 1.3 adds the endpoints of docs/api.md, "What 1.3 adds".
export const API_VERSION = '1.3.0';
