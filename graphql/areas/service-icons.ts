// Icons of the services for the app (Service.svgIcon): small line drawings made for this project.

/** A 24×24 line drawing in the app's current colour; the app draws it tinted. */
function icon(paths: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">${paths}</svg>`;
}

const ICONS: Record<string, string> = {
  // An envelope with its flap.
  'simple-nixos-mailserver': icon('<rect x="3" y="5.5" width="18" height="13" rx="1.5"/><path d="M3.5 6.5 12 13l8.5-6.5"/>'),
  // A key: round bow, shaft, two teeth.
  bitwarden: icon('<circle cx="8" cy="12" r="3.5"/><path d="M11.5 12H21M17 12v3M20 12v2.5"/>'),
  // Three commits, one branch joining back.
  gitea: icon('<circle cx="6" cy="5" r="2"/><circle cx="6" cy="19" r="2"/><circle cx="18" cy="9" r="2"/><path d="M6 7v10M18 11c0 4-6 3-11 6.5"/>'),
  // A cloud.
  nextcloud: icon('<path d="M7 18h10.5a3.5 3.5 0 0 0 .4-7A5.5 5.5 0 0 0 7.3 9.6 4.2 4.2 0 0 0 7 18z"/>'),
  // A shield with a padlock.
  ocserv: icon('<path d="M12 3 4.5 6v5.5c0 4.5 3.2 8 7.5 9.5 4.3-1.5 7.5-5 7.5-9.5V6z"/><rect x="9" y="11" width="6" height="5" rx="1"/><path d="M10.2 11V9.6a1.8 1.8 0 0 1 3.6 0V11"/>'),
  // Two speech bubbles.
  pleroma: icon('<path d="M4 5h11a1.5 1.5 0 0 1 1.5 1.5v6A1.5 1.5 0 0 1 15 14H9l-3.5 3v-3H4a1.5 1.5 0 0 1-1.5-1.5v-6A1.5 1.5 0 0 1 4 5z"/><path d="M18.5 9h1A1.5 1.5 0 0 1 21 10.5v6a1.5 1.5 0 0 1-1.5 1.5H19v2.5L16 18h-4.5"/>'),
};

/** A server: two stacked units with their lights (the whole-server backup, and any service without an icon). */
export const SERVER_ICON = icon('<rect x="3.5" y="4" width="17" height="7" rx="1.5"/><rect x="3.5" y="13" width="17" height="7" rx="1.5"/><path d="M7 7.5h.01M7 16.5h.01M11 7.5h6M11 16.5h6"/>');

/** The app wants the SVG text base64-encoded. */
export function serviceIconBase64(serviceId: string): string {
  return Buffer.from(ICONS[serviceId] ?? SERVER_ICON, 'utf8').toString('base64');
}
