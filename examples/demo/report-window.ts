import { fail } from '../../src/errors/gatehouse-error.js';
import type { MailroomDeps } from './context.js';
import { addDays, dayStart, daysBetween } from './dates.js';

/** The longest window a report covers; longer ones are usually a typo in a year. */
export const MAX_WINDOW_DAYS = 366;

export interface ReportWindow {
  readonly from: string;
  readonly to: string;
  readonly days: number;
  readonly availableFrom: string;
  readonly availableTo: string;
  /** Stats are complete up to the end of the last day recorded. */
  readonly dataAsOf: string;
}

/**
 * Resolves a report window against the days that have data. Defaults to the
 * last 30 days with data; a window entirely outside them is `data_unavailable`
 * with the range that does exist, so the model can retry with a good one.
 */
export async function resolveWindow(db: MailroomDeps['db'], orgId: string, requested: { from?: string | undefined; to?: string | undefined }): Promise<ReportWindow> {
  const range = await db
    .selectFrom('mailroom_daily_stats')
    .select((eb) => [eb.fn.min('day').as('first'), eb.fn.max('day').as('last')])
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  const availableFrom = range?.first ?? null;
  const availableTo = range?.last ?? null;
  if (availableFrom === null || availableTo === null) {
    throw fail('data_unavailable', 'No email activity has been recorded for this account yet', { available_from: null, available_to: null });
  }
  const to = requested.to ?? (requested.from === undefined ? availableTo : minDay(addDays(requested.from, 29), availableTo));
  const from = requested.from ?? maxDay(addDays(to, -29), availableFrom);
  if (from > to) throw fail('invalid_input', `from (${from}) must be on or before to (${to})`, { field: 'from' });
  const days = daysBetween(from, to);
  if (days > MAX_WINDOW_DAYS) throw fail('invalid_input', `The window is ${days} days; at most ${MAX_WINDOW_DAYS} are allowed`, { field: 'to' });
  if (to < availableFrom || from > availableTo) {
    throw fail('data_unavailable', `No data between ${from} and ${to}; data is available from ${availableFrom} to ${availableTo}`, {
      available_from: availableFrom,
      available_to: availableTo,
    });
  }
  return { from, to, days, availableFrom, availableTo, dataAsOf: dayStart(addDays(availableTo, 1)) };
}

function minDay(a: string, b: string): string {
  return a < b ? a : b;
}

function maxDay(a: string, b: string): string {
  return a > b ? a : b;
}
