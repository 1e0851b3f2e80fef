/**
 * HTML and scripts of the replica's CADC pages. The CADC site's own pages (`/en/login.html`, which
 * ac's SSOLoginServlet serves for `GET /access/login`), `login.js` and `cadc.user.js` are not public; the
 * markup follows the public CANFAR site header, opencadc/canfar-portal b90942b `_includes/_page_header.html`
 * (ids, classes, names, placeholder texts) and `_includes/_page_footer.html` (the script paths), and the
 * scripts are the replica's stand-ins (docs/journeys.md, "login").
 */

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/**
 * Where the CADC site's login form is (its pages are not public, so the login journey handles both):
 * `page-form` (default), a form in the login page itself, the header's Login going to that page; or
 * `header-dropdown`, the form only in the header's Login dropdown, as the public CANFAR header has it
 * (canfar-portal b90942b `_includes/_page_header.html` lines 77–96), and none in the page.
 */
export type LoginForm = 'page-form' | 'header-dropdown';

/** The header's Login dropdown with its form (canfar-portal `_page_header.html` lines 77–96). */
const HEADER_LOGIN = `<li class="nav-item dropdown pl-sm-4 canfar-access-control user-anonymous canfar-anonymous d-none">
      <a title="Login form" class="btn btn-outline-primary dropdown-toggle" data-toggle="dropdown" href="#" aria-haspopup="true" aria-expanded="false">Login</a>
      <ul class="dropdown-menu dropdown-menu-right login-container">
        <li>
          <form class="px-3 py-2 access-control" id="loginForm" role="form" method="post" action="/access/login">
            <span id="login_fail" class="help-block text-danger"></span>
            <label for="username" class="sr-only" id="usernameLabel">Username</label>
            <input type="text" id="username" name="username" class="form-control mb-2" tabindex="1" required placeholder="CADC Username">
            <label for="password" class="sr-only" id="passwordLabel">Password</label>
            <input type="password" id="password" name="password" class="form-control mb-2" tabindex="2" required placeholder="Password">
            <button type="submit" id="submitLogin" class="btn btn-success btn-block" tabindex="3"><i class="fa fa-sign-in"></i> Login</button>
          </form>
          <a href="" class="dropdown-item account_access_info" tabindex="5" id="forgot_username_1">Forgot your Account information?</a>
          <a href="" class="dropdown-item account_access_info" tabindex="6" id="register_cadc_1">Request a CADC Account</a>
        </li>
      </ul>
    </li>`;

/** Site header: anonymous and authenticated containers, both hidden (`d-none`) until cadc.user.js shows one. */
function header(loginForm: LoginForm): string {
  const anonymous =
    loginForm === 'header-dropdown'
      ? HEADER_LOGIN
      : `<li class="user-anonymous canfar-anonymous dropdown d-none">
      <a class="dropdown-toggle" href="/access/login">Login</a>
    </li>`;
  return `<header class="navbar">
  <a class="navbar-brand" href="/en/">Canadian Astronomy Data Centre</a>
  <ul class="nav navbar-nav navbar-right">
    ${anonymous}
    <li class="user-authenticated canfar-authenticated dropdown d-none">
      <a class="dropdown-toggle" href="#"><span class="auth-username"></span></a>
      <ul class="dropdown-menu">
        <li><a id="updateProfile" href="/en/auth/update.html">Update Profile</a></li>
        <li><a id="changePassword" href="/en/auth/resetPassword.html">Reset Password</a></li>
        <li><a id="obtainCertificate" href="/cred/generate?daysValid=30">Obtain Certificate</a></li>
        <li><a id="logout" href="/access/logout">Logout</a></li>
      </ul>
    </li>
  </ul>
</header>`;
}

function page(title: string, main: string, scripts: string[], loginForm: LoginForm): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: sans-serif; margin: 0; }
  header { display: flex; justify-content: space-between; padding: 8px 16px; background: #123; color: #fff; }
  header a { color: #fff; }
  header ul { list-style: none; margin: 0; padding: 0; }
  .d-none { display: none !important; }
  main { padding: 16px; }
  .dropdown-menu { display: inline; }
  .login-container { display: none; }
  .show > .login-container { display: block; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0, 0, 0, 0); }
  .dropdown-menu li { display: inline; margin-left: 8px; }
  .text-danger { color: #a00; }
</style>
</head>
<body>
${header(loginForm)}
<main>
${main}
</main>
<script>
document.addEventListener('click', function (e) {
  var toggle = e.target.closest && e.target.closest('[data-toggle="dropdown"]');
  if (toggle) { toggle.parentElement.classList.toggle('show'); e.preventDefault(); }
});
</script>
${scripts.map((s) => `<script src="${s}"></script>`).join('\n')}
</body>
</html>
`;
}

/** `/en/login.html`, also served by `GET /access/login`. */
export function loginPage(target: string, loginForm: LoginForm = 'page-form'): string {
  if (loginForm === 'header-dropdown') {
    return page('Login - Canadian Astronomy Data Centre', '<h1>Login</h1>\n<p>Log in with the Login menu above.</p>', ['/cadcJS/javascript/cadc.user.js', '/cadcJS/javascript/login.js'], loginForm);
  }
  return page(
    'Login - Canadian Astronomy Data Centre',
    `<h1>Login</h1>
<form id="loginForm" class="access-control" method="post" action="/access/login">
  <input type="hidden" name="target" value="${escapeHtml(target)}">
  <div class="form-group">
    <label for="username">Username</label>
    <input type="text" id="username" name="username" placeholder="CADC Username" autocomplete="username" required>
  </div>
  <div class="form-group">
    <label for="password">Password</label>
    <input type="password" id="password" name="password" placeholder="Password" autocomplete="current-password" required>
  </div>
  <button type="submit" id="submitLogin" class="btn btn-primary">Login</button>
  <span id="login_fail" class="text-danger" role="alert"></span>
  <p>
    <a id="forgot_username_1" href="/en/auth/resetPassword.html">Forgot your Username or Password?</a>
    <a id="register_cadc_1" href="/en/auth/request.html">Request a CADC Account</a>
  </p>
</form>`,
    ['/cadcJS/javascript/cadc.user.js', '/cadcJS/javascript/login.js'],
    loginForm,
  );
}

/** `/en/`: the CADC home page; the header shows who is logged in. */
export function homePage(loginForm: LoginForm = 'page-form'): string {
  return page(
    'Canadian Astronomy Data Centre',
    `<h1>Canadian Astronomy Data Centre</h1>
<p>Offline replica of the CADC portal, served by perfpulse-journeys for local runs and tests.</p>
<ul>
  <li><a href="/en/search/">Advanced Search</a></li>
  <li><a href="/access/login">Login</a></li>
</ul>`,
    ['/cadcJS/javascript/cadc.user.js', ...(loginForm === 'header-dropdown' ? ['/cadcJS/javascript/login.js'] : [])],
    loginForm,
  );
}

/**
 * Stand-in for `/cadcJS/javascript/login.js` (not public): posts the form, then opens the relative SSO URL
 * that a 200 answer holds (as ac's SSOServlet#handleRequest answers it); a 401 answer's text goes into
 * `span#login_fail`. The one public login.js, canfar-portal f084f2b `js/login.js` (2018, since deleted), did the
 * same with jQuery (`window.location.replace(message)`), but wrote its own text into `#login_fail`.
 */
export const LOGIN_JS = `(function () {
  var form = document.getElementById('loginForm');
  if (!form) return;
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var fail = document.getElementById('login_fail');
    fail.textContent = '';
    var button = document.getElementById('submitLogin');
    button.disabled = true;
    var data = new URLSearchParams(new FormData(form));
    // as the public login.js: without a target field, come back to this page
    if (!data.has('target')) data.set('target', window.location.href);
    fetch(form.getAttribute('action'), {
      method: 'POST',
      credentials: 'include',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: data.toString()
    }).then(function (res) {
      return res.text().then(function (text) {
        if (res.ok) { window.location.assign(text.trim()); return; }
        fail.textContent = text;
        button.disabled = false;
      });
    }).catch(function (err) {
      fail.textContent = 'Login failed: ' + err;
      button.disabled = false;
    });
  });
})();
`;

/**
 * Stand-in for `/cadcJS/javascript/cadc.user.js` (not public): asks whoami, fills `span.auth-username` and
 * shows the matching header container, removing the class that hides it: `d-none` (Bootstrap 4, the CADC
 * pages) or `hidden` (Bootstrap 3, the storage UI's application header).
 */
export const CADC_USER_JS = `(function () {
  function show(selector, visible) {
    document.querySelectorAll(selector).forEach(function (el) {
      el.classList.toggle('d-none', !visible);
      el.classList.toggle('hidden', !visible);
    });
  }
  fetch('/ac/whoami', { credentials: 'include', headers: { Accept: 'application/json' } })
    .then(function (res) { if (!res.ok) throw new Error(String(res.status)); return res.json(); })
    .then(function (doc) {
      var name = doc.user.posixDetails.username.$;
      document.querySelectorAll('span.auth-username').forEach(function (el) { el.textContent = name; });
      show('li.user-anonymous', false);
      show('li.user-authenticated', true);
    })
    .catch(function () { show('li.user-anonymous', true); show('li.user-authenticated', false); });
})();
`;
