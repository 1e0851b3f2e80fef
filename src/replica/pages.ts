/**
 * HTML and scripts of the replica's CADC pages. Markup follows cadc-reference.md §2.3 (site
 * header) byte for byte where the reference quotes it: ids, classes, names, placeholder texts.
 * Facts the reference marks as guesses are flagged `(?)` here too.
 */

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** Site header: anonymous and authenticated containers; cadc.user.js shows one of them. */
function header(): string {
  return `<header class="navbar">
  <a class="navbar-brand" href="/en/">Canadian Astronomy Data Centre</a>
  <ul class="nav navbar-nav navbar-right">
    <li class="user-anonymous canfar-anonymous dropdown">
      <a class="dropdown-toggle" href="/access/login">Login</a>
    </li>
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

function page(title: string, main: string, scripts: string[]): string {
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
  .dropdown-menu li { display: inline; margin-left: 8px; }
  .text-danger { color: #a00; }
</style>
</head>
<body>
${header()}
<main>
${main}
</main>
${scripts.map((s) => `<script src="${s}"></script>`).join('\n')}
</body>
</html>
`;
}

/** `/en/login.html`, also served by `GET /access/login`. */
export function loginPage(target: string): string {
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
    ['/access/javascript/login.js', '/cadcJS/javascript/cadc.user.js'],
  );
}

/** `/en/`: the CADC home page; the header shows who is logged in. */
export function homePage(): string {
  return page(
    'Canadian Astronomy Data Centre',
    `<h1>Canadian Astronomy Data Centre</h1>
<p>Offline replica of the CADC portal, served by perfpulse-journeys for local runs and tests.</p>
<ul>
  <li><a href="/en/search/">Advanced Search</a></li>
  <li><a href="/access/login">Login</a></li>
</ul>`,
    ['/cadcJS/javascript/cadc.user.js'],
  );
}

/**
 * Stand-in for `login.js` (not public (?)): posts the form, then opens the relative SSO URL that
 * a 200 answer holds; a 401 answer's text goes into `span#login_fail`.
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
    fetch(form.getAttribute('action'), {
      method: 'POST',
      credentials: 'include',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(new FormData(form)).toString()
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

/** Stand-in for `/cadcJS/javascript/cadc.user.js`: asks whoami, shows the matching header. */
export const CADC_USER_JS = `(function () {
  function show(selector, visible) {
    document.querySelectorAll(selector).forEach(function (el) { el.classList.toggle('d-none', !visible); });
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
