/**
 * Week view on the availability page (issue 11): the seven days around the page's date, ‹ › by
 * week and Today; a slot is edited in place (PUT with If-Match; on 412 the newer version is shown
 * and said so); the early hours of an overnight slot show on the next day. The page's one date
 * picker (#date) drives it: picking a day here sets #date, and a change of #date moves the week.
 * Kept in its own file so availability.js stays small.
 */
import { api, get } from './api.js';
import { subscribe } from './sync-client.js';
import { businessZone, todayIn, fmtTime, fmtDate, halfHours, isOvernight, addDays } from './time.js';

const $ = (id) => document.getElementById(id);
const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

let staffId = null;
let unsubscribe = null;
let generation = 0;
let slots = [];
let editing = null; // slot id being edited: live reloads leave the open form alone

/** Monday of the week holding 'YYYY-MM-DD'. */
export function mondayOf(date) {
  const [y, m, d] = date.split('-').map(Number);
  const dow = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7; // 0 = Monday
  return addDays(date, -dow);
}

function weekdayName(date) {
  const [y, m, d] = date.split('-').map(Number);
  return DAY_NAMES[(new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7];
}

function shortDate(date) { return fmtDate(date).replace(/, \d{4}$/, ''); }

/** Sets the page's date the way a user's pick would, so availability.js follows. */
export function showDate(date) {
  const input = $('date');
  if (!input || input.value === date) { render(); return; }
  input.value = date;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

async function init() {
  const section = $('week-section');
  if (!section) return;
  const zone = await businessZone();
  const me = await get('/api/me');
  staffId = me.role === 'operator' ? null : String(me.id);
  $('week-prev').addEventListener('click', () => showDate(addDays(mondayOf(currentDate()), -7)));
  $('week-next').addEventListener('click', () => showDate(addDays(mondayOf(currentDate()), 7)));
  $('week-today').addEventListener('click', () => showDate(todayIn(zone)));
  // A half-typed or impossible year (0002, 20260) never reaches the server.
  $('date').addEventListener('change', () => { if (sensible($('date').value)) reload(); });
  const picker = $('staff-select');
  if (picker) picker.addEventListener('change', () => reload());
  // The operator's picker is filled by availability.js; wait for it once.
  for (let i = 0; i < 100 && me.role === 'operator' && !(picker && picker.value); i++) await new Promise((r) => setTimeout(r, 50));
  reload();
}

function sensible(date) {
  const y = Number((date || '').slice(0, 4));
  return /^\d{4}-\d{2}-\d{2}$/.test(date || '') && y >= 2000 && y <= 2100;
}

function currentDate() { return $('date').value || todayIn('UTC'); }

function whose() { return staffId || ($('staff-select') && $('staff-select').value) || null; }

export async function reload() {
  const gen = ++generation;
  const id = whose();
  if (!id || !sensible($('date').value)) return;
  const monday = mondayOf(currentDate());
  const from = addDays(monday, -1); // Sunday before: its overnight slot continues into Monday
  const to = addDays(monday, 6);
  let snap;
  try {
    snap = await get(`/api/availability?staffId=${encodeURIComponent(id)}&from=${from}&to=${to}`);
  } catch (e) {
    $('week-error').textContent = e.message;
    $('week-error').hidden = false;
    return;
  }
  if (gen !== generation) return;
  $('week-error').hidden = true;
  slots = snap.items;
  render();
  if (unsubscribe) unsubscribe();
  unsubscribe = subscribe({ since: snap.seq, staffIds: [id], from, to }, (change) => {
    if (gen !== generation) return;
    if (change.type === 'reset' || change.type === 'global_refresh' || String(change.type).startsWith('availability_')) {
      if (editing == null) reload(); else pendingReload = true;
    }
  });
}
let pendingReload = false;

function render() {
  const grid = $('week-grid');
  if (!grid || !$('date').value) return;
  const monday = mondayOf(currentDate());
  $('week-label').textContent = `Week of ${fmtDate(monday)}`;
  const days = [];
  for (let i = 0; i < 7; i++) {
    const date = addDays(monday, i);
    const col = document.createElement('section');
    col.className = 'week-day' + (date === currentDate() ? ' selected' : '');
    col.dataset.date = date;
    const head = document.createElement('button');
    head.type = 'button';
    head.className = 'week-day-head';
    head.textContent = `${weekdayName(date).slice(0, 3)} ${shortDate(date).replace(/^\w+, /, '')}`;
    head.setAttribute('aria-label', `Show ${fmtDate(date)}`);
    head.setAttribute('aria-pressed', String(date === currentDate()));
    head.addEventListener('click', () => showDate(date));
    col.append(head);
    const list = document.createElement('ul');
    list.className = 'week-slots';
    for (const s of slots.filter((x) => x.date === addDays(date, -1) && isOvernight(x.start, x.end))) {
      const li = document.createElement('li');
      li.className = 'week-carry' + (s.available ? '' : ' off');
      li.textContent = `continues from ${weekdayName(s.date)} until ${fmtTime(s.end)}`;
      list.append(li);
    }
    for (const s of slots.filter((x) => x.date === date).sort((a, b) => a.start.localeCompare(b.start))) list.append(slotItem(s));
    if (!list.children.length) {
      const li = document.createElement('li');
      li.className = 'muted';
      li.textContent = 'Nothing set';
      list.append(li);
    }
    col.append(list);
    days.push(col);
  }
  grid.replaceChildren(...days);
}

function slotItem(s) {
  const li = document.createElement('li');
  li.className = 'week-slot' + (s.available ? '' : ' off');
  li.dataset.slotId = String(s.id);
  li.dataset.version = String(s.version);
  if (editing === s.id) { li.append(editForm(s)); return li; }
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'week-slot-edit';
  b.textContent = `${fmtTime(s.start)} – ${fmtTime(s.end)}${s.available ? '' : ' (unavailable)'}${s.note ? ' · ' + s.note : ''}`;
  b.setAttribute('aria-label', `Edit ${b.textContent} on ${fmtDate(s.date)}`);
  b.addEventListener('click', () => { editing = s.id; render(); li.closest('.week-grid')?.querySelector('.week-edit select')?.focus(); });
  li.append(b);
  return li;
}

function timeSelect(name, value, label) {
  const sel = document.createElement('select');
  sel.name = name;
  sel.setAttribute('aria-label', label);
  for (const t of halfHours()) sel.append(new Option(fmtTime(t), t));
  if (![...sel.options].some((o) => o.value === value)) sel.append(new Option(fmtTime(value), value));
  sel.value = value;
  return sel;
}

function editForm(s, notice) {
  const f = document.createElement('form');
  f.className = 'week-edit';
  f.noValidate = true;
  const start = timeSelect('start', s.start, 'Start');
  const end = timeSelect('end', s.end, 'End');
  const note = document.createElement('input');
  note.name = 'note';
  note.maxLength = 500;
  note.value = s.note || '';
  note.placeholder = 'Note';
  note.setAttribute('aria-label', 'Note');
  const save = document.createElement('button');
  save.type = 'submit';
  save.className = 'primary';
  save.textContent = 'Save';
  const cancel = document.createElement('button');
  cancel.type = 'button';
  cancel.textContent = 'Cancel';
  const msg = document.createElement('p');
  msg.className = 'week-edit-msg';
  msg.setAttribute('role', 'status');
  msg.textContent = notice || '';
  cancel.addEventListener('click', () => closeEdit());
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (start.value === end.value) { msg.textContent = 'The end time must differ from the start time.'; return; }
    save.disabled = true;
    try {
      const body = { date: s.date, start: start.value, end: end.value, available: s.available, note: note.value.trim() || null };
      const updated = await api('PUT', `/api/availability/${encodeURIComponent(s.id)}`, body, { headers: { 'If-Match': `"${s.version}"` } });
      slots = slots.map((x) => (x.id === updated.id ? updated : x));
      closeEdit(`Saved ${fmtTime(updated.start)} – ${fmtTime(updated.end)} on ${fmtDate(updated.date)}.`);
    } catch (err) {
      save.disabled = false;
      if (err.code === 'VERSION_MISMATCH') {
        try {
          const newer = await get(`/api/availability/${encodeURIComponent(s.id)}`);
          slots = slots.map((x) => (x.id === newer.id ? newer : x));
          const li = f.closest('li');
          li.dataset.version = String(newer.version);
          f.replaceWith(editForm(newer, `Someone else changed this slot meanwhile; this is the newer version `
            + `(${fmtTime(newer.start)} – ${fmtTime(newer.end)}). Make your change again if it is still needed.`));
        } catch { msg.textContent = 'This slot was removed meanwhile.'; }
      } else {
        msg.textContent = err.message;
      }
    }
  });
  f.append(start, end, note, save, cancel, msg);
  return f;
}

function closeEdit(said) {
  editing = null;
  if (pendingReload) { pendingReload = false; reload(); } else render();
  if (said) { $('week-status').textContent = said; }
}

init().catch((e) => { const el = $('week-error'); if (el) { el.textContent = e.message; el.hidden = false; } });
