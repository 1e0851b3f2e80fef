/**
 * The storage UI's pages as the real one renders them (opencadc/storage-ui f870bb0, canfar theme), in
 * the replica's own markup: the listing (`themes/canfar/index.ftl` + `_main.ftl`), the error page
 * (`error.ftl`, the only page with `#errorDisplayDiv`) and the site header both include.
 *
 * The header is not in storage-ui: its canfar theme includes `canfar-application-header`, which
 * `StorageApplication#createFreemarkerConfig` loads from https://www.canfar.net/canfar/includes/_application_header.shtml
 * (not public). The replica serves its own version at that path (`applicationHeader()`), modelled on the one
 * public copy of a CANFAR application header, opencadc/canfar-portal 68e97f0 `_includes/_app_page_header.md`:
 * the user menu (`li.user-authenticated` > `a.access-actions.user-actions`) and the login link
 * (`li.user-anonymous` > `a.access-actions.login-form`) are both in the page, each hidden (`hidden`) until
 * `cadc.user.js` (not public; the replica's stand-in is in ./pages.ts) shows the one that applies. The older,
 * server-rendered variant (`_login.ftl`, included by the canfar theme's `top-nav.ftl` until storage-ui e772924)
 * renders only one of them: `storageHeader: 'login-ftl'`. Which one production serves cannot be read from code,
 * so the storage journey works with both.
 */

export type StorageHeader = 'application-header' | 'login-ftl';

/** One row of the listing: the visible columns of storage-ui's StorageItemCSVWriter. */
export interface ListingRow {
  name: string;
  /** `glyphicon-folder-open`, `glyphicon-file`, `glyphicon-link` (StorageItem#getItemIconCSS). */
  icon: string;
  size: string;
  lastModified: string;
  /** Where the name links: `/storage/arc/list/…` for a folder, `/storage/arc/file/…` for a file. */
  link: string;
  owner: string;
}

export interface ListingView {
  /** VOSpace path: `` for the root, `/home/<user>`. */
  path: string;
  /** The logged-in user's name (`username` in the real data model), if any. */
  username?: string;
  /** `/home/<user>` when the caller's home folder exists (the real page then shows `#homeDir`). */
  homeDir?: string;
  rows: ListingRow[];
  header: StorageHeader;
  svc: string;
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** Bootstrap 3's rules the journeys' visibility depends on, and the dropdowns. */
const STYLE = `<style>
  .hidden, .d-none { display: none !important; }
  .dropdown-menu { display: none; list-style: none; }
  .open > .dropdown-menu { display: block; }
  body { font-family: sans-serif; margin: 0; }
  nav ul { list-style: none; margin: 0; padding: 0; display: flex; gap: 12px; }
  table { border-collapse: collapse; } td, th { padding: 2px 8px; }
  .progress { height: 4px; background: #eee; } .beacon-progress { height: 4px; width: 100%; background: #5bc0de; }
  .beacon-progress.progress-bar-success { background: #5cb85c; }
</style>`;

/** Opens and closes `[data-toggle=dropdown]` menus, as bootstrap.js does. */
const DROPDOWN_JS = `<script>
document.addEventListener('click', function (e) {
  var toggle = e.target.closest && e.target.closest('[data-toggle="dropdown"]');
  document.querySelectorAll('.open').forEach(function (el) { if (!toggle || el !== toggle.parentElement) el.classList.remove('open'); });
  if (toggle) { toggle.parentElement.classList.toggle('open'); e.preventDefault(); }
});
</script>`;

/**
 * The replica's `/canfar/includes/_application_header.shtml`: the structure (ids, classes, roles, texts) of
 * canfar-portal 68e97f0 `_includes/_app_page_header.md` lines 3–111 and its scripts from canfar-root (lines
 * 167–171: org.opencadc.js, cadc.user.js, login.js; the registry client, the redirect util and the external
 * ones left out). Valid FreeMarker (no `${` or `<#`), since the real storage UI includes it as a template.
 */
export function applicationHeader(): string {
  return `<nav id="top_nav" class="navbar navbar-default navbar-fixed-top">
  <div class="container">
    <div class="navbar-header">
      <a class="navbar-brand" href="/en/">CANFAR</a>
    </div>
    <div id="canfar_navbar_collapse" class="collapse navbar-collapse">
      <ul id="navbar_list" class="nav navbar-nav pull-right">
        <li><a class="p-2 text-dark" href="/en/docs/">Documentation</a></li>
        <li class="dropdown canfar-access-control canfar-authenticated user-authenticated hidden">
          <a title="User actions." class="dropdown-toggle access-actions user-actions" role="button" aria-haspopup="true" aria-expanded="false" data-toggle="dropdown">
            <span class="auth-username canfar-auth-username"></span>
            <span class="caret"></span>
          </a>
          <ul class="dropdown-menu list-unstyled">
            <li><a href="" tabindex="2" title="Update profile" class="dropdown-item account_access_info" id="updateProfile">Update profile</a></li>
            <li><a href="" tabindex="3" title="Reset password" class="dropdown-item account_access_info" id="changePassword">Reset password</a></li>
            <li><a href="/cred/generate?daysValid=30" tabindex="4" title="Obtain a certificate" class="account_access_info" id="obtainCert">Obtain a Certificate</a></li>
            <li><a id="logout" title="Logout." class="access-control" href="/access/logout"><span class="glyphicon glyphicon-log-out"></span> Logout</a></li>
          </ul>
        </li>
        <li class="dropdown canfar-access-control canfar-anonymous user-anonymous hidden">
          <a title="Login form" class="dropdown-toggle access-actions login-form" role="button" aria-haspopup="true" aria-expanded="false" data-toggle="dropdown">Login
            <span class="caret"></span>
          </a>
          <ul class="dropdown-menu list-unstyled pull-right login-container">
            <li>
              <form class="form-inline access-control" id="loginForm" role="form" method="post" action="/access/login">
                <span id="login_fail" class="help-block text-danger pull-left"></span>
                <div class="form-group">
                  <label for="username" class="hidden" id="usernameLabel">Username</label>
                  <input type="text" id="username" name="username" class="form-control" tabindex="1" required="required" placeholder="Username" />
                </div>
                <div class="form-group">
                  <label for="password" class="hidden" id="passwordLabel">Password</label>
                  <input type="password" id="password" name="password" class="form-control" tabindex="2" required="required" placeholder="Password" />
                </div>
                <button type="submit" id="submitLogin" tabindex="2" class="btn btn-success"><span class="glyphicon glyphicon-log-in"></span> Login</button>
              </form>
              <a href="" class="account_access_info" tabindex="5" title="Forgot Username" id="forgot_username_1">Forgot your Account information?</a>
              <a href="" class="account_access_info" tabindex="6" title="Register" id="register_cadc_1">Request a CADC Account</a>
            </li>
          </ul>
        </li>
      </ul>
    </div>
  </div>
</nav>
<script type="text/javascript" src="/cadcJS/javascript/org.opencadc.js"></script>
<script type="text/javascript" src="/cadcJS/javascript/cadc.user.js"></script>
<script type="text/javascript" src="/cadcJS/javascript/login.js"></script>
`;
}

/**
 * Stand-in for `/cadcJS/javascript/org.opencadc.js`, which the application header loads (canfar-portal 68e97f0
 * `_includes/_app_page_header.md` line 168) and storage-ui's `js/filemanager.js` needs (`new
 * org.opencadc.StringUtil()`, line 102) but index.ftl does not load itself. The library is opencadc/web
 * `cadc-js/src/www/cadcJS/javascript/org.opencadc.js`; this is only the part filemanager.js calls.
 */
export const ORG_OPENCADC_JS = `(function () {
  function StringUtil() {
    this.hasLength = function (s) { return s != null && String(s).length > 0; };
    this.hasText = function (s) { return this.hasLength(s) && String(s).trim() !== ''; };
  }
  window.org = window.org || {};
  window.org.opencadc = window.org.opencadc || {};
  window.org.opencadc.StringUtil = StringUtil;
})();
`;

/**
 * The server-rendered variant: storage-ui `themes/canfar/_login.ftl` (either the user menu, then
 * `a#logout`, or the login link with its form; never both) inside the canfar theme's `top-nav.ftl` as it was
 * before e772924 (`#canfar_navbar_collapse` > `ul#navbar_list` > `li.dropdown`).
 */
function loginFtlHeader(username: string | undefined, redirectPath: string): string {
  const inner = username
    ? `<a title="User actions." class="dropdown-toggle access-actions user-actions" role="button" aria-haspopup="true" aria-expanded="false" data-toggle="dropdown">
${esc(username)} <span class="caret"></span></a>
<ul class="dropdown-menu list-unstyled">
  <li class="disabled" disabled="disabled"><a title="Update profile." href="#" class="disabled" disabled="disabled">My profile</a></li>
  <li class="disabled" disabled="disabled"><a title="Change password." href="#" class="disabled" disabled="disabled">Change password</a></li>
  <li><a id="logout" title="Logout."><span class="glyphicon glyphicon-log-out"></span> Logout</a></li>
</ul>`
    : `<a title="Login form" class="dropdown-toggle access-actions login-form" role="button" aria-haspopup="true" aria-expanded="false" data-toggle="dropdown">Login <span class="caret"></span></a>
<ul class="dropdown-menu list-unstyled pull-right login-container">
  <li>
    <form class="form-inline" id="loginForm" role="form" method="post" action="/storage/ac/authenticate">
      <span id="login_fail" class="help-block text-danger pull-left"></span>
      <div class="form-group"><label for="username" class="hidden" id="usernameLabel">Username</label>
        <input type="text" id="username" name="username" class="form-control" tabindex="1" required="required" placeholder="Username" /></div>
      <div class="form-group"><label for="password" class="hidden" id="passwordLabel">Password</label>
        <input type="password" id="password" name="password" class="form-control" tabindex="2" required="required" placeholder="Password" /></div>
      <input type="hidden" id="redirectPath" name="redirectPath" value="${esc(redirectPath)}" />
      <button type="submit" id="submitLogin" class="btn btn-success"><span class="glyphicon glyphicon-log-in"></span> Login</button>
    </form>
  </li>
</ul>`;
  return `<nav class="navbar navbar-inverse navbar-fixed-top">
  <div class="container">
    <div id="canfar_navbar_collapse" class="collapse navbar-collapse">
      <ul id="navbar_list" class="nav navbar-nav pull-right">
        <li class="dropdown">${inner}</li>
      </ul>
    </div>
  </div>
</nav>
<script>
document.addEventListener('click', function (e) {
  if (!e.target.closest || !e.target.closest('a#logout')) return;
  fetch('/storage/ac/authenticate', { method: 'DELETE', credentials: 'include' }).then(function () { window.location.reload(); });
});
</script>`;
}

function header(view: { header: StorageHeader; username?: string }, redirectPath: string): string {
  return view.header === 'login-ftl' ? loginFtlHeader(view.username, redirectPath) : applicationHeader();
}

/**
 * Builds what DataTables and storage-ui's `js/filemanager.js` make of `table#beacon`: the wrapper
 * `#beacon_wrapper` with the progress bar (`role=progressbar`, `progress-bar-success` once every page is in:
 * filemanager.js `loadComplete`), the quota and the info line (`#beacon_info`, `role=status`, "Showing 1 to
 * {n} of {n} entries", DataTables 1.10.16's default English), and the rows; an empty folder gets DataTables'
 * one `td.dataTables_empty` row "No data available in table".
 */
const LISTING_JS = `(function () {
  var table = document.getElementById('beacon');
  var wrapper = document.createElement('div');
  wrapper.id = 'beacon_wrapper';
  wrapper.className = 'dataTables_wrapper form-inline dt-bootstrap no-footer';
  table.parentNode.insertBefore(wrapper, table);
  wrapper.innerHTML = '<div class="row beacon-info-row"><div class="col-sm-12"><div class="progress active">' +
    '<div class="beacon-progress progress-bar progress-bar-info progress-bar-striped" role="progressbar"></div></div>' +
    '<div class="quota"></div><div class="dataTables_info" id="beacon_info" role="status" aria-live="polite"></div></div></div>' +
    '<div class="row"><div class="col-sm-12"></div></div>';
  wrapper.querySelector('.row:last-child .col-sm-12').appendChild(table);
  var body = table.querySelector('tbody');
  var rows = window.__initialRows || [];
  function cell(html) { var td = document.createElement('td'); td.innerHTML = html; return td; }
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }
  rows.sort(function (a, b) { return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; });
  rows.forEach(function (r, i) {
    var tr = document.createElement('tr');
    tr.setAttribute('role', 'row');
    tr.className = i % 2 ? 'even' : 'odd';
    tr.appendChild(cell('')).className = 'select-checkbox';
    tr.appendChild(cell('<span class="glyphicon ' + r.icon + '"></span>&nbsp;&nbsp;<a href="' + esc(r.link) + '">' + esc(r.name) + '</a>'));
    tr.appendChild(cell(esc(r.size)));
    tr.appendChild(cell(esc(r.lastModified)));
    tr.appendChild(cell(''));
    tr.appendChild(cell(''));
    tr.appendChild(cell(esc(r.owner)));
    body.appendChild(tr);
  });
  if (!rows.length) body.innerHTML = '<tr class="odd"><td valign="top" colspan="7" class="dataTables_empty">No data available in table</td></tr>';
  document.getElementById('beacon_info').textContent = rows.length ? 'Showing 1 to ' + rows.length + ' of ' + rows.length + ' entries' : 'Showing 0 to 0 of 0 entries';
  var progress = wrapper.querySelector('div.progress');
  progress.classList.remove('active');
  var bar = progress.querySelector('div.beacon-progress');
  bar.classList.remove('progress-bar-striped', 'progress-bar-info');
  bar.classList.add('progress-bar-success');
})();`;

/** `themes/canfar/index.ftl` with `_main.ftl`: the folder listing. */
export function listingPage(view: ListingView): string {
  const root = view.path === '';
  const svcPath = `${view.svc}/`;
  const parent = view.path.split('/').slice(0, -1).join('/');
  const toolbar = [
    `<li class="dataTables_filter"><form class="navbar-form navbar-left" role="search"><input id="beacon_filter" class="form-control dataTables_filter" aria-controls="beacon" placeholder="Search Name..." type="search" /></form></li>`,
    `<li class="dropdown divider-vertical"><a title="Select VOSpace Service" class="dropdown-toggle" role="button" id="svcdropdown" name="svcdropdown" aria-expanded="false" data-toggle="dropdown"><span class="glyphicon glyphicon-hdd"></span> ${esc(view.svc)} <span class="caret"></span></a>
        <ul class="dropdown-menu"><li><a id="vos_${esc(view.svc)}" href="/storage/${esc(view.svc)}/list" role="button">${esc(view.svc)}</a></li></ul></li>`,
    view.homeDir
      ? `<li><a id="homeDir" name="homeDir" type="button" title="Navigate to home directory." href="/storage/${esc(svcPath)}list${esc(view.homeDir)}"><span class="glyphicon glyphicon-home"></span>&nbsp;Home</a></li>`
      : '',
    root
      ? ''
      : `<li><a id="level-up" name="level-up" href="/storage/${esc(svcPath)}list${esc(parent)}" role="button" title="Up one level"><span class="glyphicon glyphicon-level-up"></span>&nbsp;Up</a></li>
        <li><a id="root" name="root" type="button" title="Navigate to main root." href="/storage/${esc(svcPath)}list/"><span class="glyphicon glyphicon-folder-close"></span>&nbsp;Root</a></li>`,
  ].filter(Boolean);
  const heading = root
    ? 'ROOT'
    : `<button id="more_details" name="more_details" class="btn btn-info btn-xs" data-placement="bottom" data-toggle="popover" role="button"><span class="glyphicon glyphicon-eye-open"></span>&nbsp;<span class="caret"></span></button>
        ${esc(view.path)}`;
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>User Storage</title>${STYLE}</head>
<body>
${header(view, view.path)}
<div class="container-fluid">
<div class="row">
  <div role="main" class="col-sm-12 main">
    <h1 class="hidden" property="name">${esc(view.path)}</h1>
    <section>
      <h2 property="name">
        ${heading}
      </h2>
    </section>
    <section id="main_section">
      <div id="fileinfo" class="table-responsive">
        <nav class="navbar navbar-default">
          <div class="container-fluid">
            <div class="collapse navbar-collapse" id="navbar-functions">
              <ul class="nav navbar-nav">
                ${toolbar.join('\n                ')}
              </ul>
            </div>
          </div>
        </nav>
        <table id="beacon" class="table table-striped table-condensed table-hover" style="width: 100%;">
          <thead><tr><th></th><th>Name</th><th>Size</th><th>Last Modified (UTC)</th><th>Read/Write</th><th>Read</th><th>Owner</th></tr></thead>
          <tbody></tbody>
        </table>
      </div>
    </section>
  </div>
</div>
</div>
${DROPDOWN_JS}
<script>window.__initialRows = ${JSON.stringify(view.rows).replace(/</g, '\\u003c')};</script>
<script>${LISTING_JS}</script>
</body>
</html>
`;
}

/**
 * `themes/canfar/error.ftl`: what VOSpaceStatusService renders for an error status. `status` is Restlet's
 * `Status#toString()`, e.g. "Not Found (404) - The server has not found anything matching the request URI".
 */
export function errorPage(view: { header: StorageHeader; username?: string; svc: string; requestedFolder: string; status: string }): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>User Storage</title>${STYLE}</head>
<body>
${header(view, view.requestedFolder)}
<div class="container-fluid">
    <div id="errorDisplayDiv" class="errorDisplay" >
        Unable to fulfil request: ${esc(view.status)}
        <div class="returnTo">
            <br />
            Return to <a title="Root Folder" href='/storage/${esc(view.svc)}/list'>User Storage Root folder</a>
        </div>
    </div>
</div>
${DROPDOWN_JS}
</body>
</html>
`;
}

/** Restlet's default reason phrase and description for a status (org.restlet.data.Status, 2.5). */
const STATUS_TEXT: Record<number, [string, string]> = {
  400: ['Bad Request', 'The request could not be understood by the server due to malformed syntax'],
  401: ['Unauthorized', 'The request requires user authentication'],
  403: ['Forbidden', 'The server understood the request, but is refusing to fulfill it'],
  404: ['Not Found', 'The server has not found anything matching the request URI'],
  500: ['Internal Server Error', 'The server encountered an unexpected condition which prevented it from fulfilling the request'],
  503: ['Service Unavailable', 'The server is currently unable to handle the request due to a temporary overloading or maintenance of the server'],
};

/** `Status#toString()`: "<reason phrase> (<code>) - <description>". */
export function restletStatus(code: number): string {
  const [reason, description] = STATUS_TEXT[code] ?? STATUS_TEXT[500] ?? ['', ''];
  return `${reason} (${STATUS_TEXT[code] ? code : 500}) - ${description}`;
}
