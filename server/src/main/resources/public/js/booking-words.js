/**
 * Words and geometry the booking modules (and the board) share: status words, a visit's one-line
 * summary, its people, where a dated item (slot or visit) lies on the board's axis, and the
 * labelled checkbox their forms pick services and people with.
 */
import { minutes, isOvernight, fmtTime } from './time.js';

export const AXIS_END = 30 * 60;     // the board's axis: 00:00 → 06:00 the next day, in minutes

export const STATUS_WORDS = {
  pending: 'pending', confirmed: 'confirmed', rejected: 'rejected', in_progress: 'in progress',
  completed: 'completed', cancelled: 'cancelled',
};
export const PAYMENT_WORDS = { cash: 'Cash', gcash: 'GCash', bank_transfer: 'Bank transfer' };

/** Where an item with date/start/end (a slot or a visit) lies on the board of `date`: {from, to, carry, clipped} or null. */
export function spanOn(item, date) {
  const carry = item.date !== date; // the day before's, running past midnight
  const from = carry ? 0 : minutes(item.start);
  let to = isOvernight(item.start, item.end) ? minutes(item.end) + (carry ? 0 : 1440) : minutes(item.end);
  const clipped = to > AXIS_END;
  to = Math.min(to, AXIS_END);
  return to > from ? { from, to, carry, clipped } : null;
}

/** "Swedish + Foot reflexology". */
export function serviceNames(a) { return a.services.map((s) => s.name).join(' + '); }

export function people(a) { return [...a.therapists, ...(a.driver ? [a.driver] : [])]; }

/** "Swedish for Maria Clara with Anna Reyes at 2:00 PM". */
export function summary(a) {
  const who = people(a).map((p) => p.name).join(' and ');
  return `${serviceNames(a)} for ${a.client.name}${who ? ` with ${who}` : ''} at ${fmtTime(a.start)}`;
}


/** `<label class="check"><input type="checkbox" name value> text</label>`; the label names the box. */
export function checkLabel(name, value, text, checked = false, data = {}) {
  const label = document.createElement('label');
  label.className = 'check';
  const input = document.createElement('input');
  input.type = 'checkbox';
  input.name = name;
  input.value = String(value);
  input.checked = checked;
  Object.assign(input.dataset, data);
  label.append(input, ' ' + text);
  return label;
}
