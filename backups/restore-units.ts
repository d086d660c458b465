// The services whose data a restore rewrites: stopped before restic writes under /var, started again after.

/**
 * The service units of the contract (mail, Bitwarden, Gitea, Nextcloud, OCserv, Pleroma) plus the
 * databases and mail filters that keep files open under /var. nginx stays up: it only serves, and
 * the app reaches this API (and polls the restore's status) through it.
 */
export const RESTORE_STOPPED_UNITS: readonly string[] = [
  'dovecot2',
  'postfix',
  'rspamd',
  'redis-rspamd',
  'opendkim',
  'vaultwarden',
  'gitea',
  'phpfpm-nextcloud',
  'ocserv',
  'pleroma',
  'postgresql',
];
