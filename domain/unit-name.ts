// What a systemd unit name the API hands to systemctl or journalctl may look like.

/**
 * systemd's characters for unit names (letters, digits, `:_.@-` and `\` escapes) with a unit
 * type suffix, starting with a letter, digit or `_` so that it can never be read as an option
 * (`--host=…`). systemd's own `-.mount` and `-.slice` are no unit of this API's.
 */
const UNIT_NAME = /^[A-Za-z0-9_][A-Za-z0-9:_.@\\-]{0,240}\.(service|socket|target|timer|mount|automount|swap|path|slice|scope|device)$/;

export function isSystemdUnitName(name: string): boolean {
  return UNIT_NAME.test(name);
}
