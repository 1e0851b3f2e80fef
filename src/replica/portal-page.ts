/**
 * The Science Portal page (`/science-portal`) and the replica's stand-in for its Next.js client,
 * following cadc-reference.md §2.5 and §5.1 with the §11 corrections: the login dialog opens by
 * itself about a second after load; the desktop "Login" control is a button labelled "Login";
 * logged in, the header button carries the display name and opens `#app-bar-menu`; the form's
 * type, project and image are comboboxes; the session name is prefilled `notebook<N+1>`; the list
 * refreshes only at its polling ticks (10 s while a session is Pending, 5 s while one is Terminating).
 * Markup the reference does not quote (card layout, the delete confirmation's button text) is a guess (?).
 */

export function sciencePortalPage(): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Science Portal</title>
<style>
  body { font-family: sans-serif; margin: 0; } [hidden] { display: none !important; }
  header { display: flex; justify-content: space-between; padding: 8px 16px; background: #123; color: #fff; }
  main { padding: 16px; } .session-card { border: 1px solid #ccc; padding: 8px; margin: 4px 0; }
  [role=listbox] { border: 1px solid #999; list-style: none; padding: 0; background: #fff; }
  [role=option] { padding: 4px 8px; cursor: pointer; } [role=combobox] { border: 1px solid #999; padding: 4px 8px; min-width: 160px; display: inline-block; }
  [role=dialog] { position: fixed; top: 20%; left: 30%; background: #fff; border: 1px solid #333; padding: 16px; }
</style></head>
<body>
<header><span>CANFAR Science Portal</span>
  <button type="button" id="app-bar-account" aria-label="Login" aria-haspopup="true">Login</button>
  <ul id="app-bar-menu" role="menu" hidden>
    <li role="menuitem">Update Profile</li><li role="menuitem">Reset Password</li>
    <li role="menuitem">Obtain Certificate</li><li role="menuitem" id="app-bar-logout">Logout</li>
  </ul>
</header>
<main>
  <section aria-label="Active sessions"><h2>Active Sessions</h2><div id="session-list" aria-busy="true"></div></section>
  <section aria-label="New session"><h2>New Session</h2>
    <div role="tablist"><button role="tab" id="session-tab-0" aria-selected="true">Standard</button><button role="tab" id="session-tab-1" aria-selected="false">Advanced</button></div>
    <form id="launch-form">
      <label>Type <div role="combobox" id="session-type" tabindex="0" aria-expanded="false" aria-controls="session-type-listbox">notebook</div></label>
      <label>Project <div role="combobox" id="session-project" tabindex="0" aria-expanded="false" aria-controls="session-project-listbox"></div></label>
      <label>Container image <div role="combobox" id="session-image" tabindex="0" aria-expanded="false" aria-controls="session-image-listbox"></div></label>
      <input type="text" id="session-registry-readonly" value="images.canfar.net" disabled>
      <label>Session name <input type="text" id="session-name" name="sessionName"></label>
      <button type="submit" disabled>Launch</button> <button type="reset">Reset</button>
    </form>
  </section>
</main>
<div role="dialog" id="login-dialog" aria-labelledby="login-dialog-title" hidden>
  <h2 id="login-dialog-title">Login</h2>
  <button type="button" aria-label="Close login dialog">×</button>
  <form id="login-form">
    <input type="text" id="login-username" name="username" autocomplete="username">
    <input type="password" id="login-password" name="password" autocomplete="current-password">
    <button type="button" aria-label="toggle password visibility">👁</button>
    <label><input type="checkbox" name="rememberMe"> Remember me</label>
    <button type="button" aria-label="Cancel login">Cancel</button>
    <button type="submit" aria-label="Submit login">Login</button>
    <div id="login-error-message" role="alert"></div>
  </form>
</div>
<div role="dialog" id="delete-session-dialog" aria-describedby="delete-session-dialog-description" hidden>
  <p id="delete-session-dialog-description"></p>
  <button type="button" id="delete-session-cancel">Cancel</button> <button type="button" id="delete-session-confirm">Delete</button>
</div>
<script src="/science-portal/_replica/portal.js"></script>
</body></html>
`;
}

export const SCIENCE_PORTAL_JS = `(function () {
  'use strict';
  var TOKEN_KEY = 'canfar_auth_token';
  var PENDING_POLL_MS = 10000, TERMINATING_POLL_MS = 5000;
  var $ = function (id) { return document.getElementById(id); };
  var token = localStorage.getItem(TOKEN_KEY);
  var sessions = [], images = [], contextLoaded = false, pollTimer = null, pendingDelete = null;
  var choice = { type: 'notebook', project: '', image: '' };

  function api(path, opts) {
    opts = opts || {};
    var headers = { Accept: 'application/json' };
    if (opts.json !== undefined) { headers['Content-Type'] = 'application/json'; opts.body = JSON.stringify(opts.json); }
    if (token) headers.Authorization = 'Bearer ' + token;
    return fetch('/science-portal/api' + path, { method: opts.method || 'GET', headers: headers, body: opts.body, credentials: 'include' });
  }

  // --- login ---
  var dialog = $('login-dialog');
  function openLogin() { dialog.hidden = false; $('login-username').focus(); }
  $('app-bar-account').addEventListener('click', function () {
    if (!token) return openLogin();
    $('app-bar-menu').hidden = !$('app-bar-menu').hidden;
  });
  document.querySelector('[aria-label="Close login dialog"]').addEventListener('click', function () { dialog.hidden = true; });
  document.querySelector('[aria-label="Cancel login"]').addEventListener('click', function () { dialog.hidden = true; });
  $('login-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var error = $('login-error-message');
    var submit = document.querySelector('[aria-label="Submit login"]');
    var username = $('login-username').value, password = $('login-password').value;
    error.textContent = '';
    if (password.length < 6) { error.textContent = 'Password must be at least 6 characters'; return; }
    submit.textContent = 'Logging in...'; submit.disabled = true;
    api('/auth/login', { method: 'POST', json: { username: username, password: password } })
      .then(function (res) {
        if (!res.ok) throw new Error('Login failed: ' + res.status);
        return res.json();
      })
      .then(function (doc) {
        token = doc.token;
        localStorage.setItem(TOKEN_KEY, token);
        dialog.hidden = true;
        $('login-password').value = '';
        showUser(doc.user);
        start();
      })
      .catch(function (err) { error.textContent = err.message; })
      .then(function () { submit.textContent = 'Login'; submit.disabled = false; });
  });
  $('app-bar-logout').addEventListener('click', function () { localStorage.removeItem(TOKEN_KEY); location.reload(); });
  function showUser(user) {
    var b = $('app-bar-account');
    b.textContent = user.displayName || user.username;
    b.setAttribute('aria-label', user.displayName || user.username);
  }

  // --- comboboxes (MUI Autocomplete-like) ---
  function combobox(id, options, onPick) {
    var box = $(id);
    box.onclick = function () {
      var old = $(id + '-listbox');
      if (old) { old.remove(); box.setAttribute('aria-expanded', 'false'); return; }
      var list = document.createElement('ul');
      list.setAttribute('role', 'listbox'); list.id = id + '-listbox';
      options().forEach(function (o) {
        var li = document.createElement('li');
        li.setAttribute('role', 'option'); li.textContent = o;
        li.onclick = function (ev) { ev.stopPropagation(); box.textContent = o; list.remove(); box.setAttribute('aria-expanded', 'false'); onPick(o); };
        list.appendChild(li);
      });
      box.setAttribute('aria-expanded', 'true');
      box.parentNode.appendChild(list);
    };
  }
  function imagesOf(type, project) {
    return images.filter(function (i) { return i.types.indexOf(type) >= 0 && (!project || i.id.split('/')[1] === project); });
  }
  combobox('session-type', function () { return ['notebook', 'desktop', 'carta', 'headless', 'contributed', 'firefly']; }, function (t) {
    choice.type = t; choice.image = ''; $('session-image').textContent = ''; prefillName(); updateLaunch();
  });
  combobox('session-project', function () {
    var seen = [];
    images.forEach(function (i) { var p = i.id.split('/')[1]; if (seen.indexOf(p) < 0) seen.push(p); });
    return seen;
  }, function (p) { choice.project = p; choice.image = ''; $('session-image').textContent = ''; updateLaunch(); });
  combobox('session-image', function () {
    return imagesOf(choice.type, choice.project).map(function (i) { return i.id.split('/').slice(2).join('/'); });
  }, function (v) {
    var hit = imagesOf(choice.type, choice.project).filter(function (i) { return i.id.split('/').slice(2).join('/') === v; })[0];
    choice.image = hit ? hit.id : ''; updateLaunch();
  });
  function prefillName() {
    var n = sessions.filter(function (s) { return s.type === choice.type; }).length;
    $('session-name').value = choice.type + (n + 1);
  }
  function launchButton() { return document.querySelector('#launch-form button[type=submit]'); }
  function updateLaunch() { launchButton().disabled = !(contextLoaded && images.length && choice.project && choice.image); }

  $('launch-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var name = $('session-name').value;
    launchButton().disabled = true;
    api('/sessions', { method: 'POST', json: { sessionType: choice.type, sessionName: name, containerImage: choice.image } })
      .then(function (res) { if (res.status !== 201) return res.json().then(function (d) { throw new Error(d.error || res.status); }); return res.json(); })
      .then(function () { return refresh(); })
      .catch(function (err) { alert('Launch failed: ' + err.message); })
      .then(updateLaunch);
  });

  // --- sessions ---
  function render() {
    var list = $('session-list');
    list.innerHTML = '';
    sessions.forEach(function (s) {
      var card = document.createElement('div');
      card.className = 'session-card'; card.setAttribute('data-session-id', s.id);
      card.innerHTML = '<span class="session-name"></span> <span class="session-type"></span> <span class="session-status"></span> ' +
        '<button type="button" aria-label="Extend time">⏱</button><button type="button" aria-label="View logs">📄</button>' +
        '<button type="button" aria-label="View events">📋</button><button type="button" aria-label="Delete session">🗑</button>';
      card.querySelector('.session-name').textContent = s.name;
      card.querySelector('.session-type').textContent = s.type;
      card.querySelector('.session-status').textContent = s.status;
      card.querySelector('[aria-label="Delete session"]').onclick = function () {
        pendingDelete = s;
        $('delete-session-dialog-description').textContent = 'Are you sure you want to delete session ' + s.name + '?';
        $('delete-session-dialog').hidden = false;
      };
      list.appendChild(card);
    });
    list.setAttribute('aria-busy', 'false');
  }
  $('delete-session-cancel').onclick = function () { $('delete-session-dialog').hidden = true; pendingDelete = null; };
  $('delete-session-confirm').onclick = function () {
    var s = pendingDelete; pendingDelete = null;
    $('delete-session-dialog').hidden = true;
    api('/sessions/' + encodeURIComponent(s.id), { method: 'DELETE' }).then(function () { return refresh(); });
  };
  function refresh() {
    clearTimeout(pollTimer);
    return api('/sessions').then(function (res) {
      if (!res.ok) throw new Error('sessions ' + res.status);
      return res.json();
    }).then(function (list) {
      sessions = list;
      render();
      prefillName();
      var pending = list.some(function (s) { return s.status === 'Pending'; });
      var terminating = list.some(function (s) { return s.status === 'Terminating'; });
      if (pending) pollTimer = setTimeout(refresh, PENDING_POLL_MS);
      else if (terminating) pollTimer = setTimeout(refresh, TERMINATING_POLL_MS);
    });
  }
  function start() {
    refresh().catch(function () {});
    api('/auth/session').catch(function () {});
    Promise.all([
      api('/sessions/images').then(function (r) { return r.json(); }).then(function (l) { images = l; }),
      api('/sessions/context').then(function (r) { return r.json(); }).then(function () { contextLoaded = true; }),
      api('/sessions/repository').catch(function () {})
    ]).then(updateLaunch, function () {});
  }

  if (token) {
    api('/auth/status').then(function (r) { return r.json(); }).then(function (doc) {
      if (doc.authenticated) { showUser(doc.user); api('/storage/raw/' + encodeURIComponent(doc.user.username)).catch(function () {}); start(); }
      else { localStorage.removeItem(TOKEN_KEY); token = null; setTimeout(openLogin, 1000); }
    });
  } else {
    setTimeout(openLogin, 1000);
  }
})();
`;
