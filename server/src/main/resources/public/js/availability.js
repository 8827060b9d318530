/**
 * My availability: the day's slots of one staff member (themselves, or for operators the one
 * picked), with toggle, delete and an add form. The slots and the operator's staff picker are
 * live-collection.js collections: a snapshot, then the changes from its seq.
 */
import { api, get, actionKeys } from './api.js';
import { initHeader } from './header.js';
import { onStatus, STATUS_TEXT } from './sync-client.js';
import { liveCollection } from './live-collection.js';
import { ask } from './confirm-dialog.js';
import { businessZone, todayIn, fmtTime, fmtDate, halfHours, isOvernight, addDays, clockNow } from './time.js';

const $ = (id) => document.getElementById(id);
const form = $('add-form');
const dateInput = $('date');

/** What the page remembers besides its live lists. */
const page = {
  me: null,
  staffId: null,              // whose availability is shown
  confirmedOvernight: null,   // "date|start|end" already confirmed through the overnight preset
};
// An add whose outcome is unknown (timeout, network, 5xx) sent again is a retry and carries the same
// Idempotency-Key, so the server stores it once and answers as the first time; another slot gets a new key.
const addKeys = actionKeys();

/** The day's slots of the person shown. */
const slots = liveCollection({
  events: { availability_created: 'upsert', availability_updated: 'upsert', availability_deleted: 'remove' },
  view: () => {
    const id = page.staffId;
    const date = dateInput.value;
    if (!id || !date) return null;
    return {
      url: `/api/availability?staffId=${encodeURIComponent(id)}&date=${encodeURIComponent(date)}`,
      scope: { staffIds: [id], from: date, to: date },
      accept: (s) => String(s.staffId) === id && s.date === date,
    };
  },
  onLoad: (_, snap) => {
    showError($('list-error'), '');
    render();
    if (snap.seq !== null) setLastUpdate();
  },
  onChange: ({ action, id }) => { render(action === 'upsert' ? id : null); setLastUpdate(); },
  onError: (e) => showError($('list-error'), e.message),
});

/** Operators: the therapists and drivers to pick from, including disabled ones. */
const staff = liveCollection({
  events: { staff_updated: 'upsert' },
  view: () => ({ url: '/api/staff', accept: (s) => s.role !== 'operator' }),
  onLoad: () => fillStaffSelect(),
  onChange: (result) => staffChanged(result),
  onError: (e) => showError($('list-error'), e.message),
});

main().catch((e) => showError($('list-error'), e.message));

async function main() {
  const me = (page.me = await initHeader());
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
    page.staffId = params.get('staffId');
    await staff.load();
    $('staff-select').addEventListener('change', () => {
      page.staffId = $('staff-select').value;
      rememberView();
      renderStaffState();
      slots.load();
    });
    $('staff-toggle').addEventListener('click', toggleStaffActive);
  } else {
    page.staffId = String(me.id);
  }

  dateInput.addEventListener('change', () => {
    if (!dateInput.value) return;
    $('add-date').value = dateInput.value;
    rememberView();
    slots.load();
  });
  form.addEventListener('submit', onAdd);
  form.addEventListener('change', () => renderOvernightHint());
  for (const b of document.querySelectorAll('.preset')) b.addEventListener('click', () => applyPreset(b));
  renderOvernightHint();
  await slots.load();
}

function rememberView() {
  const p = new URLSearchParams({ date: dateInput.value });
  if (page.me.role === 'operator' && page.staffId) p.set('staffId', page.staffId);
  history.replaceState(null, '', '?' + p);
}

// ------------------------------------------------------------------------------- staff picker

/** A new staff snapshot: fills the picker, keeping the person shown if they are still there. */
function fillStaffSelect() {
  const list = staff.values();
  const select = $('staff-select');
  select.replaceChildren();
  for (const s of list) select.append(new Option(staffLabel(s), String(s.id)));
  const pick = list.find((s) => String(s.id) === page.staffId) || list.find((s) => s.active) || list[0];
  const before = page.staffId;
  page.staffId = pick ? String(pick.id) : null;
  if (page.staffId) select.value = page.staffId;
  renderStaffState();
  if (slots.seq !== null && page.staffId !== before) slots.load(); // the person shown is gone
}

function staffLabel(s) {
  return `${s.name} (${s.role})${s.active ? '' : ' — disabled'}`;
}

/** One staff member changed (a change event, or the operator's own enable/disable). */
function staffChanged(result) {
  if (!result) return;
  const select = $('staff-select');
  const option = [...select.options].find((o) => o.value === result.id);
  if (result.action === 'remove') { if (option) option.remove(); return; }
  if (option) option.textContent = staffLabel(result.item);
  else select.append(new Option(staffLabel(result.item), result.id));
  if (result.id === page.staffId) renderStaffState();
}

function selectedStaff() { return (page.staffId && staff.get(page.staffId)) || null; }

function renderStaffState() {
  if (page.me.role !== 'operator') return;
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
    staffChanged(staff.upsert(updated));
  } catch (e) {
    showError($('list-error'), e.message);
  } finally {
    button.disabled = false;
  }
}

// ----------------------------------------------------------------------------- slots of a day

function setLastUpdate() { $('last-update').textContent = 'Last update ' + clockNow(); }

function render(flashId) {
  const body = $('slots-body');
  const shown = slots.values().sort((a, b) => a.start.localeCompare(b.start));
  // Rows are rebuilt on every change (also live ones): a keyboard user in a row stays on the same control.
  const focused = document.activeElement;
  const focusedSlot = body.contains(focused) ? focused.closest('tr')?.dataset.slotId : null;
  const focusedAction = focusedSlot ? focused.dataset.action : null;
  body.replaceChildren(...shown.map(row));
  if (focusedSlot && focusedAction) rowControl(focusedSlot, focusedAction)?.focus();
  $('empty-state').hidden = shown.length > 0;
  $('slots-table').hidden = shown.length === 0;
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
  const span = slotSpan(slot);
  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'toggle';
  toggle.dataset.action = 'toggle';
  toggle.textContent = slot.available ? 'Mark unavailable' : 'Mark available';
  toggle.setAttribute('aria-label', `${toggle.textContent}: ${span}`); // the visible words first, for voice control
  toggle.addEventListener('click', () => toggleSlot(slot.id));
  const del = document.createElement('button');
  del.type = 'button';
  del.className = 'delete danger';
  del.dataset.action = 'delete';
  del.textContent = 'Delete';
  del.setAttribute('aria-label', `Delete: ${span}`); // "Delete" alone would not say which of the day's slots
  del.addEventListener('click', () => deleteSlot(slot.id));
  actions.append(toggle, del);
  tr.append(actions);
  return tr;
}

function slotSpan(slot) { return `${fmtTime(slot.start)} – ${fmtTime(slot.end)}`; }

function rowControl(slotId, action) {
  return $('slots-body').querySelector(`tr[data-slot-id="${CSS.escape(String(slotId))}"] [data-action="${action}"]`);
}

function announce(text) {
  const live = $('slots-announcer');
  live.textContent = '';
  setTimeout(() => { live.textContent = text; }, 50);
}

function flash(node) {
  node.classList.remove('flash');
  void node.offsetWidth; // restart the animation
  node.classList.add('flash');
}

async function toggleSlot(id) {
  const slot = slots.get(id);
  if (!slot) return;
  showError($('form-error'), '');
  try {
    const updated = await api('PATCH', `/api/availability/${encodeURIComponent(id)}`, { available: !slot.available },
      { headers: { 'If-Match': `"${slot.version}"` } });
    if (slots.upsert(updated)) render(updated.id);
  } catch (e) {
    await showApiError(e);
    if (e.code === 'VERSION_MISMATCH' || e.code === 'NOT_FOUND') slots.load();
  }
}

async function deleteSlot(id) {
  const slot = slots.get(id);
  if (!slot) return;
  const yes = await ask({
    title: 'Delete this slot?',
    text: `${slotSpan(slot)} on ${fmtDate(slot.date)} (${slot.available ? 'available' : 'unavailable'}) will be removed.`,
    yes: 'Delete slot', danger: true,
  });
  if (!yes) return; // the dialog gave focus back to this row's Delete
  showError($('form-error'), '');
  // Where focus goes once the row is gone: the next slot's Delete, else the one before, else the day's date.
  const ids = slots.values().sort((a, b) => a.start.localeCompare(b.start)).map((s) => String(s.id));
  const at = ids.indexOf(String(id));
  const neighbour = ids[at + 1] ?? ids[at - 1];
  const gone = () => {
    if (slots.remove(id)) render();
    (rowControl(neighbour, 'delete') || dateInput).focus();
    announce(`Deleted ${slotSpan(slot)} on ${fmtDate(slot.date)}.`);
  };
  try {
    await api('DELETE', `/api/availability/${encodeURIComponent(id)}`, undefined, { headers: { 'If-Match': `"${slot.version}"` } });
    gone();
  } catch (e) {
    if (e.code === 'NOT_FOUND') { gone(); return; }
    await showApiError(e);
    rowControl(id, 'delete')?.focus();
    if (e.code === 'VERSION_MISMATCH') slots.load();
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

async function applyPreset(button) {
  const { start, end } = button.dataset;
  const date = form.date.value || dateInput.value;
  if (isOvernight(start, end)) {
    if (!(await askOvernight(date, start, end))) return;
    page.confirmedOvernight = `${date}|${start}|${end}`;
    button.focus();
  }
  form.start.value = start;
  form.end.value = end;
  renderOvernightHint();
}

function askOvernight(date, start, end) {
  return ask({
    title: 'This slot runs overnight',
    text: `From ${fmtTime(start)} on ${fmtDate(date)} until ${fmtTime(end)} on ${fmtDate(addDays(date, 1))}. Continue?`,
    yes: 'Yes, overnight',
  });
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
  if (isOvernight(body.start, body.end) && page.confirmedOvernight !== `${body.date}|${body.start}|${body.end}`) {
    if (!(await askOvernight(body.date, body.start, body.end))) return;
    $('add-submit').focus();
  }
  if (page.me.role === 'operator') body.staffId = isNaN(Number(page.staffId)) ? page.staffId : Number(page.staffId);
  const submit = $('add-submit');
  submit.disabled = true;
  try {
    const slot = await api('POST', '/api/availability', body, { headers: addKeys.headersFor(body) });
    addKeys.settled();
    page.confirmedOvernight = null;
    if (slots.upsert(slot)) render(slot.id);
    const where = slot.date === dateInput.value ? '' : ` on ${fmtDate(slot.date)}`;
    $('form-success').textContent = `Added ${fmtTime(slot.start)} – ${fmtTime(slot.end)}${where}.`;
    $('form-success').hidden = false;
    // issue 11: one date drives the page; adding on another day shows that day
    if (slot.date !== dateInput.value) { dateInput.value = slot.date; dateInput.dispatchEvent(new Event('change')); }
  } catch (err) {
    // A definite refusal (4xx) stored nothing: the next submit is a new action.
    if (err.status >= 400 && err.status < 500) addKeys.settled();
    await showApiError(err); // the form keeps every value
  } finally {
    submit.disabled = false;
    // the button was disabled while it had focus; give focus back rather than leave it on the page body
    if (!document.activeElement || document.activeElement === document.body) submit.focus();
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
