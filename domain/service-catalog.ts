// The services of a SelfPrivacy server as the GraphQL API describes them: ids, names, units, subdomains.
import { readFlag } from '../store/userdata-section.js';
import type { Userdata } from '../store/userdata.js';
import { SERVICE_DATA_FOLDERS } from './service-data-folders.js';
import { STATUS_UNITS, TOGGLEABLE_SERVICES, type ToggleableService } from './services.js';

export interface ServiceLicense {
  /** SPDX identifier, e.g. `AGPL-3.0-or-later`. */
  spdxId: string;
  fullName: string;
  free: boolean;
  redistributable: boolean;
}

export interface ServiceDescriptor {
  /** The id the app knows the service by (upstream's ids, so its icons and texts match). */
  id: string;
  displayName: string;
  description: string;
  /** systemd units (without `.service`) whose state is the service's state. */
  units: readonly string[];
  /** The userdata section enable/disable switches; null for a service that is always on. */
  toggle: ToggleableService | null;
  /** Host name under the domain that nginx serves for it, when it has one. */
  subdomain: string | null;
  /** Whether the subdomain is a web page the app can open (the VPN's is not). */
  hasWebPage: boolean;
  /** Key of the service in the storage report (domain/storage-monitor.ts). */
  dataKey: string;
  required: boolean;
  homepage: string;
  sourcePage: string;
  licenses: readonly ServiceLicense[];
}

const license = (spdxId: string, fullName: string): ServiceLicense => ({ spdxId, fullName, free: true, redistributable: true });
const AGPL3 = license('AGPL-3.0-or-later', 'GNU Affero General Public License v3.0 or later');

/** The mail server: its DNS records are mail's (MX, SPF, DMARC, DKIM), not a host's. */
export const MAIL_SERVICE_ID = 'simple-nixos-mailserver';

/** The text every service shares: each one is backed up and restored on its own. */
export const BACKUP_DESCRIPTION = 'Its data folders are backed up into restic snapshots of its own, which can be restored on their own.';

/** The six services of the server's NixOS configuration, in the order the app lists them. */
export const SERVICE_CATALOG: readonly ServiceDescriptor[] = [
  {
    id: MAIL_SERVICE_ID,
    displayName: 'Mail Server',
    description: 'E-mail for the domain: IMAP (Dovecot) and SMTP (Postfix).',
    units: [STATUS_UNITS.imap, STATUS_UNITS.smtp],
    toggle: null,
    subdomain: null,
    hasWebPage: false,
    dataKey: 'mailserver',
    required: true,
    homepage: 'https://nixos-mailserver.readthedocs.io/',
    sourcePage: 'https://gitlab.com/simple-nixos-mailserver/nixos-mailserver',
    licenses: [license('MIT', 'MIT License')],
  },
  {
    id: 'bitwarden',
    displayName: TOGGLEABLE_SERVICES.bitwarden,
    description: 'Password manager (Vaultwarden, compatible with the Bitwarden apps).',
    units: [STATUS_UNITS.bitwarden],
    toggle: 'bitwarden',
    subdomain: 'password',
    hasWebPage: true,
    dataKey: 'bitwarden',
    required: false,
    homepage: 'https://github.com/dani-garcia/vaultwarden',
    sourcePage: 'https://github.com/dani-garcia/vaultwarden',
    licenses: [license('AGPL-3.0-only', 'GNU Affero General Public License v3.0 only')],
  },
  {
    id: 'gitea',
    displayName: TOGGLEABLE_SERVICES.gitea,
    description: 'Git hosting: repositories, issues and pull requests.',
    units: [STATUS_UNITS.gitea],
    toggle: 'gitea',
    subdomain: 'git',
    hasWebPage: true,
    dataKey: 'gitea',
    required: false,
    homepage: 'https://about.gitea.com/',
    sourcePage: 'https://github.com/go-gitea/gitea',
    licenses: [license('MIT', 'MIT License')],
  },
  {
    id: 'nextcloud',
    displayName: TOGGLEABLE_SERVICES.nextcloud,
    description: 'Files, calendars and contacts in your own cloud.',
    units: [STATUS_UNITS.nextcloud],
    toggle: 'nextcloud',
    subdomain: 'cloud',
    hasWebPage: true,
    dataKey: 'nextcloud',
    required: false,
    homepage: 'https://nextcloud.com/',
    sourcePage: 'https://github.com/nextcloud/server',
    licenses: [AGPL3],
  },
  {
    id: 'ocserv',
    displayName: TOGGLEABLE_SERVICES.ocserv,
    description: 'VPN server speaking the OpenConnect protocol.',
    units: [STATUS_UNITS.ocserv],
    toggle: 'ocserv',
    subdomain: 'vpn',
    hasWebPage: false,
    dataKey: 'ocserv',
    required: false,
    homepage: 'https://ocserv.openconnect-vpn.net/',
    sourcePage: 'https://gitlab.com/openconnect/ocserv',
    licenses: [license('GPL-2.0-or-later', 'GNU General Public License v2.0 or later')],
  },
  {
    id: 'pleroma',
    displayName: TOGGLEABLE_SERVICES.pleroma,
    description: 'Social network server of the fediverse.',
    units: [STATUS_UNITS.pleroma],
    toggle: 'pleroma',
    subdomain: 'social',
    hasWebPage: true,
    dataKey: 'pleroma',
    required: false,
    homepage: 'https://pleroma.social/',
    sourcePage: 'https://git.pleroma.social/pleroma/pleroma',
    licenses: [AGPL3],
  },
];

/** The subdomain of the API itself (api.<domain>), which the app talks to. */
export const API_SUBDOMAIN = 'api';

export function findService(id: string): ServiceDescriptor | undefined {
  return SERVICE_CATALOG.find((service) => service.id === id);
}

/** The service's data folders as the storage report measures them. */
export function serviceFolders(service: ServiceDescriptor): readonly string[] {
  return SERVICE_DATA_FOLDERS.find((entry) => entry.service === service.dataKey)?.folders ?? [];
}

/** Whether the service is switched on in userdata (one that cannot be switched off always is). */
export function isServiceOn(userdata: Userdata, service: ServiceDescriptor): boolean {
  return service.toggle === null || readFlag(userdata, service.toggle, 'enable', false);
}
