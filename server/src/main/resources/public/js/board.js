/**
 * Operator board: one row per active therapist and driver, their availability for a date along
 * a 00:00 → 06:00 (next day) axis, so overnight blocks run across midnight and the previous
 * day's overnight blocks show in the early hours. Both lists (staff, slots) are live-collection.js
 * collections: a snapshot, then the changes from its seq.
 */
import { get } from './api.js';
import { initHeader } from './header.js';
import { onStatus, STATUS_TEXT } from './sync-client.js';
import { liveCollection } from './live-collection.js';
import { businessZone, todayIn, addDays, minutes, isOvernight, fmtTime, fmtDate, halfHours, clockNow } from './time.js';

const AXIS_START = 0;          // minutes from midnight of the board's date
const AXIS_END = 30 * 60;      // 06:00 the next day
const SPAN = AXIS_END - AXIS_START;
const BOARD_ROLES = ['therapist', 'driver'];

const $ = (id) => document.getElementById(id);
const dateInput = $('board-date');

const SLOT_EVENTS = { availability_created: 'upsert', availability_updated: 'upsert', availability_deleted: 'remove' };

/** What the page remembers besides its two live lists. */
const view = {
  zone: 'UTC',
  freeQuery: null,            // {start, end} while "who is free" is active
  freeIds: new Set(),
  freeTimer: null,
};

/** Every staff member (rows show the active therapists and drivers). */
const staff = liveCollection({
  events: { staff_updated: 'upsert' },
  view: () => ({ url: '/api/staff' }),
  onLoad: () => renderRows(),
  onChange: ({ id }) => { renderRows(id); setLastUpdate(); },
  onError: (e) => showError(e.message),
});

/** The date's slots, and the day before's overnight ones that run into its early hours. */
const slots = liveCollection({
  events: SLOT_EVENTS,
  view: () => {
    const date = dateInput.value;
    const prev = addDays(date, -1);
    return {
      url: `/api/availability?from=${prev}&to=${date}`,
      scope: { from: prev, to: date },
      accept: (s) => s.date === date || (s.date === prev && isOvernight(s.start, s.end)),
    };
  },
  onLoad: () => {
    showError('');
    $('board').dataset.date = dateInput.value;
    renderRows();
    setLastUpdate();
  },
  onChange: onSlotChange,
  onError: (e) => showError(e.message),
});

main().catch((e) => showError(e.message));

async function main() {
  await initHeader({ roles: ['operator'] });
  view.zone = await businessZone();
  onStatus((s) => {
    $('sync-status').textContent = STATUS_TEXT[s];
    $('sync-status').dataset.status = s;
  });
  dateInput.value = new URLSearchParams(location.search).get('date') || todayIn(view.zone);
  drawAxis();
  for (const t of halfHours()) {
    $('free-start').append(new Option(fmtTime(t), t));
    $('free-end').append(new Option(fmtTime(t), t));
  }
  $('free-start').value = '13:00';
  $('free-end').value = '17:00';

  dateInput.addEventListener('change', () => { if (dateInput.value) changeDate(dateInput.value); });
  $('prev-day').addEventListener('click', () => changeDate(addDays(dateInput.value, -1)));
  $('next-day').addEventListener('click', () => changeDate(addDays(dateInput.value, 1)));
  $('today').addEventListener('click', () => changeDate(todayIn(view.zone)));
  $('role-filter').addEventListener('change', () => { applyFilters(); if (view.freeQuery) runFreeQuery(); });
  $('name-filter').addEventListener('input', applyFilters);
  $('free-form').addEventListener('submit', (e) => {
    e.preventDefault();
    view.freeQuery = { start: $('free-start').value, end: $('free-end').value };
    runFreeQuery();
  });
  $('free-clear').addEventListener('click', clearFree);

  await Promise.all([staff.load(), slots.load()]);
}

function changeDate(date) {
  dateInput.value = date;
  history.replaceState(null, '', '?date=' + encodeURIComponent(date));
  slots.load();
  if (view.freeQuery) runFreeQuery();
}

function showError(text) {
  $('board-error').textContent = text || '';
  $('board-error').hidden = !text;
}

function setLastUpdate() { $('last-update').textContent = 'Last update ' + clockNow(); }

function onBoard(s) { return s.active && BOARD_ROLES.includes(s.role); }

function onSlotChange({ action, id, item, previous }) {
  const staffIds = new Set([item, previous].filter(Boolean).map((s) => String(s.staffId)));
  for (const staffId of staffIds) renderTrack(staffId, action === 'upsert' ? id : null, action === 'remove');
  setLastUpdate();
  if (view.freeQuery) scheduleFreeQuery();
}

// --------------------------------------------------------------------------------- drawing

function drawAxis() {
  const axis = $('axis');
  axis.replaceChildren();
  for (let m = AXIS_START; m <= AXIS_END; m += 180) {
    const tick = document.createElement('span');
    tick.className = 'tick' + (m % 1440 === 0 ? ' midnight' : '');
    tick.style.left = pct(m);
    const h = (m / 60) % 24;
    tick.textContent = m % 1440 === 0 && m > 0 ? 'midnight' : `${String(h).padStart(2, '0')}:00`;
    axis.append(tick);
  }
}

function pct(m) { return ((m - AXIS_START) / SPAN) * 100 + '%'; }

/** Re-renders the list of rows; `flashStaffId` highlights one row. */
function renderRows(flashStaffId) {
  const rows = $('rows');
  const people = staff.values().filter(onBoard).sort((a, b) => a.name.localeCompare(b.name));
  const existing = new Map([...rows.children].map((r) => [r.dataset.staffId, r]));
  const next = people.map((s) => {
    const row = existing.get(String(s.id)) || makeRow(s);
    fillNameCell(row, s);
    fillTrack(row.querySelector('.track'), String(s.id));
    return row;
  });
  rows.replaceChildren(...next);
  applyFilters();
  markFree();
  if (flashStaffId) { const r = rowOf(flashStaffId); if (r) flash(r); }
}

function rowOf(staffId) { return $('rows').querySelector(`.board-row[data-staff-id="${CSS.escape(staffId)}"]`); }

function makeRow(s) {
  const row = document.createElement('div');
  row.className = 'board-row';
  row.dataset.staffId = String(s.id);
  const name = document.createElement('div');
  name.className = 'name-cell';
  const track = document.createElement('div');
  track.className = 'track';
  row.append(name, track);
  return row;
}

function fillNameCell(row, s) {
  row.dataset.role = s.role;
  row.dataset.name = s.name.toLowerCase();
  const cell = row.querySelector('.name-cell');
  cell.replaceChildren();
  // issue 11: a person's name opens their week
  const name = document.createElement('a');
  name.className = 'staff-name';
  const weekOf = () => `/availability.html?staffId=${encodeURIComponent(s.id)}&date=${encodeURIComponent($('board-date').value || '')}`;
  name.href = weekOf();
  name.addEventListener('click', () => { name.href = weekOf(); }); // the board's date may have moved since
  name.textContent = s.name;
  const role = document.createElement('span');
  role.className = 'role-badge role-' + s.role;
  role.textContent = s.role;
  cell.append(name, role);
  cell.title = s.name;
}

function renderTrack(staffId, flashSlotId, flashRow) {
  const row = rowOf(staffId);
  if (!row) return;
  fillTrack(row.querySelector('.track'), staffId);
  if (flashSlotId) {
    const block = row.querySelector(`.block[data-slot-id="${CSS.escape(flashSlotId)}"]`);
    if (block) flash(block);
  }
  if (flashRow) flash(row);
}

function fillTrack(track, staffId) {
  const date = dateInput.value;
  const blocks = [];
  for (const s of slots.values()) {
    if (String(s.staffId) !== staffId) continue;
    const carry = s.date !== date; // the previous day's overnight slot
    let from = carry ? 0 : minutes(s.start);
    let to = isOvernight(s.start, s.end) ? minutes(s.end) + (carry ? 0 : 1440) : minutes(s.end);
    const clipped = to > AXIS_END;
    to = Math.min(to, AXIS_END);
    from = Math.max(from, AXIS_START);
    if (to <= from) continue;
    const b = document.createElement('div');
    b.className = `block ${s.available ? 'available' : 'unavailable'}${carry ? ' carry' : ''}${clipped ? ' clipped' : ''}`;
    b.dataset.slotId = String(s.id);
    b.dataset.version = String(s.version);
    b.dataset.available = String(s.available);
    b.style.left = pct(from);
    b.style.width = `calc(${((to - from) / SPAN) * 100}% - 2px)`;
    const label = `${fmtTime(s.start)}–${fmtTime(s.end)}`;
    b.textContent = label;
    b.title = `${label} · ${s.available ? 'Available' : 'Unavailable'}` +
      (carry ? ` · overnight from ${fmtDate(s.date)}` : isOvernight(s.start, s.end) ? ' · overnight' : '') +
      (s.note ? ` · ${s.note}` : '');
    blocks.push(b);
  }
  track.replaceChildren(...blocks);
}

function flash(node) {
  node.classList.remove('flash');
  void node.offsetWidth;
  node.classList.add('flash');
}

// ------------------------------------------------------------------------- filters and "free"

function applyFilters() {
  const role = $('role-filter').value;
  const name = $('name-filter').value.trim().toLowerCase();
  let shown = 0;
  for (const row of $('rows').children) {
    const visible = (!role || row.dataset.role === role) && (!name || row.dataset.name.includes(name));
    row.hidden = !visible;
    if (visible) shown++;
  }
  $('board-empty').hidden = shown > 0;
}

function scheduleFreeQuery() {
  clearTimeout(view.freeTimer);
  view.freeTimer = setTimeout(runFreeQuery, 250);
}

async function runFreeQuery() {
  if (!view.freeQuery) return;
  const q = { ...view.freeQuery };
  const date = dateInput.value;
  const p = new URLSearchParams({ date, start: q.start, end: q.end });
  if ($('role-filter').value) p.set('role', $('role-filter').value);
  try {
    const res = await get('/api/available-staff?' + p);
    if (view.freeQuery?.start !== q.start || view.freeQuery?.end !== q.end || dateInput.value !== date) return;
    view.freeIds = new Set(res.items.map((s) => String(s.id)));
    const names = res.items.map((s) => s.name);
    $('free-result').textContent = names.length
      ? `${names.length} free from ${fmtTime(q.start)} to ${fmtTime(q.end)}: ${names.join(', ')}`
      : `Nobody is free from ${fmtTime(q.start)} to ${fmtTime(q.end)}.`;
    $('free-clear').hidden = false;
    markFree();
  } catch (e) {
    $('free-result').textContent = e.message;
  }
}

function clearFree() {
  view.freeQuery = null;
  view.freeIds = new Set();
  $('free-result').textContent = '';
  $('free-clear').hidden = true;
  markFree();
}

function markFree() {
  for (const row of $('rows').children) row.classList.toggle('free', view.freeIds.has(row.dataset.staffId));
}
