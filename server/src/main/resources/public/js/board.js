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
import { businessZone, todayIn, addDays, minutes, isOvernight, fmtTime, fmtDate, halfHours } from './time.js';
// --- issue 12: workspace (detail panel, activity feed, business-zone clock) ---
import { openDetails } from './detail-panel.js';
import { initActivityFeed } from './activity-feed.js';
import { clockNowIn } from './when.js';
// --- issue 10: bookings on the board (lanes, free stretches, needs attention, form, panel) ---
import { initBookings } from './booking-board.js';
import { spanOn, AXIS_END } from './booking-words.js'; // AXIS_END: 06:00 the next day
const SHORT_BLOCK_PX = 64;   // narrower blocks show no label; their times are in the detail panel
// --- end issue 12 ---

const AXIS_START = 0;          // minutes from midnight of the board's date
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
  highlightSlotId: null,      // the slot a feed entry pointed at: kept highlighted through redraws
};
let bookings = null;          // issue 10: set up once the business zone is known

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
    if (s !== 'connecting') announce(`Connection: ${STATUS_TEXT[s]}`);
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

  bookings = initBookings({
    date: () => dateInput.value,
    staff: (id) => staff.get(String(id)),
    staffValues: () => staff.values(),
    slotsValues: () => slots.values(),
    zone: view.zone,
    announce,
    redraw: (staffIds) => { if (staffIds) for (const id of staffIds) renderTrack(id); else renderRows(); setLastUpdate(); },
    onError: (e) => showError(e.message),
  });
  await Promise.all([staff.load(), slots.load(), bookings.loadAll()]);
  scrollToInteresting();
  setInterval(drawNowLine, 60000);
  // --- issue 12: activity feed ---
  await initActivityFeed({
    root: $('activity'),
    zone: view.zone,
    nameOf: (id) => (id == null ? null : staff.get(String(id))?.name),
    actives: new Map(staff.values().map((s) => [String(s.id), s.active])),
    announce,
    onShow: showChange,
  });
  // --- end issue 12 ---
}

// ------------------------------------------------------------------ issue 12: workspace helpers

/** Polite announcements for screen readers (connection status, incoming changes). */
function announce(text) {
  const live = $('board-announcer');
  if (!live) return;
  live.textContent = '';
  setTimeout(() => { live.textContent = text; }, 50);
}

/** A feed entry clicked: go to its date and highlight the block (or the row when the block is gone). */
async function showChange(e) {
  const date = e.date;
  if (date && date !== dateInput.value) { changeDate(date); await waitForDate(date); }
  const staffId = String(e.data?.staffId ?? e.staffId ?? e.data?.id ?? '');
  const block = e.data?.id != null && e.type.startsWith('availability')
    ? $('rows').querySelector(`.block[data-slot-id="${CSS.escape(String(e.data.id))}"]`) : null;
  const target = block || rowOf(staffId);
  if (!target) { announce('That change is no longer on the board.'); return; }
  for (const h of document.querySelectorAll('.highlight')) h.classList.remove('highlight');
  view.highlightSlotId = block ? block.dataset.slotId : null; // a later redraw (the day's visits arriving) keeps it
  target.classList.add('highlight');
  target.scrollIntoView({ block: 'center', inline: 'center' });
  (block || target.querySelector('.name-button') || target).focus({ preventScroll: true });
}

function waitForDate(date) {
  return new Promise((resolve) => {
    const until = Date.now() + 5000;
    const check = () => ($('board').dataset.date === date || Date.now() > until ? resolve() : setTimeout(check, 30));
    check();
  });
}

/** Today: scroll to now; other days: to the first availability (or working hours). Phones too. */
function scrollToInteresting() {
  const box = document.querySelector('.board-scroll');
  const track = $('axis');
  if (!box || !track) return;
  let m = 8 * 60;
  if (dateInput.value === todayIn(view.zone)) m = nowMinutes() - 60;
  else {
    const starts = slots.values().filter((s) => s.date === dateInput.value).map((s) => minutes(s.start));
    if (starts.length) m = Math.min(...starts) - 30;
  }
  const x = (Math.max(0, m - AXIS_START) / SPAN) * track.clientWidth;
  box.scrollLeft = Math.max(0, x);
}

function nowMinutes() {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: view.zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date());
  const v = (t) => Number(parts.find((p) => p.type === t).value);
  return v('hour') * 60 + v('minute');
}

/** The "now" line across every track, on today's board only. */
function drawNowLine() {
  const board = $('board');
  let line = $('now-line');
  if (dateInput.value !== todayIn(view.zone)) { if (line) line.hidden = true; return; }
  if (!line) {
    line = document.createElement('div');
    line.id = 'now-line';
    line.className = 'now-line';
    line.setAttribute('aria-hidden', 'true');
    board.append(line);
  }
  line.hidden = false;
  line.style.setProperty('--now', String((nowMinutes() - AXIS_START) / SPAN));
  line.dataset.label = 'Now ' + clockNowIn(view.zone).replace(/:\d\d (?=[AP]M)/, ' ');
}

function slotWords(s, carry) {
  const kind = s.available ? 'available' : 'unavailable';
  const over = carry ? `, overnight from ${fmtDate(s.date)}` : isOvernight(s.start, s.end) ? ', overnight' : '';
  return `${kind} ${fmtTime(s.start)} – ${fmtTime(s.end)}${over}${s.note ? `, note: ${s.note}` : ''}`;
}

function openSlotDetails(button, s, carry) {
  const person = staff.get(String(s.staffId));
  openDetails(button, person ? person.name : 'Slot', [
    ['Status', s.available ? 'Available' : 'Unavailable'],
    ['Time', `${fmtTime(s.start)} – ${fmtTime(s.end)}${isOvernight(s.start, s.end) ? ' (ends the next day)' : ''}`],
    ['Date', fmtDate(s.date) + (carry ? ' (overnight into this day)' : '')],
    ['Note', s.note],
    ...staffRows(person),
  ]);
}

function staffRows(p) {
  if (!p) return [];
  const link = document.createElement('a');
  link.href = `/availability.html?staffId=${p.id}&date=${dateInput.value}`;
  link.textContent = `Edit ${p.name}'s availability`;
  return [['Role', p.role === 'driver' ? 'Driver' : 'Therapist'], ['Phone', p.phone], ['Specialization', p.specialization],
    ['Pressure', p.pressure], ['Vehicle plate', p.vehiclePlate], ['Availability', link]];
}

function openStaffDetails(button, p) {
  openDetails(button, p.name, staffRows(p));
}
// ------------------------------------------------------------------ end issue 12 helpers

function changeDate(date) {
  dateInput.value = date;
  history.replaceState(null, '', '?date=' + encodeURIComponent(date));
  // issue 12: a new date opens at its first availability (or now, for today)
  slots.load().then(() => { if (dateInput.value === date) scrollToInteresting(); });
  bookings?.load();
  if (view.freeQuery) runFreeQuery();
}

function showError(text) {
  $('board-error').textContent = text || '';
  $('board-error').hidden = !text;
}

function setLastUpdate() { $('last-update').textContent = 'Last update ' + clockNowIn(view.zone); }

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
    tick.textContent = m % 1440 === 0 ? 'midnight' : `${h % 12 === 0 ? 12 : h % 12} ${h < 12 ? 'AM' : 'PM'}`;
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
  // re-inserting the rows takes focus from whatever was focused in them: give it back
  const focused = rows.contains(document.activeElement) ? document.activeElement : null;
  rows.replaceChildren(...next);
  if (focused?.isConnected && document.activeElement !== focused) focused.focus({ preventScroll: true });
  drawNowLine();
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
  const name = document.createElement('button');
  name.type = 'button';
  name.className = 'staff-name name-button';
  name.textContent = s.name;
  name.setAttribute('aria-label', `${s.name}, ${s.role}: contact and details`);
  name.addEventListener('click', () => openStaffDetails(name, staff.get(String(s.id)) || s));
  const role = document.createElement('span');
  role.className = 'role-badge role-' + s.role;
  role.textContent = s.role;
  // issue 11: the person's week, one click from their row (the name opens their details)
  const week = document.createElement('a');
  week.className = 'week-link';
  week.textContent = 'Week';
  week.setAttribute('aria-label', `${s.name}: open their week`);
  const weekOf = () => `/availability.html?staffId=${encodeURIComponent(s.id)}&date=${encodeURIComponent($('board-date').value || '')}`;
  week.href = weekOf();
  week.addEventListener('click', () => { week.href = weekOf(); }); // the board's date may have moved since
  cell.append(name, role, week);
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
    const span = spanOn(s, date);
    if (!span) continue;
    const { from, to, carry, clipped } = span;
    const b = document.createElement('button');
    b.type = 'button';
    b.className = `block ${s.available ? 'available' : 'unavailable'}${carry ? ' carry' : ''}${clipped ? ' clipped' : ''}`;
    b.dataset.slotId = String(s.id);
    if (b.dataset.slotId === view.highlightSlotId) b.classList.add('highlight');
    b.dataset.version = String(s.version);
    b.dataset.available = String(s.available);
    b.style.left = pct(from);
    b.style.width = `calc(${((to - from) / SPAN) * 100}% - 2px)`;
    const label = `${fmtTime(s.start)} – ${fmtTime(s.end)}`;
    const px = ((to - from) / SPAN) * (track.clientWidth || 1600);
    b.textContent = px < SHORT_BLOCK_PX ? '' : px < 2 * SHORT_BLOCK_PX ? `${fmtTime(s.start)} –` : label;
    if (px < SHORT_BLOCK_PX) b.classList.add('short');
    const person = staff.get(staffId);
    b.setAttribute('aria-label', `${person ? person.name : 'Staff'}, ${slotWords(s, carry)}`);
    b.addEventListener('click', () => openSlotDetails(b, s, carry));
    blocks.push(b);
  }
  if (bookings) blocks.push(...bookings.lane(staffId, track.clientWidth));
  const f = track.contains(document.activeElement) ? document.activeElement : null;
  const focused = f && (f.dataset.slotId ? `.block[data-slot-id="${CSS.escape(f.dataset.slotId)}"]`
    : f.dataset.appointmentId ? `.visit[data-appointment-id="${CSS.escape(f.dataset.appointmentId)}"]`
      : f.dataset.start ? `.stretch[data-start="${CSS.escape(f.dataset.start)}"]` : null);
  track.replaceChildren(...blocks);
  if (f) {
    const again = focused ? track.querySelector(focused) : null;
    (again || track.closest('.board-row')?.querySelector('.name-button'))?.focus({ preventScroll: true });
  }
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
    showFreeBooking(res.items, q);
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
  showFreeBooking([], null);
  markFree();
}

/** issue 10: a "Book" button per person in the "who is free" answer, prefilled with them and the asked start. */
function showFreeBooking(people, q) {
  const list = $('free-book');
  list.replaceChildren(...people.map((p) => {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = `Book ${p.name}`;
    b.setAttribute('aria-label', `Book ${p.name} from ${fmtTime(q.start)}`);
    b.addEventListener('click', () => bookings?.book(b, { date: dateInput.value, start: q.start, person: staff.get(String(p.id)) || p }));
    li.append(b);
    return li;
  }));
  list.hidden = !people.length;
}

function markFree() {
  for (const row of $('rows').children) row.classList.toggle('free', view.freeIds.has(row.dataset.staffId));
}
