/**
 * My availability: the day's slots of one staff member (themselves, or for operators the one
 * picked), with toggle, delete and an add form. Live: subscribes from each snapshot's seq.
 */
import { api, get } from './api.js';
import { initHeader } from './header.js';
import { subscribe, onStatus, STATUS_TEXT } from './sync-client.js';
import { SlotStore } from './slot-store.js';
import { businessZone, todayIn, fmtTime, fmtDate, halfHours, isOvernight, addDays, clockNow } from './time.js';

const $ = (id) => document.getElementById(id);
const form = $('add-form');
const dateInput = $('date');

let me = null;
let staffId = null;           // whose availability is shown
let staffList = [];           // operators: therapists and drivers, including disabled ones
let store = new SlotStore();
let unsubscribe = null;
let unsubscribeStaff = null;
let loadGeneration = 0;
let confirmedOvernight = null; // "date|start|end" already confirmed through the overnight preset
const applied = (window.__rcsApplied = []); // [{type, id, at}] for browser tests (bounded)

main().catch((e) => showError($('list-error'), e.message));

async function main() {
  me = await initHeader();
  fillTimeSelect($('add-start'), '13:00');
  fillTimeSelect($('add-end'), '17:00');
  onStatus((s) => {
    const el = $('sync-status');
    el.textContent = STATUS_TEXT[s];
    el.dataset.status = s;
  });

  const params = new URLSearchParams(location.search);
  const today = todayIn(await businessZone());
  dateInput.value = params.get('date') || today;
  $('add-date').value = dateInput.value;

  if (me.role === 'operator') {
    $('page-heading').textContent = 'Availability';
    $('staff-section').hidden = false;
    await loadStaff(params.get('staffId'));
    $('staff-select').addEventListener('change', () => { staffId = $('staff-select').value; rememberView(); renderStaffState(); reload(); });
    $('staff-toggle').addEventListener('click', toggleStaffActive);
  } else {
    staffId = String(me.id);
  }

  dateInput.addEventListener('change', () => {
    if (!dateInput.value) return;
    $('add-date').value = dateInput.value;
    rememberView();
    reload();
  });
  form.addEventListener('submit', onAdd);
  form.addEventListener('change', () => renderOvernightHint());
  for (const b of document.querySelectorAll('.preset')) b.addEventListener('click', () => applyPreset(b));
  addEventListener('pagehide', () => { if (unsubscribe) unsubscribe(); if (unsubscribeStaff) unsubscribeStaff(); });
  renderOvernightHint();
  await reload();
}

function rememberView() {
  const p = new URLSearchParams({ date: dateInput.value });
  if (me.role === 'operator' && staffId) p.set('staffId', staffId);
  history.replaceState(null, '', '?' + p);
}

// ------------------------------------------------------------------------------- staff picker

async function loadStaff(preferred) {
  const snap = await get('/api/staff');
  staffList = snap.items.filter((s) => s.role !== 'operator');
  const select = $('staff-select');
  select.replaceChildren();
  for (const s of staffList) select.append(new Option(staffLabel(s), String(s.id)));
  const pick = staffList.find((s) => String(s.id) === preferred) || staffList.find((s) => s.active) || staffList[0];
  staffId = pick ? String(pick.id) : null;
  if (staffId) select.value = staffId;
  renderStaffState();
  if (unsubscribeStaff) unsubscribeStaff();
  unsubscribeStaff = subscribe({ since: snap.seq, types: ['staff_updated'] }, onStaffChange);
}

function staffLabel(s) {
  return `${s.name} (${s.role})${s.active ? '' : ' — disabled'}`;
}

function onStaffChange(change) {
  if (change.type === 'reset' || change.type === 'global_refresh') { loadStaff(staffId); return; }
  const s = change.data;
  if (!s || s.role === 'operator') return;
  const i = staffList.findIndex((x) => String(x.id) === String(s.id));
  if (i >= 0) staffList[i] = s; else staffList.push(s);
  const option = [...$('staff-select').options].find((o) => o.value === String(s.id));
  if (option) option.textContent = staffLabel(s);
  else $('staff-select').append(new Option(staffLabel(s), String(s.id)));
  if (String(s.id) === staffId) renderStaffState();
}

function selectedStaff() { return staffList.find((s) => String(s.id) === staffId) || null; }

function renderStaffState() {
  if (me.role !== 'operator') return;
  const s = selectedStaff();
  const disabled = s && !s.active;
  $('staff-state').textContent = s ? (s.active ? 'Active' : 'Disabled') : '';
  $('staff-state').className = 'pill ' + (disabled ? 'pill-off' : 'pill-on');
  $('staff-toggle').textContent = disabled ? 'Enable' : 'Disable';
  $('staff-toggle').hidden = !s;
  $('staff-warning').hidden = !disabled;
  $('staff-warning').textContent = disabled
    ? `${s.name} is disabled: they cannot sign in and no availability can be added for them. Enable them to add availability.`
    : '';
  $('add-panel').hidden = Boolean(disabled) || !s;
}

async function toggleStaffActive() {
  const s = selectedStaff();
  if (!s) return;
  const button = $('staff-toggle');
  button.disabled = true;
  try {
    const updated = await api('PATCH', `/api/staff/${encodeURIComponent(s.id)}`, { active: !s.active });
    onStaffChange({ type: 'staff_updated', data: updated });
  } catch (e) {
    showError($('list-error'), e.message);
  } finally {
    button.disabled = false;
  }
}

// ----------------------------------------------------------------------------- slots of a day

/** Loads the day's snapshot and subscribes from its seq; a newer reload supersedes it. */
async function reload() {
  const gen = ++loadGeneration;
  if (unsubscribe) { unsubscribe(); unsubscribe = null; }
  if (!staffId || !dateInput.value) { store.load([]); render(); return; }
  const date = dateInput.value;
  const id = staffId;
  let snap;
  try {
    snap = await get(`/api/availability?staffId=${encodeURIComponent(id)}&date=${encodeURIComponent(date)}`);
  } catch (e) {
    if (gen === loadGeneration) showError($('list-error'), e.message);
    return;
  }
  if (gen !== loadGeneration) return;
  showError($('list-error'), '');
  store = new SlotStore((s) => String(s.staffId) === id && s.date === date);
  store.load(snap.items);
  render();
  setLastUpdate();
  unsubscribe = subscribe(
    { since: snap.seq, staffIds: [id], from: date, to: date, include: (ev) => Boolean(store.get(ev.data?.id)) },
    (change) => onChange(change, gen),
  );
}

function onChange(change, gen) {
  if (gen !== loadGeneration) return;
  if (change.type === 'reset' || change.type === 'global_refresh') { reload(); return; }
  const result = store.apply(change);
  if (!result) return;
  render(result === 'put' ? change.data.id : null);
  setLastUpdate();
  log(change.type, change.data?.id);
}

function log(type, id) {
  applied.push({ type, id: String(id), at: Date.now() });
  if (applied.length > 200) applied.shift();
}

function setLastUpdate() { $('last-update').textContent = 'Last update ' + clockNow(); }

function render(flashId) {
  const body = $('slots-body');
  const slots = store.values().sort((a, b) => a.start.localeCompare(b.start));
  body.replaceChildren(...slots.map(row));
  $('empty-state').hidden = slots.length > 0;
  $('slots-table').hidden = slots.length === 0;
  if (flashId != null) {
    const tr = body.querySelector(`tr[data-slot-id="${CSS.escape(String(flashId))}"]`);
    if (tr) flash(tr);
  }
}

function row(slot) {
  const tr = document.createElement('tr');
  tr.dataset.slotId = String(slot.id);
  tr.dataset.version = String(slot.version);
  tr.dataset.available = String(slot.available);
  const overnight = isOvernight(slot.start, slot.end);
  const cells = [
    fmtDate(slot.date),
    fmtTime(slot.start),
    fmtTime(slot.end) + (overnight ? ` (${fmtDate(addDays(slot.date, 1)).replace(/, \d{4}$/, '')})` : ''),
  ];
  for (const text of cells) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.append(td);
  }
  const status = document.createElement('td');
  const badge = document.createElement('span');
  badge.className = 'status ' + (slot.available ? 'status-on' : 'status-off');
  badge.textContent = slot.available ? 'Available' : 'Unavailable';
  status.append(badge);
  tr.append(status);

  const actions = document.createElement('td');
  actions.className = 'actions';
  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'toggle';
  toggle.textContent = slot.available ? 'Mark unavailable' : 'Mark available';
  toggle.addEventListener('click', () => toggleSlot(slot.id));
  const del = document.createElement('button');
  del.type = 'button';
  del.className = 'delete danger';
  del.textContent = 'Delete';
  del.addEventListener('click', () => deleteSlot(slot.id));
  actions.append(toggle, del);
  tr.append(actions);
  return tr;
}

function flash(node) {
  node.classList.remove('flash');
  void node.offsetWidth; // restart the animation
  node.classList.add('flash');
}

async function toggleSlot(id) {
  const slot = store.get(id);
  if (!slot) return;
  showError($('form-error'), '');
  try {
    const updated = await api('PATCH', `/api/availability/${encodeURIComponent(id)}`, { available: !slot.available },
      { headers: { 'If-Match': `"${slot.version}"` } });
    log('own_update', updated.id);
    if (store.put(updated)) render(updated.id);
  } catch (e) {
    await showApiError(e);
    if (e.code === 'VERSION_MISMATCH' || e.code === 'NOT_FOUND') reload();
  }
}

async function deleteSlot(id) {
  const slot = store.get(id);
  if (!slot) return;
  if (!confirm(`Delete the slot ${fmtTime(slot.start)} – ${fmtTime(slot.end)} on ${fmtDate(slot.date)}?`)) return;
  showError($('form-error'), '');
  try {
    await api('DELETE', `/api/availability/${encodeURIComponent(id)}`, undefined, { headers: { 'If-Match': `"${slot.version}"` } });
    log('own_delete', id);
    if (store.remove(id)) render();
  } catch (e) {
    if (e.code === 'NOT_FOUND') { store.remove(id); render(); return; }
    await showApiError(e);
    if (e.code === 'VERSION_MISMATCH') reload();
  }
}

// ------------------------------------------------------------------------------------ add form

function fillTimeSelect(select, value) {
  for (const t of halfHours()) select.append(new Option(fmtTime(t), t));
  select.value = value;
}

function renderOvernightHint() {
  $('overnight-hint').hidden = !isOvernight(form.start.value, form.end.value);
}

function applyPreset(button) {
  const { start, end } = button.dataset;
  const date = form.date.value || dateInput.value;
  if (isOvernight(start, end)) {
    if (!confirm(overnightQuestion(date, start, end))) return;
    confirmedOvernight = `${date}|${start}|${end}`;
  }
  form.start.value = start;
  form.end.value = end;
  renderOvernightHint();
}

function overnightQuestion(date, start, end) {
  return `This slot runs overnight: from ${fmtTime(start)} on ${fmtDate(date)} until ${fmtTime(end)} on ${fmtDate(addDays(date, 1))}. Continue?`;
}

async function onAdd(e) {
  e.preventDefault();
  showError($('form-error'), '');
  $('form-success').hidden = true;
  clearFieldErrors();
  const body = {
    date: form.date.value,
    start: form.start.value,
    end: form.end.value,
    available: form.available.checked,
  };
  if (!body.date) { showError($('form-error'), 'Choose a date.'); markField('date'); return; }
  if (body.start === body.end) { showError($('form-error'), 'The end time must differ from the start time.'); markField('end'); return; }
  if (isOvernight(body.start, body.end) && confirmedOvernight !== `${body.date}|${body.start}|${body.end}`) {
    if (!confirm(overnightQuestion(body.date, body.start, body.end))) return;
  }
  if (me.role === 'operator') body.staffId = isNaN(Number(staffId)) ? staffId : Number(staffId);
  const submit = $('add-submit');
  submit.disabled = true;
  try {
    const slot = await api('POST', '/api/availability', body);
    log('own_create', slot.id);
    confirmedOvernight = null;
    if (store.put(slot)) render(slot.id);
    const where = slot.date === dateInput.value ? '' : ` on ${fmtDate(slot.date)}`;
    $('form-success').textContent = `Added ${fmtTime(slot.start)} – ${fmtTime(slot.end)}${where}.`;
    $('form-success').hidden = false;
    // issue 11: one date drives the page; adding on another day shows that day
    if (slot.date !== dateInput.value) { dateInput.value = slot.date; dateInput.dispatchEvent(new Event('change')); }
  } catch (err) {
    await showApiError(err); // the form keeps every value
  } finally {
    submit.disabled = false;
  }
}

async function showApiError(err) {
  let text = err.message;
  if (err.code === 'OVERLAP' && err.error.conflictingSlotId != null) {
    try {
      const other = await get(`/api/availability/${encodeURIComponent(err.error.conflictingSlotId)}`);
      // Say it in the page's own time format instead of the server's 24-hour sentence.
      text = `This clashes with your ${other.available ? 'available' : 'unavailable'} slot ` +
        `${fmtTime(other.start)} – ${fmtTime(other.end)} on ${fmtDate(other.date)}.`;
    } catch { /* the server's sentence alone still explains it */ }
  }
  if (err.fields) for (const name of Object.keys(err.fields)) markField(name, err.fields[name]);
  showError($('form-error'), text);
}

function markField(name, message) {
  const input = form.elements[name];
  if (!input) return;
  input.setAttribute('aria-invalid', 'true');
  if (message) input.title = message;
}

function clearFieldErrors() {
  for (const el of form.querySelectorAll('[aria-invalid]')) { el.removeAttribute('aria-invalid'); el.removeAttribute('title'); }
}

function showError(node, text) {
  node.textContent = text || '';
  node.hidden = !text;
}
