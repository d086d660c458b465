// The services the API knows: the five the app can switch on and off, and the units it reports on.

/** userdata.json section → the name the app shows (and the API's messages use). */
export const TOGGLEABLE_SERVICES = {
  bitwarden: 'Bitwarden',
  gitea: 'Gitea',
  nextcloud: 'Nextcloud',
  ocserv: 'OCserv',
  pleroma: 'Pleroma',
} as const;

export type ToggleableService = keyof typeof TOGGLEABLE_SERVICES;

/** `GET /services/status` key → the systemd unit whose `systemctl is-active` exit code it reports. */
export const STATUS_UNITS = {
  imap: 'dovecot2',
  smtp: 'postfix',
  http: 'nginx',
  bitwarden: 'vaultwarden',
  gitea: 'gitea',
  nextcloud: 'phpfpm-nextcloud',
  ocserv: 'ocserv',
  pleroma: 'pleroma',
} as const;

export type StatusKey = keyof typeof STATUS_UNITS;
