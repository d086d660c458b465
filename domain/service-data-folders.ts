// Where each service keeps its data on a SelfPrivacy server (absolute paths, resolved under the root).

export interface ServiceDataFolders {
  /** The service's id, as in /services/<id>/enable; `mailserver` for mail. */
  service: string;
  folders: readonly string[];
}

/**
 * Folders as the NixOS modules of SelfPrivacy create them: Vaultwarden still uses bitwarden_rs
 * on older systems, Pleroma's database lives in PostgreSQL, mail in vmail and sieve.
 */
export const SERVICE_DATA_FOLDERS: readonly ServiceDataFolders[] = [
  { service: 'mailserver', folders: ['/var/vmail', '/var/sieve'] },
  { service: 'bitwarden', folders: ['/var/lib/bitwarden_rs', '/var/lib/vaultwarden'] },
  { service: 'gitea', folders: ['/var/lib/gitea'] },
  { service: 'nextcloud', folders: ['/var/lib/nextcloud'] },
  { service: 'ocserv', folders: ['/var/lib/ocserv'] },
  { service: 'pleroma', folders: ['/var/lib/pleroma', '/var/lib/postgresql'] },
];
