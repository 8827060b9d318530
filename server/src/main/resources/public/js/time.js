/**
 * Date and time helpers. Dates are business-local 'YYYY-MM-DD' strings and times 'HH:mm',
 * exactly as the API speaks them; no Date arithmetic in hours (dates step by calendar day).
 */
import { get } from './api.js';

let zonePromise = null;
let knownZone = null; // the business zone once known: clockNow() speaks it

/** The business time zone from GET /health ("timeZone"), else the browser's own zone. */
export function businessZone() {
  if (!zonePromise) {
    zonePromise = get('/health', { authRedirect: false })
      .then((h) => (h && typeof h.timeZone === 'string' && h.timeZone) || browserZone())
      .then((z) => { knownZone = z; return z; })
      .catch(() => browserZone());
  }
  return zonePromise;
}

function browserZone() { return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'; }

/** Today's date in the given IANA zone, as 'YYYY-MM-DD'. */
export function todayIn(zone) {
  try {
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(new Date());
    const v = (t) => parts.find((p) => p.type === t).value;
    return `${v('year')}-${v('month')}-${v('day')}`;
  } catch {
    return todayIn('UTC');
  }
}

/** Calendar arithmetic on a 'YYYY-MM-DD' string. */
export function addDays(date, n) {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return t.toISOString().slice(0, 10);
}

/** 'HH:mm' → minutes since midnight. */
export function minutes(hhmm) {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** True when the slot runs past midnight (end earlier than start). */
export function isOvernight(start, end) { return minutes(end) < minutes(start); }

/** '13:30' → '1:30 PM'. */
export function fmtTime(hhmm) {
  const mins = minutes(hhmm);
  const h = Math.floor(mins / 60), m = mins % 60;
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${h12}:${String(m).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`;
}

/** '2025-01-02' → 'Thu, Jan 2, 2025' (weekday computed in UTC to avoid zone shifts). */
export function fmtDate(date) {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' })
    .format(new Date(Date.UTC(y, m - 1, d)));
}

/** Every 'HH:mm' of the day in 30-minute steps. */
export function halfHours() {
  const out = [];
  for (let i = 0; i < 48; i++) out.push(`${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`);
  return out;
}

/** The time now in the business zone (once businessZone() has answered), 12-hour, for "last update" labels. */
export function clockNow() {
  return new Date().toLocaleTimeString('en-US', { timeZone: knownZone || undefined, hour: 'numeric', minute: '2-digit', second: '2-digit', hour12: true });
}
