/**
 * The Science Portal page (`/science-portal`): the replica's stand-in for the Next.js client of
 * opencadc/science-portal at f6823b5, modelling what the journey depends on (docs/journeys.md).
 * Every behaviour below names the file of that commit it follows (paths under src/app/ unless
 * they start with lib/):
 *
 * - The login dialog opens by itself once `GET /api/auth/status` says "not authenticated", and
 *   only then (components/AppBarWithAuth/AppBarWithAuth.tsx:138-146); it is a dialog labelled by
 *   `#login-dialog-title` whose text fields carry `aria-label` on their wrapper as well as a
 *   `<label for>` (implementation/loginModal.tsx:179-270, MUI TextField). A password under 6
 *   characters is refused without a request (:84-88); a refused login is retried once after 1 s
 *   (lib/providers/QueryProvider.tsx:30-33) and then shows "Login failed: <status>"
 *   (lib/api/login.ts:67-69) in `#login-error-message`.
 * - While a dialog or a menu is open every other child of <body> is aria-hidden (MUI Modal).
 * - The dashboard: widgets are `.MuiPaper-root` panels with an `<h2>` title
 *   (implementation/dashboardWidget.tsx:126-184); "Active Sessions (N)" holds one `.MuiCard-root`
 *   per session in list order, without ids or data attributes, found by the session name it shows
 *   (implementation/activeSessionsWidget.tsx, implementation/sessionCard.tsx:373-573).
 * - The launch form appears only once images, repositories and context have loaded
 *   (lib/features/sessions/SessionsDashboard.tsx:96-98, implementation/sessionLaunchForm.tsx:832-957);
 *   the Standard tab panel holds the `#session-type`, `#session-project`, `#session-image`
 *   comboboxes whose options pop up in a listbox, image options read `name:version`, the project
 *   and image are preselected (skaha, else the first project; astroml:latest, else another
 *   astroml:*, else the first image: sessionLaunchForm.tsx:389-483, ./images.ts), the name is
 *   `<type><N+1>` and rewritten when the session count or the type changes (:380-387).
 * - The list is polled every 5 s while a session is Terminating or being deleted, every 10 s
 *   while an interactive one is Pending, else not at all (lib/hooks/useSessions.ts:82-95).
 */

export function sciencePortalPage(): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>CANFAR - Canadian Advanced Network for Astronomical Research</title>
<style>
  body { font-family: sans-serif; margin: 0; } [hidden] { display: none !important; }
  header { display: flex; justify-content: space-between; align-items: center; padding: 8px 16px; background: #123; color: #fff; }
  main { padding: 16px; } .MuiPaper-root { border: 1px solid #ccc; border-radius: 8px; padding: 12px; margin: 8px 0; position: relative; }
  .cards { display: flex; gap: 12px; flex-wrap: wrap; } .MuiCard-root { width: 260px; }
  .MuiBackdrop-root { position: absolute; inset: 0; background: rgba(255,255,255,0.6); }
  .MuiChip-root { display: inline-block; border-radius: 10px; background: #eee; padding: 0 6px; font-size: 12px; }
  [role=combobox] { border: 1px solid #999; padding: 4px 8px; min-width: 180px; display: inline-block; cursor: pointer; min-height: 1em; }
  [role=combobox][aria-disabled=true] { color: #999; cursor: default; }
  .popover { position: fixed; inset: 0; } .popover [role=listbox] { position: absolute; top: 30%; left: 30%; background: #fff; border: 1px solid #999; list-style: none; margin: 0; padding: 4px; }
  [role=option] { padding: 4px 8px; cursor: pointer; }
  .dialog-root { position: fixed; inset: 0; background: rgba(0,0,0,0.3); } [role=dialog] { position: absolute; top: 15%; left: 30%; background: #fff; padding: 16px; min-width: 320px; }
  .row { margin: 8px 0; } .helper { color: #b00; font-size: 12px; }
</style></head>
<body>
<div id="root"></div>
<script src="/science-portal/_replica/portal.js"></script>
</body></html>
`;
}

export const SCIENCE_PORTAL_JS = `(function () {
  'use strict';
  var TOKEN_KEY = 'canfar_auth_token';
  var MAX_SESSIONS = 3;
  var QUOTA_MESSAGE = 'You have reached the maximum limit of ' + MAX_SESSIONS + ' active sessions. Please delete an existing session before creating a new one.';
  var TYPES = ['notebook', 'desktop', 'carta', 'contributed', 'firefly'];
  var DEFAULT_IMAGE_NAMES = { carta: 'carta:latest', contributed: 'vscode:latest', desktop: 'desktop:latest', notebook: 'astroml:latest', firefly: 'firefly:2025.2' };
  var PIXEL = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) return;
      if (k === 'text') el.textContent = v;
      else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : v);
    });
    (children || []).forEach(function (c) { if (c) el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return el;
  }
  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }
  function api(path, opts) {
    opts = opts || {};
    var headers = { Accept: 'application/json' };
    if (opts.json !== undefined) headers['Content-Type'] = 'application/json';
    var token = localStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = 'Bearer ' + token;
    return fetch('/science-portal/api' + path, { method: opts.method || 'GET', headers: headers, credentials: 'include', body: opts.json !== undefined ? JSON.stringify(opts.json) : undefined });
  }
  function json(res) { if (!res.ok) { var e = new Error(String(res.status)); e.status = res.status; throw e; } return res.json(); }
  /** A mutation: one retry after 1 s when the first attempt fails (QueryProvider.tsx:30-33). */
  function withRetry(attempt) {
    return attempt().catch(function () { return new Promise(function (r) { setTimeout(r, 1000); }).then(attempt); });
  }

  // --- modals: everything else under <body> is aria-hidden while one is open (MUI Modal) ---
  var modals = [];
  function openModal(el) {
    modals.push(el);
    document.body.appendChild(el);
    Array.prototype.forEach.call(document.body.children, function (c) { if (c !== el && c.tagName !== 'SCRIPT') c.setAttribute('aria-hidden', 'true'); });
  }
  function closeModal(el) {
    modals = modals.filter(function (m) { return m !== el; });
    if (el.parentNode) el.parentNode.removeChild(el);
    var top = modals[modals.length - 1];
    Array.prototype.forEach.call(document.body.children, function (c) { if (c.tagName === 'SCRIPT') return; if (top && c !== top) c.setAttribute('aria-hidden', 'true'); else c.removeAttribute('aria-hidden'); });
  }
  function dialog(titleId, title, body, actions, opts) {
    opts = opts || {};
    var root = h('div', { class: 'dialog-root MuiDialog-root', role: 'presentation' });
    var box = h('div', { class: 'MuiPaper-root MuiDialog-paper', role: 'dialog', 'aria-labelledby': titleId, 'aria-describedby': opts.describedBy }, [
      h('h2', { id: titleId, class: 'MuiDialogTitle-root' }, [title].concat(opts.close ? [h('button', { type: 'button', 'aria-label': opts.close.label, onclick: opts.close.onClick, text: '×' })] : [])),
      h('div', { class: 'MuiDialogContent-root' }, body),
      actions ? h('div', { class: 'MuiDialogActions-root' }, actions) : null,
    ]);
    root.appendChild(box);
    if (opts.onEscape) root.addEventListener('keydown', function (e) { if (e.key === 'Escape') opts.onEscape(); });
    return root;
  }

  // --- state ---
  var auth = { checking: true, user: null }, autoOpened = false;
  var sessions = null, imagesByType = null, hosts = null, context = null;
  var form = { type: 'notebook', project: 'skaha', image: '', name: 'notebook1', dirty: false };
  var lastCount = null, lastType = null, deleting = {}, launchRequest = null, pollTimer = null;
  var loginDialog = null, requestDialog = null, deleteDialog = null;

  var root = document.getElementById('root');
  var accountButton = h('button', { type: 'button', 'aria-label': 'Account menu', 'aria-haspopup': 'menu', 'aria-expanded': 'false', onclick: onAccount }, ['…']);
  var accountMenu = h('ul', { id: 'app-bar-menu', role: 'menu', hidden: true }, ['Update Profile', 'Reset Password', 'Obtain Certificate', 'Logout'].map(function (label) {
    return h('li', { role: 'menuitem', tabindex: '-1', text: label, onclick: label === 'Logout' ? logout : function () { accountMenu.hidden = true; } });
  }));
  var main = h('main', {});
  root.appendChild(h('header', { class: 'MuiAppBar-root' }, [h('span', { text: 'Science Portal' }), h('div', {}, [accountButton, accountMenu])]));
  root.appendChild(main);

  function interactive() { return (sessions || []).filter(function (s) { return s.type !== 'headless' && s.type !== 'desktop-app'; }); }
  function displayName() {
    var u = auth.user || {};
    return u.firstName && u.lastName ? u.firstName + ' ' + u.lastName : u.username || 'User';
  }
  function renderHeader() {
    var label = auth.checking ? 'Account menu' : auth.user ? displayName() : 'Login';
    accountButton.textContent = auth.checking ? '…' : label;
    accountButton.setAttribute('aria-label', label);
  }
  function onAccount() {
    if (auth.checking) return;
    if (!auth.user) return openLogin();
    accountMenu.hidden = !accountMenu.hidden;
    accountButton.setAttribute('aria-expanded', accountMenu.hidden ? 'false' : 'true');
  }
  function logout() { localStorage.removeItem(TOKEN_KEY); location.href = '/access/logout'; }

  // --- login dialog (loginModal.tsx) ---
  function field(id, name, label, type, autocomplete) {
    var input = h('input', { id: id, name: name, type: type, autocomplete: autocomplete });
    var helper = h('p', { class: 'helper', hidden: true });
    var wrap = h('div', { class: 'MuiFormControl-root MuiTextField-root row', 'aria-label': label }, [h('label', { for: id, text: label }), ' ', input, helper]);
    return { wrap: wrap, input: input, helper: helper };
  }
  function openLogin() {
    if (loginDialog) return;
    var user = field('login-username', 'username', 'Username', 'text', 'username');
    var pass = field('login-password', 'password', 'Password', 'password', 'current-password');
    var error = h('div', { id: 'login-error-message', role: 'alert', class: 'MuiAlert-root', hidden: true });
    var submit = h('button', { type: 'submit', 'aria-label': 'Submit login', text: 'Login' });
    var close = function () { if (!submit.disabled) { closeModal(loginDialog); loginDialog = null; } };
    var toggle = h('button', { type: 'button', 'aria-label': 'toggle password visibility', text: '👁', onclick: function () { pass.input.type = pass.input.type === 'password' ? 'text' : 'password'; } });
    var formEl = h('form', { novalidate: true }, [error, user.wrap, pass.wrap, toggle,
      h('label', {}, [h('input', { type: 'checkbox', id: 'login-remember-me', name: 'rememberMe', 'aria-label': 'Remember me' }), ' Remember me']),
      h('div', {}, [h('button', { type: 'button', 'aria-label': 'Cancel login', text: 'Cancel', onclick: close }), ' ', submit])]);
    formEl.addEventListener('submit', function (e) {
      e.preventDefault();
      var bad = false;
      [[user, user.input.value.trim() ? '' : 'Username is required'],
       [pass, !pass.input.value ? 'Password is required' : pass.input.value.length < 6 ? 'Password must be at least 6 characters' : '']].forEach(function (p) {
        p[0].helper.textContent = p[1]; p[0].helper.hidden = !p[1]; if (p[1]) bad = true;
      });
      if (bad) return;
      error.hidden = true;
      submit.disabled = true; submit.textContent = 'Logging in...';
      var creds = { username: user.input.value.trim(), password: pass.input.value };
      withRetry(function () {
        return api('/auth/login', { method: 'POST', json: creds }).then(function (res) { if (!res.ok) throw new Error('Login failed: ' + res.status); return res.json(); });
      }).then(function (doc) {
        localStorage.setItem(TOKEN_KEY, doc.token);
        submit.disabled = false;
        close();
        checkAuth();
      }, function (err) {
        error.textContent = err.message; error.hidden = false;
        submit.disabled = false; submit.textContent = 'Login';
      });
    });
    loginDialog = dialog('login-dialog-title', 'Login', [formEl], null, { close: { label: 'Close login dialog', onClick: close }, onEscape: close });
    openModal(loginDialog);
    user.input.focus();
  }

  // --- auth (lib/hooks/useAuth.ts, lib/api/login.ts) ---
  function checkAuth() {
    auth.checking = true; renderHeader();
    return api('/auth/status').then(function (r) { return r.ok ? r.json() : { authenticated: false }; }, function () { return { authenticated: false }; }).then(function (doc) {
      auth.checking = false;
      auth.user = doc.authenticated ? doc.user : null;
      renderHeader();
      renderMain();
      if (auth.user) { start(); return; }
      if (!autoOpened) { autoOpened = true; openLogin(); }
    });
  }

  // --- dashboard ---
  var sessionsPaper, sessionsTitle, cardsBox, launchPaper, launchBody, storageBody;
  function paper(title, extra) {
    var heading = h('h2', { class: 'MuiTypography-root MuiTypography-h6', text: title });
    var body = h('div', {});
    return { el: h('div', { class: 'MuiPaper-root MuiPaper-outlined' }, [h('div', {}, [heading].concat(extra || [])), body]), heading: heading, body: body };
  }
  function renderMain() {
    clear(main);
    if (!auth.checking && !auth.user) {
      main.appendChild(h('div', {}, [h('h1', { text: 'Sign in to access the Science Portal' }),
        h('p', { text: 'Use the Login button in the header to view your active sessions, check your storage, and launch new sessions.' })]));
      return;
    }
    var s = paper('Active Sessions', [h('button', { type: 'button', 'aria-label': 'refresh', text: '⟳', onclick: function () { refresh(); } })]);
    sessionsPaper = s.el; sessionsTitle = s.heading; cardsBox = h('div', { class: 'cards' }); s.body.appendChild(cardsBox);
    var st = paper('User Home Storage'); storageBody = st.body;
    var l = paper('Launch New Session'); launchPaper = l.el; launchBody = l.body;
    [sessionsPaper, st.el, launchPaper].forEach(function (p) { main.appendChild(p); });
    renderSessions(); renderForm();
  }

  // --- session cards (sessionCard.tsx) ---
  function skeletonCard() { return h('div', { class: 'MuiPaper-root MuiPaper-outlined MuiCard-root' }, [h('div', { class: 'MuiCardContent-root' }, [h('span', { class: 'MuiSkeleton-root' })])]); }
  function when(t) { return t && /^\\d{4}-/.test(t) ? t.slice(0, 16).replace('T', ' ') : 'Pending...'; }
  function actionButton(label, tip, disabled, onClick) {
    return h('span', { 'aria-label': tip }, [h('button', { type: 'button', 'aria-label': label, disabled: disabled, text: label.charAt(0), onclick: function (e) { e.stopPropagation(); onClick(); } })]);
  }
  function card(s) {
    var terminating = deleting[s.id] || s.status === 'Terminating';
    var shown = terminating ? 'Terminating' : s.status === 'Failed' ? 'Expired' : s.status;
    var connectable = s.status === 'Running' && !terminating && s.connectURL && s.connectURL !== 'Unknown';
    var parts = (s.image || '').split('/');
    var content = h('div', { class: 'MuiCardContent-root' }, [
      typeof s.isFixedResources === 'boolean' ? h('div', { class: 'MuiChip-root', 'aria-label': s.isFixedResources ? 'Fixed resources — the session gets exactly the CPU and RAM it requested' : 'Flexible resources — the session shares idle cluster capacity' }, [h('span', { class: 'MuiChip-label', text: s.isFixedResources ? 'FIXED' : 'FLEX' })]) : null,
      s.status === 'Pending' && !terminating ? h('div', { class: 'MuiBackdrop-root', 'aria-hidden': 'false' }, [h('span', { role: 'progressbar' })]) : null,
      h('div', {}, [h('img', { alt: s.type === 'notebook' ? 'Notebook' : s.type, src: PIXEL, width: '22', height: '22' }),
        h('div', { class: 'MuiTypography-root MuiTypography-subtitle1', text: s.name }),
        h('div', { class: 'MuiChip-root' }, [h('span', { class: 'MuiChip-label', text: shown })])]),
      h('div', { class: 'MuiStack-root' }, [
        h('p', { text: 'Project: ' + (parts.length >= 3 ? parts[1] : 'N/A') }),
        h('p', { text: 'Image: ' + (parts.length >= 3 ? parts.slice(2).join('/') : 'N/A') }),
        h('p', { text: 'Memory: ' + (s.ramInUse && s.ramInUse !== '<none>' ? s.ramInUse : 'N/A') + ' · CPU: ' + (s.cpuCoresInUse || 'N/A') }),
        h('p', { text: 'Started: ' + when(s.startTime) + ' UTC' }),
        h('p', { text: 'Expires: ' + when(s.expiryTime) + ' UTC' })]),
    ]);
    var off = terminating;
    var actions = h('div', { class: 'MuiCardActions-root' }, [
      actionButton('Extend time', s.status === 'Pending' ? 'Cannot extend a pending session' : 'Extend time', off || s.status === 'Pending', function () { api('/sessions/' + s.id + '/renew', { method: 'POST' }); }),
      actionButton('View logs', 'View session logs', off, function () {}),
      actionButton('View events', 'View launch info', off, function () {}),
      actionButton('Delete session', 'Delete session', off, function () { askDelete(s); }),
    ]);
    var el = h('div', { class: 'MuiPaper-root MuiPaper-outlined MuiCard-root', role: connectable ? 'link' : null, tabindex: connectable ? '0' : null, 'aria-label': connectable ? 'Open session ' + s.name : null,
      onclick: function () { if (connectable) window.open(s.connectURL, '_blank'); } }, [content, actions]);
    if (terminating) el.appendChild(h('div', { class: 'MuiBackdrop-root', 'aria-hidden': 'false' }, [h('span', { role: 'progressbar' })]));
    return el;
  }
  var lastCards = null;
  function renderSessions() {
    if (!cardsBox) return;
    var list = interactive();
    var key = JSON.stringify([sessions, deleting]);
    if (key === lastCards && cardsBox.firstChild) return;
    lastCards = key;
    sessionsTitle.textContent = sessions && list.length ? 'Active Sessions (' + list.length + ')' : 'Active Sessions';
    clear(cardsBox);
    if (sessions === null) { for (var i = 0; i < 3; i++) cardsBox.appendChild(skeletonCard()); return; }
    if (!list.length) { cardsBox.appendChild(h('div', { class: 'MuiPaper-root MuiPaper-outlined MuiCard-root' }, [h('div', { class: 'MuiCardContent-root' }, [h('p', { text: 'No active sessions' })])])); return; }
    list.forEach(function (s) { cardsBox.appendChild(card(s)); });
  }
  function askDelete(s) {
    var close = function () { closeModal(deleteDialog); deleteDialog = null; };
    deleteDialog = dialog('delete-session-dialog-title', 'Delete Session', [
      h('p', { id: 'delete-session-dialog-description', text: 'Do you really want to delete this session? This process cannot be undone.' }),
      h('p', { text: 'Session name ' + s.name + ', id ' + s.id })],
      [h('button', { type: 'button', text: 'Close', onclick: close }), ' ', h('button', { type: 'button', text: 'Delete', onclick: function () {
        deleting[s.id] = true; close(); renderSessions();
        api('/sessions/' + s.id, { method: 'DELETE' }).then(function (res) { if (!res.ok) throw new Error(String(res.status)); refresh(); })
          .catch(function () { delete deleting[s.id]; renderSessions(); });
      } })], { close: { label: 'close modal', onClick: close }, onEscape: close });
    openModal(deleteDialog);
  }
  function refresh() {
    clearTimeout(pollTimer);
    return api('/sessions?view=interactive').then(json).then(function (list) {
      sessions = list;
      Object.keys(deleting).forEach(function (id) { if (!list.some(function (s) { return s.id === id; })) delete deleting[id]; });
      renderSessions(); syncForm();
      var terminating = list.some(function (s) { return s.status === 'Terminating' || deleting[s.id]; });
      var pending = list.some(function (s) { return s.type !== 'headless' && s.type !== 'desktop-app' && s.status === 'Pending'; });
      if (terminating) pollTimer = setTimeout(refresh, 5000);
      else if (pending) pollTimer = setTimeout(refresh, 10000);
    }, function () {});
  }

  // --- launch form (sessionLaunchForm.tsx) ---
  function byName(a, b) { return a.localeCompare(b, undefined, { sensitivity: 'base' }); }
  function registry() { return (hosts || [])[0]; }
  function projectsFor(type) {
    var byProject = (imagesByType || {})[type] || {};
    return Object.keys(byProject).filter(function (p) { return byProject[p].some(function (i) { return i.registry === registry(); }); }).sort(byName);
  }
  function imagesFor(type, project) {
    return (((imagesByType || {})[type] || {})[project] || []).filter(function (i) { return i.registry === registry(); });
  }
  function formReady() { return imagesByType !== null && hosts !== null && context !== null; }
  /** The form's effects: default project and image, the name rewritten on a new session count or type. */
  function syncForm() {
    if (formReady()) {
      var projects = projectsFor(form.type);
      if (projects.length && projects.indexOf(form.project) < 0) { form.project = projects.indexOf('skaha') >= 0 ? 'skaha' : projects[0]; form.image = ''; }
      var images = imagesFor(form.type, form.project);
      if (images.length && !images.some(function (i) { return i.id === form.image; })) {
        var desired = DEFAULT_IMAGE_NAMES[form.type], base = desired && desired.split(':')[0];
        var pick = images.filter(function (i) { return i.name === desired; })[0] || images.filter(function (i) { return i.imageName === base; })[0] || images[0];
        form.image = pick.id;
      }
    }
    var count = interactive().length;
    if (count !== lastCount || form.type !== lastType) { form.name = form.type + (count + 1); lastCount = count; lastType = form.type; }
    renderForm();
  }
  var openListbox = null;
  function combobox(id, value, options, disabled, onPick) {
    var box = h('div', { role: 'combobox', id: id, class: 'MuiSelect-select', tabindex: disabled ? null : '0', 'aria-haspopup': 'listbox', 'aria-expanded': 'false',
      'aria-disabled': disabled ? 'true' : null, 'aria-labelledby': id, text: (options.filter(function (o) { return o.value === value; })[0] || { label: '' }).label });
    box.addEventListener('click', function () {
      if (disabled) return;
      var pop = h('div', { class: 'popover MuiPopover-root MuiMenu-root', role: 'presentation' });
      var close = function () { closeModal(pop); openListbox = null; box.setAttribute('aria-expanded', 'false'); };
      pop.addEventListener('click', function (e) { if (e.target === pop) close(); });
      pop.addEventListener('keydown', function (e) { if (e.key === 'Escape') close(); });
      var list = h('ul', { role: 'listbox', class: 'MuiList-root MuiMenu-list', tabindex: '-1' }, options.map(function (o) {
        return h('li', { role: 'option', class: 'MuiMenuItem-root', tabindex: '-1', 'aria-selected': o.value === value ? 'true' : 'false',
          onclick: function () { close(); if (o.value !== value) onPick(o.value); } }, [o.placeholder ? h('em', { text: o.label }) : o.label]);
      }));
      pop.appendChild(list);
      openModal(pop); openListbox = pop;
      box.setAttribute('aria-expanded', 'true');
      list.focus();
    });
    return box;
  }
  function renderForm() {
    if (!launchBody) return;
    clear(launchBody);
    if (!formReady()) { launchBody.appendChild(h('div', { class: 'MuiSkeleton-root', 'aria-busy': 'true' })); return; }
    var tabs = h('div', { role: 'tablist', 'aria-label': 'session launch tabs' }, [
      h('button', { role: 'tab', id: 'session-tab-0', 'aria-controls': 'session-tabpanel-0', 'aria-selected': 'true', type: 'button', text: 'Standard' }),
      h('button', { role: 'tab', id: 'session-tab-1', 'aria-controls': 'session-tabpanel-1', 'aria-selected': 'false', type: 'button', text: 'Advanced' })]);
    var projects = projectsFor(form.type), images = imagesFor(form.type, form.project);
    var typeBox = combobox('session-type', form.type, TYPES.map(function (t) { return { value: t, label: t }; }), false, function (t) {
      var keep = form.dirty && form.project && projectsFor(t).indexOf(form.project) >= 0;
      form.type = t; form.project = keep ? form.project : 'skaha'; form.image = ''; syncForm();
    });
    var registryField = (hosts || []).length > 1
      ? combobox('session-registry', registry(), hosts.map(function (x) { return { value: x, label: x }; }), false, function () {})
      : h('input', { type: 'text', id: 'session-registry-readonly', value: registry() || '', disabled: true });
    var projectBox = combobox('session-project', form.project, [{ value: '', label: 'Select project', placeholder: true }].concat(projects.map(function (p) { return { value: p, label: p }; })),
      projects.length === 0, function (p) { form.dirty = true; form.project = p; form.image = ''; syncForm(); });
    var imageBox = combobox('session-image', form.image, [{ value: '', label: 'Select image', placeholder: true }].concat(images.map(function (i) { return { value: i.id, label: i.label }; })),
      !form.project || images.length === 0, function (id) { form.dirty = true; form.image = id; renderForm(); });
    var name = h('input', { type: 'text', id: 'session-name', placeholder: 'Enter session name', maxlength: '15', value: form.name });
    name.addEventListener('input', function () { form.dirty = true; form.name = name.value; });
    var canLaunch = interactive().length + (launchRequest && launchRequest.status === 'requesting' ? 1 : 0) < MAX_SESSIONS;
    var launch = h('button', { type: 'submit', disabled: !canLaunch || !form.project || !form.image, text: 'Launch' });
    var row = function (label, control) { return h('div', { class: 'row' }, [h('label', { class: 'MuiFormLabel-root', text: label }), ' ', control]); };
    var formEl = h('form', {}, [h('div', { role: 'tabpanel', id: 'session-tabpanel-0', 'aria-labelledby': 'session-tab-0' }, [
      row('type', typeBox), row('image registry', registryField), row('project', projectBox), row('container image', imageBox), row('session name', name),
      h('div', { class: 'row' }, [canLaunch ? launch : h('span', { 'aria-label': QUOTA_MESSAGE }, [launch]), ' ',
        h('button', { type: 'button', text: 'Reset', onclick: function () { form = { type: 'notebook', project: 'skaha', image: '', name: 'notebook1', dirty: false }; syncForm(); } })])]),
      h('div', { role: 'tabpanel', id: 'session-tabpanel-1', 'aria-labelledby': 'session-tab-1', hidden: true })]);
    formEl.addEventListener('submit', function (e) { e.preventDefault(); submitLaunch(); });
    launchBody.appendChild(tabs);
    launchBody.appendChild(formEl);
  }
  function submitLaunch() {
    if (interactive().length >= MAX_SESSIONS) return;
    var params = { sessionType: form.type, sessionName: form.name, containerImage: form.image };
    launchRequest = { status: 'requesting' };
    var status = h('p', { text: 'Requesting session...' });
    var close = function () { if (requestDialog) { closeModal(requestDialog); requestDialog = null; } launchRequest = null; renderForm(); };
    requestDialog = dialog('portal-modal-title', 'Request New Session', [status, h('p', { text: 'Submitting request for ' + params.sessionType + ' session "' + params.sessionName + '"' })]);
    openModal(requestDialog);
    withRetry(function () {
      return api('/sessions', { method: 'POST', json: params }).then(function (res) {
        if (res.ok) return res.json();
        return res.text().then(function (text) {
          var doc = null; try { doc = JSON.parse(text); } catch (e) { /* raw text */ }
          throw new Error(doc ? ((doc.details || '').trim() || doc.message || doc.error || text) : text || 'Failed to launch session: ' + res.status);
        });
      });
    }).then(function () { close(); }, function (err) {
      launchRequest = { status: 'error' };
      var content = requestDialog.querySelector('.MuiDialogContent-root');
      content.insertBefore(h('div', { role: 'alert', class: 'MuiAlert-root', text: err.message }), content.firstChild);
      status.textContent = 'Failed to create session';
      requestDialog.querySelector('[role=dialog]').appendChild(h('div', { class: 'MuiDialogActions-root' }, [h('button', { type: 'button', text: 'Close', onclick: close })]));
    }).then(function () { refresh(); });
  }

  function start() {
    api('/auth/session').catch(function () {});
    refresh();
    api('/sessions/images').then(json).then(function (d) { imagesByType = d; syncForm(); }, function () {});
    api('/sessions/repository').then(json).then(function (d) { hosts = d.map(function (r) { return r.host; }).filter(Boolean); syncForm(); }, function () {});
    api('/sessions/context').then(json).then(function (d) { context = d; syncForm(); }, function () {});
    var u = auth.user.username;
    api('/storage/raw/' + encodeURIComponent(u)).then(json).then(function (d) {
      clear(storageBody).appendChild(h('p', { text: 'Quota: ' + Math.round((d.quota || 0) / 1073741824) + ' GB' }));
    }, function () {});
  }

  renderHeader();
  renderMain();
  api('/auth/session').catch(function () {});
  checkAuth();
})();
`;
