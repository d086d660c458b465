// Reading and writing one `{ enable, … }`-style section of userdata.json, which may be missing.
import { internalError } from '../core/errors.js';

type Section = Record<string, unknown>;

function isSection(value: unknown): value is Section {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The section named `name` for reading; empty when it is missing or not an object. */
export function readSection(data: Record<string, unknown>, name: string): Readonly<Section> {
  const holder = data[name];
  return isSection(holder) ? holder : {};
}

/** A boolean setting of a section, or `fallback` when the section or the setting is missing. */
export function readFlag(data: Record<string, unknown>, section: string, key: string, fallback: boolean): boolean {
  const value = readSection(data, section)[key];
  return typeof value === 'boolean' ? value : fallback;
}

/**
 * The section named `name`, created empty when missing (inside a store mutation). A section that is
 * something other than an object was written by someone else; it is not ours to overwrite.
 */
export function ensureSection(data: Record<string, unknown>, name: string): Section {
  const current = data[name];
  if (current === undefined || current === null) {
    const created: Section = {};
    data[name] = created;
    return created;
  }
  if (!isSection(current)) throw internalError(`userdata.json: "${name}" is not an object; it was left unchanged`);
  return current;
}
