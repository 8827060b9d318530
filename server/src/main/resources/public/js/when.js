/**
 * Instants (UTC ISO strings from the API) shown in the business time zone, in the one 12-hour
 * AM/PM format the pages use: fmtClock → "3:45 PM", fmtDay → "Thu 10 Dec", fmtWhen → both,
 * ago → "2 min ago".
 */
export function fmtClock(iso, zone) {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', minute: '2-digit', hour12: true }).format(new Date(iso));
}

export function fmtWhen(iso, zone) {
  const d = new Date(iso);
  const day = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short' }).format(d);
  return `${day.replace(',', '')}, ${fmtClock(iso, zone)}`;
}

/** 'YYYY-MM-DD' → 'Thu 10 Dec'. */
export function fmtDay(date) {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' })
    .format(new Date(Date.UTC(y, m - 1, d))).replace(',', '');
}

/** "just now", "2 min ago", "3 h ago", or the day and time for anything older than a day. */
export function ago(iso, zone, now = Date.now()) {
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.max(1, Math.round(s / 60))} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return fmtWhen(iso, zone);
}

/** The current time in the zone, for "last update" labels. */
export function clockNowIn(zone) {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', minute: '2-digit', second: '2-digit', hour12: true })
    .format(new Date());
}
