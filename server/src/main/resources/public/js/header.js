/**
 * Shared page header: app name, page links for the role, signed-in name and role, the account
 * page (own password, every role), sign-out.
 *
 *   const me = await initHeader({ roles: ['operator'] });
 *
 * Loads GET /api/me (a signed-out visitor goes to sign-in), sends a user whose role does not
 * belong on this page to their own page, renders into <header id="app-header"> and resolves with
 * the signed-in Staff. Sign-out posts /api/auth/logout and returns to sign-in.
 */
import { api, get, markSignedIn, markSigningOut } from './api.js';

/** The page each role lands on after sign-in. */
export function homeFor(role) {
  return role === 'operator' ? '/board.html' : '/availability.html';
}

export async function initHeader({ roles } = {}) {
  const me = await get('/api/me');
  markSignedIn();
  if (roles && !roles.includes(me.role)) {
    location.replace(homeFor(me.role));
    return new Promise(() => {}); // never resolves: we are leaving
  }
  render(me);
  return me;
}

function el(tag, attrs = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function render(me) {
  const header = document.getElementById('app-header');
  header.replaceChildren();
  header.append(el('a', { class: 'brand', href: homeFor(me.role) }, 'Royal Care'));

  const nav = el('nav', { 'aria-label': 'Pages' });
  const here = location.pathname;
  const links = me.role === 'operator'
    ? [['/board.html', 'Board'], ['/availability.html', 'Availability'], ['/staff.html', 'Staff']]
    : [['/visits.html', 'My visits'], ['/availability.html', 'My availability']];
  for (const [href, label] of links) {
    const a = el('a', { href }, label);
    if (here.endsWith(href)) a.setAttribute('aria-current', 'page');
    nav.append(a);
  }
  header.append(nav);

  const who = el('div', { class: 'who' });
  who.append(el('span', { class: 'who-name', id: 'me-name' }, me.name || me.username));
  who.append(el('span', { class: 'role-badge role-' + me.role, id: 'me-role' }, me.role));
  const account = el('a', { href: '/account.html', id: 'account-link', class: 'account-link' }, 'Account');
  if (here.endsWith('/account.html')) account.setAttribute('aria-current', 'page');
  who.append(account);
  const out = el('button', { type: 'button', id: 'sign-out', class: 'link-button' }, 'Sign out');
  out.addEventListener('click', signOut);
  who.append(out);
  header.append(who);
}

async function signOut() {
  markSigningOut(); // the ended session must not read as "your session has ended"
  try {
    await api('POST', '/api/auth/logout', undefined, { authRedirect: false });
  } catch { /* signed out either way */ }
  location.replace('/login.html?signedOut=1');
}
