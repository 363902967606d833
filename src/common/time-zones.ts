import { TIME_ZONE_MAX } from './limits.js';

/** The shape of an IANA name (`Europe/Paris`, `America/Argentina/Buenos_Aires`, `Etc/GMT+5`, `UTC`): no offsets. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/** One formatter per zone: building one costs far more than using it, and the zones in use are few. */
const hourFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The name to store for a time zone a user chose, or null when it is not one: an IANA name (or one of its aliases,
 * such as `Asia/Kolkata` or `US/Eastern`) that this runtime's time zone database knows. A name in the wrong case is
 * given its proper case; an alias is kept as chosen (the browser and the server may know different canonical names
 * for it, and both accept either).
 */
export function timeZoneName(value: string): string | null {
  if (value.length > TIME_ZONE_MAX || !ZONE_NAME.test(value)) return null;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
  return resolved.toLowerCase() === value.toLowerCase() ? resolved : value;
}

/** The hour (0-23) that clocks in this zone show at this instant; a zone the runtime does not know counts as UTC. */
export function hourIn(zone: string | null, at: Date): number {
  const name = zone && timeZoneName(zone) ? zone : 'UTC';
  let format = hourFormats.get(name);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: name, hour: 'numeric', hourCycle: 'h23' });
    hourFormats.set(name, format);
  }
  return Number(format.formatToParts(at).find((part) => part.type === 'hour')?.value);
}

/**
 * Of these time zones (null: none set, which is UTC), those whose clocks show `hour` at this instant: the readers in
 * them are due for what happens at that hour of their day. A zone with a half-hour offset (India, +5:30) is due at the
 * instant its clocks show hour:30, the hourly run that falls within that hour.
 */
export function zonesAtHour<Zone extends string | null>(zones: Zone[], at: Date, hour: number): Zone[] {
  return zones.filter((zone) => hourIn(zone, at) === hour);
}
