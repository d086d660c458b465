// The API version this server implements (contract §3 "Version").
export const API_VERSION = '1.2.0';
