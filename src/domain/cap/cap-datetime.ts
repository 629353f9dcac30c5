import { CapError } from './cap-error.ts';

/** xs:dateTime limits time-zone offsets to ±14:00. */
const MAX_OFFSET_MINUTES = 14 * 60;

const CAP_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})([+-])(\d{2}):(\d{2})$/;
// Agencies' feeds sometimes carry 'Z' or fractions of a second; both are unambiguous, so an import
// accepts them and rewrites the value into the form CAP 1.2 requires.
const IMPORTED_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

export type CapDateTimeParts = {
  /** The instant. */
  readonly date: Date;
  /** The sender's offset from UTC, e.g. 180 for +03:00. */
  readonly offsetMinutes: number;
};

/**
 * Formats an instant as a CAP dateTime in the given UTC offset, e.g. "2026-11-27T03:00:00+00:00".
 * CAP 1.2 forbids 'Z' and fractions of a second, so UTC is written "+00:00" and milliseconds are dropped.
 */
export function formatCapDateTime(date: Date, offsetMinutes = 0): string {
  const time = date.getTime();
  if (!Number.isFinite(time)) throw new CapError('cap.bad_date', 'cannot format an invalid date');
  if (!Number.isInteger(offsetMinutes) || Math.abs(offsetMinutes) > MAX_OFFSET_MINUTES) {
    throw new CapError('cap.bad_date', `UTC offset ${offsetMinutes} min is not a whole number within ±14:00`);
  }
  const local = new Date(Math.floor(time / 1000) * 1000 + offsetMinutes * 60_000);
  const year = local.getUTCFullYear();
  if (year < 1 || year > 9999) throw new CapError('cap.bad_date', `year ${year} cannot be written in CAP`);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const offset = Math.abs(offsetMinutes);
  return (
    `${pad(year, 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(offset / 60))}:${pad(offset % 60)}`
  );
}

/**
 * Reads a CAP dateTime in the strict CAP 1.2 form (numeric offset, no fractions).
 * Throws CapError 'cap.bad_date' otherwise, naming `field` when given.
 */
export function parseCapDateTime(value: string, field?: string): CapDateTimeParts {
  const match = CAP_DATE_TIME.exec(value);
  if (!match) throw badDate(value, field, 'expected YYYY-MM-DDThh:mm:ss+hh:mm, with a numeric UTC offset');
  const [, y, mo, d, h, mi, s, sign, oh, om] = match;
  return partsFrom(
    value,
    field,
    [y, mo, d, h, mi, s].map(Number),
    sign === '-' ? -1 : 1,
    Number(oh),
    Number(om),
  );
}

/** True when `value` is a CAP 1.2 dateTime Haven can send as it stands. */
export function isCapDateTime(value: string): boolean {
  try {
    parseCapDateTime(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads a dateTime from an imported message and returns it in strict CAP 1.2 form, keeping the sender's
 * offset. Accepts 'Z' (as +00:00) and drops fractions of a second; anything else ambiguous or impossible
 * (no offset, 31 February, hour 25) is 'cap.bad_date'.
 */
export function normalizeImportedCapDateTime(value: string, field?: string): string {
  const match = IMPORTED_DATE_TIME.exec(value);
  if (!match) throw badDate(value, field, 'expected YYYY-MM-DDThh:mm:ss+hh:mm, with a numeric UTC offset');
  const [, y, mo, d, h, mi, s, zulu, sign, oh, om] = match;
  const fields = [y, mo, d, h, mi, s].map(Number);
  if (zulu) partsFrom(value, field, fields, 1, 0, 0);
  else partsFrom(value, field, fields, sign === '-' ? -1 : 1, Number(oh), Number(om));
  const offset = zulu ? '+00:00' : `${sign}${oh}:${om}`;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`;
}

function partsFrom(
  value: string,
  field: string | undefined,
  [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0]: number[],
  sign: number,
  offsetHours: number,
  offsetMins: number,
): CapDateTimeParts {
  if (year < 1) throw badDate(value, field, 'year 0000 does not exist');
  if (month < 1 || month > 12) throw badDate(value, field, `month ${month} does not exist`);
  if (day < 1 || day > daysInMonth(year, month))
    throw badDate(value, field, `day ${day} is not in that month`);
  if (hour > 23 || minute > 59 || second > 59) throw badDate(value, field, 'time of day out of range');
  const offsetMinutes = sign * (offsetHours * 60 + offsetMins);
  if (offsetMins > 59 || Math.abs(offsetMinutes) > MAX_OFFSET_MINUTES) {
    throw badDate(value, field, 'UTC offset out of range');
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return { date: new Date(date.getTime() - offsetMinutes * 60_000), offsetMinutes: offsetMinutes + 0 };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function badDate(value: string, field: string | undefined, why: string): CapError {
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return new CapError('cap.bad_date', `${field ?? 'date'} "${shown}" is not a CAP dateTime: ${why}`, field);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}
