// The API version this server implements (contract §3 "Version"); 1.3 adds the endpoints of issue 8.
export const API_VERSION = '1.3.0';
