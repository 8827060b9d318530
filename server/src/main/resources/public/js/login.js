/** Sign-in page: posts the credentials, then goes to the role's page. */
import { api } from './api.js';
import { homeFor } from './header.js';

const form = document.getElementById('login-form');
const error = document.getElementById('login-error');
const notice = document.getElementById('login-notice');
const submit = document.getElementById('login-submit');

const params = new URLSearchParams(location.search);
const ended = localStorage.getItem('rcs-ended');
localStorage.removeItem('rcs-ended');
if (params.has('disabled') || (params.has('expired') && ended === 'disabled')) {
  show(notice, 'Your account has been disabled, so you were signed out. Please contact an operator.');
} else if (params.has('expired')) show(notice, 'Your session has ended. Please sign in again.');
else if (params.has('signedOut')) show(notice, 'You have signed out.');

function show(node, text) {
  node.textContent = text;
  node.hidden = !text;
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  show(error, '');
  const username = form.username.value.trim();
  const password = form.password.value;
  if (!username || !password) {
    show(error, 'Enter your username and password.');
    return;
  }
  submit.disabled = true;
  try {
    const res = await api('POST', '/api/auth/login', { username, password }, { authRedirect: false });
    location.replace(homeFor(res.user.role));
  } catch (err) {
    show(error, err.message);
    form.password.select();
  } finally {
    submit.disabled = false;
  }
});
