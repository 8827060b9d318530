/** index.html: GET /api/me decides where to go — signed in → the role's page; 401 → sign-in (api.js redirects). */
import { get } from './api.js';
import { homeFor } from './header.js';

get('/api/me').then(
  (me) => location.replace(homeFor(me.role)),
  (e) => { if (e.status !== 401) document.getElementById('index-status').textContent = e.message; });
