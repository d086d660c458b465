// The app's "slices": it asks for a service's logs as `<service id, '-' as '_'>.slice`; here, its units.
import { SERVICE_CATALOG } from './service-catalog.js';

/**
 * On upstream's servers each service runs in a systemd slice named after its id. The 1.2 layout
 * runs them in system.slice, so a slice here stands for the units the catalog gives the service
 * (the mail server has two), and entries of those units are answered as being in it.
 */
export function sliceOfService(serviceId: string): string {
  return `${serviceId.replaceAll('-', '_')}.slice`;
}

const UNITS_BY_SLICE: ReadonlyMap<string, readonly string[]> = new Map(
  SERVICE_CATALOG.map((service) => [sliceOfService(service.id), service.units.map((unit) => `${unit}.service`)]),
);

const SLICE_BY_UNIT: ReadonlyMap<string, string> = new Map(
  [...UNITS_BY_SLICE].flatMap(([slice, units]) => units.map((unit) => [unit, slice] as const)),
);

/** The full unit names (`dovecot2.service`) of a service's slice; undefined for a slice no service has. */
export function unitsOfSlice(slice: string): readonly string[] | undefined {
  return UNITS_BY_SLICE.get(slice);
}

/** The slice an entry of this unit belongs to; null for units of no single service (nginx, the API). */
export function sliceOfUnit(unit: string | null): string | null {
  if (unit === null) return null;
  return SLICE_BY_UNIT.get(unit.endsWith('.service') ? unit : `${unit}.service`) ?? null;
}

/**
 * The units a page or stream reads: those of the unit filter, of the slice filter, or both (the
 * units in both). Empty when the filters share none or the slice is unknown: nothing is read then.
 */
export function unitsToRead(filters: { unit: string | null; slice: string | null }, allUnits: readonly string[]): readonly string[] {
  const ofSlice = filters.slice === null ? allUnits : (unitsOfSlice(filters.slice) ?? []);
  return filters.unit === null ? ofSlice : ofSlice.filter((unit) => unit === filters.unit);
}
