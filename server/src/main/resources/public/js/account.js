/**
 * Account page: the signed-in person (any role) changes their own password with
 * POST /api/me/password {currentPassword, newPassword}. The server checks the rules (at least 8
 * characters, at most 72 UTF-8 bytes, not the current one) and answers which field is wrong; the
 * page shows that next to the field. Only "repeat matches" is checked here, as the API never sees
 * the repeat. On success the server ends the account's other sessions and keeps this one, so the
 * page stays signed in and says so.
 */
import { api } from './api.js';
import { initHeader } from './header.js';

const $ = (id) => document.getElementById(id);
const form = $('password-form');
const submit = $('password-submit');
const done = $('password-done');
const summary = $('password-error');

/** Form fields by the API's field name, with the words used in messages. */
const FIELDS = {
  currentPassword: { input: $('current-password'), error: $('current-password-error'), label: 'The current password' },
  newPassword: { input: $('new-password'), error: $('new-password-error'), label: 'The new password' },
  repeatPassword: { input: $('repeat-password'), error: $('repeat-password-error'), label: 'The repeated password' },
};

function show(node, text) {
  node.textContent = text || '';
  node.hidden = !text;
}

function clearErrors() {
  show(summary, '');
  for (const f of Object.values(FIELDS)) {
    show(f.error, '');
    f.input.removeAttribute('aria-invalid');
  }
}

/** Marks each field with its problem, says all of them in the alert, and puts the cursor in the first. */
function showProblems(problems, message) {
  const names = Object.keys(FIELDS).filter((n) => problems[n]); // in the form's order, whatever the server's
  for (const name of names) {
    const f = FIELDS[name];
    show(f.error, `${f.label} ${problems[name]}.`);
    f.input.setAttribute('aria-invalid', 'true');
  }
  show(summary, message || names.map((n) => FIELDS[n].error.textContent).join(' '));
  const first = names.length ? FIELDS[names[0]].input : FIELDS.currentPassword.input;
  first.focus();
  first.select();
}

function localProblems(current, next, repeat) {
  const problems = {};
  if (!current) problems.currentPassword = 'is required';
  if (!next) problems.newPassword = 'is required';
  if (next && repeat !== next) problems.repeatPassword = 'does not match the new password';
  return problems;
}

async function changePassword(e) {
  e.preventDefault();
  clearErrors();
  show(done, '');
  const current = FIELDS.currentPassword.input.value;
  const next = FIELDS.newPassword.input.value;
  const repeat = FIELDS.repeatPassword.input.value;
  const problems = localProblems(current, next, repeat);
  if (Object.keys(problems).length) {
    showProblems(problems);
    return;
  }
  submit.disabled = true;
  try {
    await api('POST', '/api/me/password', { currentPassword: current, newPassword: next });
    form.reset();
    const text = 'Your password was changed. You are still signed in here; every other session of your account has been signed out.';
    show(done, text);
    $('announcer').textContent = text;
    done.focus();
  } catch (err) {
    if (err.code === 'WRONG_PASSWORD') {
      showProblems({ currentPassword: 'is not right' }, err.message);
    } else if (err.fields && Object.keys(err.fields).some((n) => FIELDS[n])) {
      showProblems(err.fields); // VALIDATION: said field by field, in the server's words
    } else {
      show(summary, err.message); // throttled, timed out, server unreachable: nothing was changed, or say so
      FIELDS.currentPassword.input.focus();
    }
  } finally {
    submit.disabled = false;
  }
}

async function main() {
  const me = await initHeader();
  $('account-username').defaultValue = me.username; // survives form.reset()
  $('account-who').textContent = `Signed in as ${me.name || me.username} (${me.username}).`;
  form.addEventListener('submit', changePassword);
}

main();
