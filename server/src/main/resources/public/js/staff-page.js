/**
 * Staff page (operators): everyone with role, status, contact and matching fields; search;
 * create, edit, reset a password, unlock, disable/enable with a confirmation. Live for other
 * operators through sync-client.js (`staff_updated`).
 */
import { api, get } from './api.js';
import { initHeader } from './header.js';
import { subscribe, onStatus, STATUS_TEXT } from './sync-client.js';
import { businessZone } from './time.js';
import { fmtClock, fmtWhen, clockNowIn } from './when.js';

const $ = (id) => document.getElementById(id);
const USERNAME = /^[a-z0-9][a-z0-9._-]{2,39}$/;
const ROLE_TEXT = { operator: 'Operator', therapist: 'Therapist', driver: 'Driver' };

let zone = 'UTC';
let me = null;
let staff = new Map();   // id → StaffAccount (Staff + lockedUntil)
let unsub = null;
let editing = null;      // null: creating; else the staff id being edited
let resetting = null;
let confirming = null;   // {id, active}
let returnFocus = null;  // where focus goes when a dialog closes

main().catch((e) => showError(e.message));

async function main() {
  me = await initHeader({ roles: ['operator'] });
  zone = await businessZone();
  onStatus((s) => {
    $('sync-status').textContent = STATUS_TEXT[s];
    $('sync-status').dataset.status = s;
    if (s !== 'connecting') announce(`Connection: ${STATUS_TEXT[s]}`);
  });
  $('staff-search').addEventListener('input', applyFilter);
  $('staff-role').addEventListener('change', applyFilter);
  $('add-staff').addEventListener('click', (e) => openStaffDialog(null, e.currentTarget));
  $('staff-role').value = new URLSearchParams(location.search).get('role') || '';
  $('f-role').addEventListener('change', () => roleFields($('f-role').value));
  $('staff-form').addEventListener('submit', saveStaff);
  $('staff-cancel').addEventListener('click', () => closeDialog('staff-dialog'));
  $('password-form').addEventListener('submit', savePassword);
  $('password-cancel').addEventListener('click', () => closeDialog('password-dialog'));
  $('confirm-form').addEventListener('submit', confirmToggle);
  $('confirm-no').addEventListener('click', () => closeDialog('confirm-dialog'));
  for (const id of ['staff-dialog', 'password-dialog', 'confirm-dialog']) {
    $(id).addEventListener('close', () => (current(returnFocus) || $('staff-search')).focus());
  }
  addEventListener('pagehide', () => { if (unsub) unsub(); });
  await load();
}

async function load() {
  if (unsub) { unsub(); unsub = null; }
  const snap = await get('/api/staff');
  staff = new Map(snap.items.map((s) => [String(s.id), s]));
  render();
  setLastUpdate();
  unsub = subscribe({ since: snap.seq, types: ['staff_updated', 'staff_locked'] }, onChange);
}

async function onChange(change) {
  if (change.type === 'reset' || change.type === 'global_refresh') { load(); return; }
  if (change.type === 'staff_locked') { locked(change.data); return; }
  const s = change.data;
  if (!s || s.id == null) return;
  const before = staff.get(String(s.id));
  let account = { ...s, lockedUntil: before?.lockedUntil ?? null };
  try { account = await get('/api/staff/' + s.id); } catch { /* keep what the event said */ }
  staff.set(String(s.id), account);
  render(String(s.id));
  setLastUpdate();
  if (change.actorId != null && String(change.actorId) !== String(me.id)) {
    const who = staff.get(String(change.actorId))?.name || 'Someone';
    announce(`${who} ${before ? 'updated' : 'added'} ${s.name}.`);
  }
}

/** Failed sign-ins locked an account (from some address): show it and its Unlock button without a reload. */
function locked(data) {
  const s = data && staff.get(String(data.id));
  if (!s) return;
  staff.set(String(data.id), { ...s, lockedUntil: data.lockedUntil });
  render(String(data.id));
  setLastUpdate();
  announce(`${s.name} is locked out until ${fmtClock(data.lockedUntil, zone)} after ${data.failedSignIns || 'several'} failed sign-ins.`);
}

/** The control itself, or its replacement when a live update re-rendered its row meanwhile. */
function current(control) {
  if (!control) return null;
  if (control.isConnected) return control;
  const id = control.closest('tr')?.dataset.staffId;
  const action = control.dataset.action;
  if (!id || !action) return null;
  return $('staff-body').querySelector(`tr[data-staff-id="${CSS.escape(id)}"] [data-action="${action}"]`);
}

function setLastUpdate() { $('last-update').textContent = 'Last update ' + clockNowIn(zone); }
function announce(text) { $('announcer').textContent = ''; setTimeout(() => { $('announcer').textContent = text; }, 50); }
function showError(text) { $('staff-error').textContent = text || ''; $('staff-error').hidden = !text; }

function isLocked(s) { return s.lockedUntil && new Date(s.lockedUntil).getTime() > Date.now(); }

function statusText(s) {
  if (!s.active) return 'Disabled';
  if (isLocked(s)) return `Locked until ${sameDay(s.lockedUntil) ? fmtClock(s.lockedUntil, zone) : fmtWhen(s.lockedUntil, zone)}`;
  return 'Active';
}

function sameDay(iso) {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return f.format(new Date(iso)) === f.format(new Date());
}

function el(tag, attrs = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// ------------------------------------------------------------------------------- the list

function render(flashId) {
  const people = [...staff.values()].sort((a, b) => a.name.localeCompare(b.name));
  const focusedId = document.activeElement?.closest?.('tr')?.dataset.staffId;
  const focusedAction = document.activeElement?.dataset?.action;
  $('staff-body').replaceChildren(...people.map(row));
  applyFilter();
  if (focusedId && focusedAction) {
    const r = $('staff-body').querySelector(`tr[data-staff-id="${CSS.escape(focusedId)}"]`);
    // an Unlock button a colleague's unlock just removed: stay in the row
    const again = r && (r.querySelector(`[data-action="${focusedAction}"]`) || r.querySelector('[data-action="password"]'));
    if (again) again.focus();
  }
  expireLocksLater(people);
  if (flashId) {
    const r = $('staff-body').querySelector(`tr[data-staff-id="${CSS.escape(flashId)}"]`);
    if (r) { r.classList.remove('flash'); void r.offsetWidth; r.classList.add('flash'); }
  }
}

function row(s) {
  const tr = el('tr', { 'data-staff-id': String(s.id) });
  tr.dataset.search = [s.name, s.username, s.phone, s.specialization, s.vehiclePlate, s.pressure].filter(Boolean).join(' ').toLowerCase();
  tr.dataset.role = s.role;
  const name = el('th', { scope: 'row' });
  name.append(el('span', { class: 'staff-name' }, s.name), el('span', { class: 'muted username' }, s.username));
  tr.append(name);
  tr.append(el('td', { 'data-label': 'Role' }, ROLE_TEXT[s.role] || s.role));
  const status = el('td', { 'data-label': 'Status' });
  status.append(el('span', { class: 'pill ' + (!s.active ? 'pill-off' : isLocked(s) ? 'pill-warn' : 'pill-on'), 'data-field': 'status' }, statusText(s)));
  tr.append(status);
  tr.append(el('td', { 'data-label': 'Phone' }, s.phone || '—'));
  tr.append(el('td', { 'data-label': 'Specialization' }, s.specialization || '—'));
  tr.append(el('td', { 'data-label': 'Pressure' }, s.pressure || '—'));
  tr.append(el('td', { 'data-label': 'Plate' }, s.vehiclePlate || '—'));
  const actions = el('td', { class: 'actions' });
  const btn = (action, text, label, cls) => {
    const b = el('button', { type: 'button', 'data-action': action, 'aria-label': `${label} ${s.name}`, class: cls || '' }, text);
    actions.append(b);
    return b;
  };
  btn('edit', 'Edit', 'Edit').addEventListener('click', (e) => openStaffDialog(s.id, e.currentTarget));
  btn('password', 'Reset password', 'Reset password of').addEventListener('click', (e) => openPasswordDialog(s.id, e.currentTarget));
  if (isLocked(s)) btn('unlock', 'Unlock', 'Unlock').addEventListener('click', (e) => unlock(s.id, e.currentTarget));
  if (String(s.id) !== String(me.id)) {
    btn('toggle', s.active ? 'Disable' : 'Enable', s.active ? 'Disable' : 'Enable', s.active ? 'danger' : '')
      .addEventListener('click', (e) => openConfirm(s.id, e.currentTarget));
  }
  tr.append(actions);
  return tr;
}

let lockTimer = null;

/** A lock ends by itself: redraw when the next one runs out, so "Locked until" never outlives it. */
function expireLocksLater(people) {
  clearTimeout(lockTimer);
  const ends = people.filter(isLocked).map((s) => new Date(s.lockedUntil).getTime());
  if (!ends.length) return;
  lockTimer = setTimeout(() => render(), Math.max(0, Math.min(...ends) - Date.now()) + 500);
}

function applyFilter() {
  const q = $('staff-search').value.trim().toLowerCase();
  const role = $('staff-role').value;
  let shown = 0;
  for (const tr of $('staff-body').children) {
    const visible = (!q || tr.dataset.search.includes(q)) && (!role || tr.dataset.role === role);
    tr.hidden = !visible;
    if (visible) shown++;
  }
  $('staff-empty').hidden = shown > 0;
}

// ------------------------------------------------------------------------- create and edit

function roleFields(role) {
  for (const n of document.querySelectorAll('#staff-form .therapist-only')) n.hidden = role !== 'therapist';
  for (const n of document.querySelectorAll('#staff-form .driver-only')) n.hidden = role !== 'driver';
}

function openDialog(id, opener) {
  returnFocus = opener;
  $(id).showModal();
}

function closeDialog(id) { $(id).close(); }

function openStaffDialog(id, opener) {
  editing = id == null ? null : String(id);
  const s = editing ? staff.get(editing) : null;
  const form = $('staff-form');
  form.reset();
  formError('staff-form-error', '');
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  $('staff-dialog-title').textContent = s ? `Edit ${s.name}` : 'Add staff member';
  for (const n of form.querySelectorAll('.create-only')) n.hidden = Boolean(s);
  $('staff-save').textContent = s ? 'Save changes' : 'Create account';
  if (s) {
    $('f-name').value = s.name;
    $('f-phone').value = s.phone || '';
    $('f-specialization').value = s.specialization || '';
    $('f-pressure').value = s.pressure || '';
    $('f-plate').value = s.vehiclePlate || '';
  }
  roleFields(s ? s.role : $('f-role').value);
  openDialog('staff-dialog', opener);
  $('f-name').focus();
}

function formError(id, text) { $(id).textContent = text || ''; $(id).hidden = !text; }

function markInvalid(fields) {
  const map = { name: 'f-name', username: 'f-username', password: 'f-password', phone: 'f-phone',
    specialization: 'f-specialization', pressure: 'f-pressure', vehiclePlate: 'f-plate' };
  let first = null;
  for (const [field, id] of Object.entries(map)) {
    const bad = Boolean(fields && fields[field]);
    if (bad) { $(id).setAttribute('aria-invalid', 'true'); first = first || $(id); } else $(id).removeAttribute('aria-invalid');
  }
  return first;
}

async function saveStaff(e) {
  e.preventDefault();
  const s = editing ? staff.get(editing) : null;
  const role = s ? s.role : $('f-role').value;
  const body = { name: $('f-name').value.trim(), phone: $('f-phone').value.trim() || null };
  if (role === 'therapist') {
    body.specialization = $('f-specialization').value.trim() || null;
    body.pressure = $('f-pressure').value || null;
  }
  if (role === 'driver') body.vehiclePlate = $('f-plate').value.trim() || null;
  const problems = {};
  if (!body.name) problems.name = 'is required';
  if (!s) {
    body.username = $('f-username').value.trim().toLowerCase();
    body.role = role;
    body.password = $('f-password').value;
    if (!USERNAME.test(body.username)) problems.username = 'must follow the rules below it';
    if (body.password.length < 8 || body.password.length > 72) problems.password = 'must have 8–72 characters';
  }
  if (Object.keys(problems).length) {
    formError('staff-form-error', 'Please correct: ' + Object.entries(problems).map(([f, p]) => `${f} ${p}`).join('; ') + '.');
    markInvalid(problems).focus();
    return;
  }
  $('staff-save').disabled = true;
  try {
    const saved = s ? await api('PATCH', '/api/staff/' + s.id, body) : await api('POST', '/api/staff', body);
    const account = await get('/api/staff/' + saved.id).catch(() => saved);
    staff.set(String(saved.id), account);
    render(String(saved.id));
    closeDialog('staff-dialog');
    announce(s ? `Saved ${saved.name}.` : `Created ${saved.name} (${saved.username}).`);
    const edit = $('staff-body').querySelector(`tr[data-staff-id="${saved.id}"] [data-action="edit"]`);
    if (edit) { returnFocus = edit; edit.focus(); }
  } catch (err) {
    formError('staff-form-error', err.message);
    const first = markInvalid(err.fields);
    (first || $('f-name')).focus();
  } finally {
    $('staff-save').disabled = false;
  }
}

// -------------------------------------------------------------------------- password, unlock

function openPasswordDialog(id, opener) {
  resetting = String(id);
  const s = staff.get(resetting);
  $('password-form').reset();
  formError('password-form-error', '');
  $('p-password').removeAttribute('aria-invalid');
  $('password-dialog-title').textContent = `Reset password of ${s.name}`;
  openDialog('password-dialog', opener);
  $('p-password').focus();
}

async function savePassword(e) {
  e.preventDefault();
  const s = staff.get(resetting);
  const password = $('p-password').value;
  if (password.length < 8 || password.length > 72) {
    formError('password-form-error', 'The new password must have 8–72 characters.');
    $('p-password').setAttribute('aria-invalid', 'true');
    $('p-password').focus();
    return;
  }
  $('password-save').disabled = true;
  try {
    await api('PATCH', '/api/staff/' + s.id, { password });
    staff.set(String(s.id), await get('/api/staff/' + s.id));
    render(String(s.id));
    closeDialog('password-dialog');
    announce(`New password set for ${s.name}.`);
  } catch (err) {
    formError('password-form-error', err.message);
    $('p-password').focus();
  } finally {
    $('password-save').disabled = false;
  }
}

async function unlock(id, button) {
  const s = staff.get(String(id));
  button.disabled = true;
  try {
    const account = await api('POST', `/api/staff/${id}/unlock`, {});
    staff.set(String(id), account);
    render(String(id));
    announce(`${s.name} is unlocked and can sign in again.`);
    const next = $('staff-body').querySelector(`tr[data-staff-id="${id}"] [data-action="password"]`);
    if (next) next.focus();
  } catch (err) {
    showError(err.message);
    button.disabled = false;
  }
}

// ---------------------------------------------------------------------- disable and enable

function openConfirm(id, opener) {
  const s = staff.get(String(id));
  confirming = { id: String(id), active: !s.active };
  formError('confirm-error', '');
  if (s.active) {
    $('confirm-title').textContent = `Disable ${s.name}?`;
    $('confirm-text').textContent = `${s.name} will be signed out everywhere at once and cannot sign in again`
      + (s.role === 'operator' ? '.' : '; they disappear from the board and cannot be given work.')
      + ' Their availability is kept, and you can enable the account again later.';
    $('confirm-yes').textContent = `Disable ${s.name}`;
    $('confirm-yes').className = 'danger-solid';
  } else {
    $('confirm-title').textContent = `Enable ${s.name}?`;
    $('confirm-text').textContent = `${s.name} will be able to sign in again`
      + (s.role === 'operator' ? '.' : ' and shows on the board again.');
    $('confirm-yes').textContent = `Enable ${s.name}`;
    $('confirm-yes').className = 'primary';
  }
  openDialog('confirm-dialog', opener);
  $('confirm-no').focus(); // the safe choice first
}

async function confirmToggle(e) {
  e.preventDefault();
  const { id, active } = confirming;
  const s = staff.get(id);
  $('confirm-yes').disabled = true;
  try {
    await api('PATCH', '/api/staff/' + id, { active });
    staff.set(id, await get('/api/staff/' + id));
    render(id);
    const toggle = $('staff-body').querySelector(`tr[data-staff-id="${id}"] [data-action="toggle"]`);
    returnFocus = toggle;
    closeDialog('confirm-dialog');
    announce(active ? `${s.name} is enabled.` : `${s.name} is disabled and signed out everywhere.`);
  } catch (err) {
    formError('confirm-error', err.message);
  } finally {
    $('confirm-yes').disabled = false;
  }
}
