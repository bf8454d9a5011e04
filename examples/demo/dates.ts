/**
 * Calendar arithmetic on `YYYY-MM-DD` strings in UTC. Reports are per UTC day;
 * keeping days as strings makes them portable columns and stable JSON.
 */

const DAY_MS = 86_400_000;

export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00.000Z`) + days * DAY_MS));
}

/** The instant a day starts, as an ISO timestamp. */
export function dayStart(day: string): string {
  return `${day}T00:00:00.000Z`;
}

/** Whole days from `from` to `to`, inclusive of both. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;
}
