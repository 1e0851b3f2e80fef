/**
 * The Advanced Search page (`/en/search/`) and its script, following cadc-reference.md §3 with
 * the §11 corrections: ids are CAOM utypes with dots, the Search buttons stay disabled until the
 * TAP_SCHEMA reply, the data train fills its lists afterwards, results are a grid with
 * `span.grid-header-label` "Showing {n} rows ({m} before filtering).". The script is the replica's
 * own stand-in for caom2ui's `cadc.search.*.js`; where the reference is unsure, `(?)` says so.
 */

const HIERARCHY: Array<[string, string]> = [
  ['Plane.energy.emBand', 'Band'],
  ['Observation.collection', 'Collection'],
  ['Observation.instrument.name', 'Instrument'],
  ['Plane.energy.bandpassName', 'Filter'],
  ['Plane.calibrationLevel', 'Calibration Level'],
  ['Plane.dataProductType', 'Data Type'],
  ['Observation.type', 'Observation Type'],
];

function buttons(): string {
  return `<div class="button-holder">
    <button type="submit" class="btn btn-primary submit-query" disabled>Search</button>
    <button type="reset" class="btn btn-default reset-query-form">Reset</button>
  </div>`;
}

function textField(utype: string, label: string, name: string): string {
  return `<div id="${utype}_formgroup" class="form-group">
    <details id="${utype}_details" open><summary>${label}</summary>
      <div id="${utype}_input_decorate">
        <input type="text" class="form-control" id="${utype}" name="${name}">
        <input type="hidden" name="Form.name" value="${name}">
      </div>
    </details>
  </div>`;
}

export function searchPage(): string {
  const hierarchy = HIERARCHY.map(
    ([utype, label]) => `<div class="hierarchy">
      <label for="${utype}">${label}</label>
      <span id="${utype}.building" class="loading">Loading…</span>
      <select id="${utype}" name="${utype}" class="hierarchy_select" size="12" multiple></select>
    </div>`,
  ).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Advanced Search</title>
<style>
  body { font-family: sans-serif; margin: 0; }
  .hidden, .tab-pane:not(.active) { display: none !important; }
  #tabList { list-style: none; display: flex; gap: 12px; padding: 8px 16px; margin: 0; background: #eee; }
  main { padding: 8px 16px; }
  #caom2_data_train { display: flex; gap: 8px; flex-wrap: wrap; }
  #caom2_data_train select { min-width: 120px; }
  #queryOverlay { position: fixed; inset: 0; background: rgba(255,255,255,.7); display: flex; align-items: center; justify-content: center; }
  .slick-row { display: flex; gap: 8px; border-bottom: 1px solid #ddd; }
  .slick-cell, .slick-header-column { min-width: 90px; }
  .slick-header-columns { display: flex; gap: 8px; font-weight: bold; }
</style>
</head>
<body>
<header class="navbar"><a class="navbar-brand" href="/en/">Canadian Astronomy Data Centre</a></header>
<h1>Advanced Search</h1>
<ul id="tabList" class="nav nav-tabs" role="tablist">
  <li><a id="queryFormTabLink" href="#queryFormTab" role="tab">Search</a></li>
  <li><a id="obsCoreQueryFormTabLink" href="#obsCoreQueryFormTab" role="tab">ObsCore Search</a></li>
  <li><a id="resultTableTabLink" href="#resultTableTab" role="tab">Results</a></li>
  <li><a id="errorTableTabLink" href="#errorTableTab" role="tab">Error</a></li>
  <li><a id="queryTabLink" href="#queryTab" role="tab">ADQL</a></li>
  <li><a id="helpTabLink" href="#helpTab" role="tab">Help</a></li>
</ul>
<main class="tab-content">
<div id="queryFormTab" class="tab-pane active">
<form id="queryForm" class="queryForm" method="post" action="/search/find" enctype="multipart/form-data">
  <input type="hidden" name="sort_column" value="Start Date">
  <input type="hidden" name="sort_order" value="descending">
  <input type="hidden" name="formName" value="adsform">
  <input type="hidden" name="SelectList" class="CAOM2_selectlist" value="Observation.uri, Observation.collection, Observation.observationID, Plane.productID, Plane.position.bounds.cval1, Plane.position.bounds.cval2, Plane.time.bounds.lower, Observation.instrument.name, Plane.time.exposure, Observation.target.name, Plane.energy.bandpassName, Plane.calibrationLevel, Observation.type, Plane.publisherID">
  <input type="hidden" name="MaxRecords" value="10000">
  <input type="hidden" name="format" value="csv">
  ${buttons()}
  <fieldset><legend>Observation</legend>
    ${textField('Observation.observationID', 'Observation ID', 'Observation.observationID@Text')}
    ${textField('Observation.proposal.pi', 'PI Name', 'Observation.proposal.pi@Text')}
    ${textField('Observation.proposal.id', 'Proposal ID', 'Observation.proposal.id@Text')}
  </fieldset>
  <fieldset><legend>Spatial</legend>
    <div id="Plane.position.bounds_formgroup" class="form-group">
      <details id="Plane.position.bounds_details" open><summary>Target (Object Name or Coordinates)</summary>
        <div id="Plane.position.bounds_input_decorate">
          <input type="text" class="form-control" id="Plane.position.bounds" name="Plane.position.bounds@Shape1.value">
          <select id="Plane.position.bounds@Shape1Resolver.value" name="Plane.position.bounds@Shape1Resolver.value">
            <option value="ALL" selected>ALL</option><option value="SIMBAD">SIMBAD</option><option value="NED">NED</option>
            <option value="VIZIER">VIZIER</option><option value="NONE">NONE</option>
          </select>
          <span id="Plane.position.bounds_target_name_resolution_status"></span>
          <input type="hidden" name="Form.name" value="Plane.position.bounds@Shape1.value">
        </div>
      </details>
    </div>
  </fieldset>
  <fieldset><legend>Time</legend>
    ${textField('Plane.time.bounds.samples', 'Observation Date', 'Plane.time.bounds.samples@Date.value')}
  </fieldset>
  <fieldset><legend>Spectral</legend>
    ${textField('Plane.energy.bounds.samples', 'Spectral Coverage', 'Plane.energy.bounds.samples@Energy.value')}
  </fieldset>
  <fieldset><legend>Additional Constraints</legend>
    <div id="caom2_data_train">
${hierarchy}
    </div>
    <div class="reloadHierarchy hidden">Problem loading. Please proceed using the upper part of this form, or
      <button type="button" class="reloadHierarchySubmit">try reloading</button></div>
  </fieldset>
  ${buttons()}
</form>
</div>
<div id="obsCoreQueryFormTab" class="tab-pane"><p>ObsCore Search</p></div>
<div id="resultTableTab" class="tab-pane">
  <p id="NO_OBSERVATIONS_SELECTED_MESSAGE" class="hidden">Please select at least one observation from the table below.</p>
  <div id="results-grid-header" class="grid-header">
    <form id="downloadForm" method="post" action="/downloadManager/download" target="DOWNLOAD">
      <input type="hidden" id="runid" name="runid" value="">
      <img class="grid-header-icon" src="/cadcVOTV/images/transparent-20.png" alt="">
      <span class="grid-header-label"></span>
      <button type="button" id="downloadFormSubmit">Download</button>
      <button type="button" id="change_column_button">Change Columns</button>
      <button type="button" id="slick-visualize">View in sky</button>
      <a id="results_bookmark" href="#">Bookmark</a>
      <a class="votable_link_votable" href="#">VOTable</a> <a class="votable_link_csv" href="#">CSV</a> <a class="votable_link_tsv" href="#">TSV</a>
    </form>
  </div>
  <div id="cadcvotv-empty-results-message" class="hidden">No results returned.</div>
  <div id="resultTable"><div class="slick-header-columns"></div><div class="grid-canvas"></div></div>
</div>
<div id="errorTableTab" class="tab-pane"><div id="errorTable"></div></div>
<div id="queryTab" class="tab-pane"><pre><code id="query"></code></pre></div>
<div id="helpTab" class="tab-pane"><p>Help</p></div>
</main>
<div id="queryOverlay" class="hidden">Searching <button type="button" id="cancel_search">Cancel</button></div>
<script src="/search/js/cadc.search.replica.js"></script>
</body>
</html>
`;
}

/** The replica's stand-in for caom2ui's search scripts (§3.2–3.5, §11). */
export const SEARCH_JS = `(function () {
  'use strict';
  var TAP_ID = 'ivo://cadc.nrc.ca/argus', TAP_STD = 'ivo://ivoa.net/std/TAP';
  var HIERARCHY = ${JSON.stringify(HIERARCHY.map(([u]) => u))};
  var COL_UTYPES = ['Observation.uri', 'Observation.collection', 'Observation.observationID', 'Plane.productID', 'Plane.position.bounds.cval1', 'Plane.position.bounds.cval2', 'Plane.time.bounds.lower', 'Observation.instrument.name', 'Plane.time.exposure', 'Observation.target.name', 'Plane.energy.bandpassName', 'Plane.calibrationLevel', 'Observation.type'];
  var form = document.getElementById('queryForm');
  var submitButtons = document.querySelectorAll('button.submit-query');
  var overlay = document.getElementById('queryOverlay');
  var tapURL = null;
  var $ = function (id) { return document.getElementById(id); };

  function showTab(id) {
    document.querySelectorAll('.tab-pane').forEach(function (p) { p.classList.toggle('active', p.id === id); });
    if (location.hash !== '#' + id) history.replaceState(null, '', '#' + id);
  }
  document.querySelectorAll('#tabList a').forEach(function (a) {
    a.addEventListener('click', function (e) { e.preventDefault(); showTab(a.getAttribute('href').slice(1)); });
  });
  if (location.hash && $(location.hash.slice(1))) showTab(location.hash.slice(1));

  function tapPost(params) {
    return fetch(tapURL + '/sync', {
      method: 'POST', credentials: 'include',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString()
    }).then(function (res) { if (!res.ok) throw new Error('TAP ' + res.status); return res.text(); });
  }

  function parseCSV(text) {
    var rows = [], row = [], field = '', quoted = false;
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
        else if (c === '"') quoted = false;
        else field += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') { row.push(field); field = ''; }
      else if (c === '\\n') { row.push(field); rows.push(row); row = []; field = ''; }
      else if (c !== '\\r') field += c;
    }
    if (field || row.length) { row.push(field); rows.push(row); }
    return rows;
  }

  function loadDataTrain() {
    return tapPost({ LANG: 'ADQL', FORMAT: 'CSV', QUERY: 'select energy_emBand, collection, instrument_name, energy_bandpassName, calibrationLevel, dataProductType, type, count(*) as cs from caom2.enumfield group by energy_emBand, collection, instrument_name, energy_bandpassName, calibrationLevel, dataProductType, type' })
      .then(function (text) {
        var rows = parseCSV(text).slice(1);
        HIERARCHY.forEach(function (utype, col) {
          var values = [];
          rows.forEach(function (r) { if (r[col] && values.indexOf(r[col]) < 0) values.push(r[col]); });
          values.sort();
          var select = $(utype);
          select.innerHTML = '';
          values.forEach(function (v) { var o = document.createElement('option'); o.value = v; o.textContent = v; select.appendChild(o); });
          var spinner = $(utype + '.building');
          spinner.classList.remove('loading');
          spinner.classList.add('hidden');
        });
      })
      .catch(function () {
        document.querySelector('.reloadHierarchy').classList.remove('hidden');
        HIERARCHY.forEach(function (utype) { $(utype + '.building').classList.add('hidden'); });
        throw new Error('data train');
      });
  }

  function loadObsCoreTrain() {
    return tapPost({ LANG: 'ADQL', FORMAT: 'CSV', QUERY: 'select dataproduct_type, obs_collection, facility_name, instrument_name, count(*) as cs from caom2.obscoreenumfield group by dataproduct_type, obs_collection, facility_name, instrument_name' }).catch(function () {});
  }

  var resolverTimer = null;
  function resolveTarget(term) {
    var url = '/search/unitconversion//Plane.position.bounds?term=' + encodeURIComponent(encodeURIComponent(term)) + '&resolver=all';
    return fetch(url, { credentials: 'include' }).then(function (res) {
      var status = $('Plane.position.bounds_target_name_resolution_status');
      if (res.status !== 200) { status.className = ''; return; }
      return res.json().then(function (doc) {
        status.className = doc.resolveStatus === 'GOOD' ? 'target_ok' : '';
        status.title = doc.resolveValue || '';
      });
    }).catch(function () {});
  }
  $('Plane.position.bounds').addEventListener('input', function (e) {
    clearTimeout(resolverTimer);
    var term = e.target.value;
    resolverTimer = setTimeout(function () { if (term.trim()) resolveTarget(term); }, 1000);
  });

  function showError(message, open) {
    $('errorTable').textContent = message;
    if (open) showTab('errorTableTab');
  }

  function render(csvText, jobXml, runId) {
    var rows = parseCSV(csvText);
    var head = rows.shift() || [];
    rows = rows.filter(function (r) { return r.length > 1; });
    var n = rows.length;
    var q = /<uws:parameter id="query">([\\s\\S]*?)<\\/uws:parameter>/.exec(jobXml || '');
    $('query').textContent = q ? q[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&') : '';
    $('runid').value = runId || '';
    var header = document.querySelector('#resultTable .slick-header-columns');
    var canvas = document.querySelector('#resultTable .grid-canvas');
    var visible = head.slice(0, head.length - 1);
    header.innerHTML = '<div class="slick-header-column slick-header-column-checkboxsel"><span><input type="checkbox"></span></div>' +
      visible.map(function (h, c) { return '<div class="slick-header-column" id="resultTable_caom2:' + (COL_UTYPES[c] || c) + '">' + h + '</div>'; }).join('');
    canvas.innerHTML = '';
    var pub = head.length - 1;
    rows.slice(0, 500).forEach(function (r, i) {
      var id = 'vov_' + (i + 1);
      var div = document.createElement('div');
      div.className = 'slick-row';
      div.id = id;
      var cells = '<div class="slick-cell"><input type="checkbox" class="_select_' + id + '" value="' + r[pub] + '"></div>';
      r.slice(0, pub).forEach(function (v, c) {
        var safe = String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;');
        if (c === 2) cells += '<div class="slick-cell"><a class="quicksearch_link" target="_blank" href="/en/search/?Observation.observationID=' + encodeURIComponent(v) + '">' + safe + '</a></div>';
        else if (c === 1) cells += '<div class="slick-cell"><a class="quicksearch_link" target="_blank" href="/en/search/?Observation.collection=' + encodeURIComponent(v) + '">' + safe + '</a></div>';
        else cells += '<div class="slick-cell">' + safe + '</div>';
      });
      div.innerHTML = cells;
      canvas.appendChild(div);
    });
    $('cadcvotv-empty-results-message').classList.toggle('hidden', n > 0);
    document.querySelector('span.grid-header-label').textContent = 'Showing ' + n + ' rows (' + n + ' before filtering).';
    document.querySelector('img.grid-header-icon').src = '/cadcVOTV/images/transparent-20.png';
    showTab('resultTableTab');
  }

  function busy(on) {
    overlay.classList.toggle('hidden', !on);
    document.querySelector('img.grid-header-icon').src = on ? '/cadcVOTV/images/PleaseWait-small.gif' : '/cadcVOTV/images/transparent-20.png';
  }

  function runSearch() {
    busy(true);
    showError('', false);
    var data = new FormData(form);
    fetch('/search/find', { method: 'POST', credentials: 'include', body: data })
      .then(function (res) {
        if (!res.ok) {
          // §11: on a non-2xx the body is taken as the URL of an error VOTable; the Error tab is not opened.
          return res.text().then(function (body) {
            return fetch(body.trim(), { credentials: 'include' }).then(function (r) { return r.text(); }, function () { return body; })
              .then(function (text) { showError(text, false); busy(false); });
          });
        }
        return res.json().then(function (doc) {
          if (doc.errorMessage) { showError(doc.errorMessage, true); busy(false); return; }
          return fetch(doc.results_url, { credentials: 'include' }).then(function (r) { if (!r.ok) throw new Error('results ' + r.status); return r.text(); })
            .then(function (csv) {
              return fetch(doc.job_url, { credentials: 'include' }).then(function (r) { return r.text(); }).then(function (xml) {
                busy(false);
                render(csv, xml, doc.run_id);
              });
            });
        });
      })
      .catch(function (err) { busy(false); showError(String(err), true); });
  }

  form.addEventListener('submit', function (e) { e.preventDefault(); runSearch(); });
  form.addEventListener('reset', function () { setTimeout(function () { $('errorTable').textContent = ''; }, 0); });

  function autoSubmit() {
    var params = new URLSearchParams(location.search);
    var any = false;
    params.forEach(function (value, key) {
      var id = key === 'collection' ? 'Observation.collection' : key;
      var el = $(id);
      if (!el) return;
      any = true;
      if (el.tagName === 'SELECT') Array.prototype.forEach.call(el.options, function (o) { o.selected = o.value === value; });
      else el.value = value;
    });
    if (any) runSearch();
  }

  $('downloadFormSubmit').addEventListener('click', function () {
    var selected = document.querySelectorAll('#resultTable .grid-canvas input[type=checkbox]:checked');
    var message = $('NO_OBSERVATIONS_SELECTED_MESSAGE');
    if (!selected.length) { message.classList.remove('hidden'); alert(message.textContent); return; }
    message.classList.add('hidden');
    var dl = $('downloadForm');
    dl.querySelectorAll('input[name=uri]').forEach(function (i) { i.remove(); });
    selected.forEach(function (box) {
      var input = document.createElement('input');
      input.type = 'hidden'; input.name = 'uri'; input.value = box.value;
      dl.appendChild(input);
    });
    window.open('', 'DOWNLOAD');
    dl.submit();
  });

  // Start-up (§3.2 with §11): service lookup on the page's own URL, TAP_SCHEMA columns, then the
  // Search buttons are enabled; the data trains, tooltips and empty-term resolver calls follow.
  fetch(location.pathname + '?serviceID=' + encodeURIComponent(TAP_ID) + '&standardID=' + encodeURIComponent(TAP_STD), { credentials: 'include', headers: { Accept: 'application/json' } })
    .then(function (res) { if (!res.ok) throw new Error('service lookup ' + res.status); return res.json(); })
    .then(function (doc) {
      tapURL = doc.serviceURL;
      return tapPost({ LANG: 'ADQL', FORMAT: 'votable', QUERY: "select * from TAP_SCHEMA.columns where utype like 'caom2:Observation.%' or utype like 'caom2:Plane.%' or utype like 'obscore:%'" });
    })
    .then(function () {
      submitButtons.forEach(function (b) { b.disabled = false; });
      var train = loadDataTrain();
      loadObsCoreTrain();
      fetch('json/tooltips_en.json', { credentials: 'include' }).catch(function () {});
      resolveTarget('');
      train.then(autoSubmit, function () {});
    })
    .catch(function (err) { alert('Error initializing search. Refresh to try again. ' + err); });
})();
`;
