/**
 * The Advanced Search page (`/en/search/`) and its script: the replica's stand-in for caom2ui's
 * index.jsp + `cadc.search.*.js` (opencadc/caom2ui@1214fb8, caom2-search-server/src/main/resources/
 * META-INF/resources/), written from that code (cadc-reference.md §3, §11, §12). `caom2ui:` below
 * names a file there. What a journey depends on is modelled as the real page does it:
 *
 * - every constraint input sits in a collapsed `details#<utype>_details` whose `summary` holds the
 *   field's `<label for>` (caom2ui:text_formgroup.jsp:29-41, position.jsp:25-30); a click on the
 *   summary opens it, and it will not close while its input has a value (cadc.search.form.js:1048-1091);
 * - the Search buttons stay disabled until the TAP_SCHEMA reply (cadc.search.app.js:1352); the data
 *   train's selects are built only when its query answers (hierarchy.js);
 * - `span.grid-header-label` is there twice: in `#results-grid-header` (results.jsp:91-107) and in
 *   `#error-grid-header` (index.jsp:107-109);
 * - while the results stream, the header icon is `PleaseWait-small.gif` and the label says
 *   "Showing <rows so far> rows" at the start of each 500-row page; the final count comes with the idle
 *   icon (cadcVOTV/javascript/cadc.votv.js:156-177, 200-208, 225-233, 1663-1678);
 * - the grid sorts by Start Date, descending, in the browser (the TAP answer has no ORDER BY); rows are
 *   `vov_<n>` in answer order, and only the rows in view are in the DOM (SlickGrid), so `vov_1` may be
 *   absent; a row whose checkbox changes is drawn again, last in the DOM (SlickGrid invalidateRow);
 * - an `errorMessage` from `/search/find` is an `alert()` (cadc.search.app.js:2219-2222), not the Error tab.
 */

const HIERARCHY: Array<[utype: string, label: string]> = [
  ['Plane.energy.emBand', 'Band'],
  ['Observation.collection', 'Collection'],
  ['Observation.instrument.name', 'Instrument'],
  ['Plane.energy.bandpassName', 'Filter'],
  ['Plane.calibrationLevel', 'Cal. Lev.'],
  ['Plane.dataProductType', 'Data Type'],
  ['Observation.type', 'Obs. Type'],
];

/** The ADQL column the data-train query selects for each utype (hierarchy.js _createTAPQuery). */
const HIERARCHY_COLUMNS = ['energy_emBand', 'collection', 'instrument_name', 'energy_bandpassName', 'calibrationLevel', 'dataProductType', 'type'];

/**
 * The select list the replica's form posts, in the real page's `expr AS "Label"` form
 * (cadc.search.form.js getSelectListString): its default columns, then the Obs. ID, the downloadable
 * flag and the publisher ID.
 */
export const SELECT_LIST = [
  'Observation.observationURI AS "Preview"',
  'Observation.collection AS "Collection"',
  'Observation.sequenceNumber AS "Sequence Number"',
  'Plane.productID AS "Product ID"',
  'COORD1(CENTROID(Plane.position_bounds)) AS "RA (J2000.0)"',
  'COORD2(CENTROID(Plane.position_bounds)) AS "Dec. (J2000.0)"',
  'Observation.target_name AS "Target Name"',
  'Plane.time_bounds_lower AS "Start Date"',
  'Plane.time_exposure AS "Int. Time"',
  'Observation.instrument_name AS "Instrument"',
  'Plane.energy_bandpassName AS "Filter"',
  'Plane.calibrationLevel AS "Cal. Lev."',
  'Observation.type AS "Obs. Type"',
  'Observation.observationID AS "Obs. ID"',
  'isDownloadable(Plane.publisherID) AS "DOWNLOADABLE"',
  'Plane.publisherID AS "Publisher ID"',
].join(', ');

function buttons(): string {
  return `<div class="col-sm-12 button-holder">
      <button disabled type="submit" class="btn btn-primary submit-query" value="Search">Search</button>
      <button type="reset" class="btn btn-default reset-query-form" value="Reset">Reset</button>
    </div>`;
}

/** text_formgroup.jsp / date.jsp / energy.jsp: a collapsed section whose summary is the field's label. */
function textField(utype: string, label: string, name: string, formName: string): string {
  return `<div id="${utype}_formgroup" class="form-group">
      <details id="${utype}_details">
        <summary class="search_criteria_label_container">
          <label for="${utype}" class="control-label search_criteria_label">${label}<span class="search_criteria_label_contents color-accent"></span></label>
        </summary>
        <div id="${utype}_input_decorate">
          <input type="text" class="form-control search_criteria_input" id="${utype}" name="${name}">
        </div>
        <input type="hidden" name="Form.name" value="${formName}">
      </details>
    </div>`;
}

export function searchPage(): string {
  return `<!DOCTYPE html>
<html lang="en" class="no-js">
<head>
<meta charset="utf-8">
<title>Advanced Search</title>
<style>
  body { font-family: sans-serif; margin: 0; }
  .hidden, .tab-pane:not(.active) { display: none !important; }
  #tabList { list-style: none; display: flex; gap: 12px; padding: 8px 16px; margin: 0; background: #eee; }
  .tab-content { padding: 8px 16px; }
  .row { display: flex; gap: 16px; flex-wrap: wrap; }
  .panel { border: 1px solid #ccc; padding: 6px; min-width: 220px; }
  .caom2_dtTableDiv { display: flex; gap: 8px; flex-wrap: wrap; }
  .hierarchy select { min-width: 120px; }
  #queryOverlay { position: fixed; inset: 0; background: rgba(255,255,255,.7); display: flex; align-items: center; justify-content: center; }
  #queryOverlay:not(.in) { display: none; }
  .cadcvotv-empty-results-message { display: none; }
  .slick-row { display: flex; gap: 8px; border-bottom: 1px solid #ddd; }
  .slick-cell, .slick-header-column { min-width: 90px; }
  .slick-header-columns { display: flex; gap: 8px; font-weight: bold; }
</style>
</head>
<body>
<div class="container-fluid">
<ul id="tabList" class="nav nav-tabs" role="tablist">
  <li role="presentation" class="active"><a href="#queryFormTab" id="queryFormTabLink" aria-controls="queryFormTab" role="tab" data-toggle="tab">Search</a></li>
  <li role="presentation"><a href="#obsCoreQueryFormTab" id="obsCoreQueryFormTabLink" aria-controls="obsCoreQueryFormTab" role="tab" data-toggle="tab">ObsCore Search</a></li>
  <li role="presentation"><a href="#resultTableTab" id="resultTableTabLink" aria-controls="resultTableTab" role="tab" data-toggle="tab">Results</a></li>
  <li role="presentation"><a href="#errorTableTab" id="errorTableTabLink" aria-controls="errorTableTab" role="tab" data-toggle="tab">Error</a></li>
  <li role="presentation"><a href="#queryTab" id="queryTabLink" aria-controls="queryTab" role="tab" data-toggle="tab">ADQL</a></li>
  <li role="presentation"><a href="#helpTab" id="helpTabLink" aria-controls="helpTab" role="tab" data-toggle="tab">Help</a></li>
</ul>
<div class="tab-content">
<div role="tabpanel" class="tab-pane active" id="queryFormTab">
<form id="queryForm" name="queryForm" class="queryForm" method="post" action="/search/find" enctype="multipart/form-data">
  <input type="hidden" name="sort_column" value="Start Date">
  <input type="hidden" name="sort_order" value="descending">
  <input type="hidden" name="formName" value="adsform">
  <input type="hidden" name="SelectList" class="CAOM2_selectlist">
  <input type="hidden" name="MaxRecords" value="10000">
  <input type="hidden" name="format" value="csv">
  ${buttons()}
  <div class="row">
    <div class="col-md-3 search-category"><div class="panel panel-default">
      <div class="panel-heading">Observation Constraints</div>
      <div class="panel-body search-constraints">
    ${textField('Observation.observationID', 'Observation ID', 'Observation.observationID', 'Observation.observationID@Text')}
    ${textField('Observation.proposal.pi', 'P.I. Name', 'Observation.proposal.pi', 'Observation.proposal.pi@Text')}
    ${textField('Observation.proposal.id', 'Proposal ID', 'Observation.proposal.id', 'Observation.proposal.id@Text')}
      </div>
    </div></div>
    <div class="col-md-3 search-category"><div class="panel panel-default">
      <div class="panel-heading">Spatial Constraints</div>
      <div class="panel-body search-constraints">
      <div id="Plane.position.bounds_formgroup" class="form-group">
        <details id="Plane.position.bounds_details">
          <summary class="search_criteria_label_container">
            <label for="Plane.position.bounds" class="control-label">Target<span class="search_criteria_label_contents color-accent"></span></label>
          </summary>
          <div class="form-group">
            <label for="Plane.position.bounds@Shape1Resolver.value" class="sub-label">Resolve with</label>
            <select size="1" name="Plane.position.bounds@Shape1Resolver.value" title="Resolve with" id="Plane.position.bounds@Shape1Resolver.value" class="resolver-select form-control">
              <option value="ALL">Automatic (recommended)</option><option value="SIMBAD">SIMBAD</option><option value="NED">NED</option>
              <option value="VIZIER">VIZIER</option><option value="NONE">None (Target Name match)</option>
            </select>
          </div>
          <div class="input-group">
            <input id="Plane.position.bounds" type="text" class="form-control search_criteria_input" size="28" name="Plane.position.bounds@Shape1.value">
            <span id="Plane.position.bounds_target_name_resolution_status" class="input-group-addon target_name_resolution_status"></span>
          </div>
          <input type="hidden" name="Form.name" value="Plane.position.bounds@Shape1">
        </details>
      </div>
      </div>
    </div></div>
    <div class="col-md-3 search-category"><div class="panel panel-default">
      <div class="panel-heading">Temporal Constraints</div>
      <div class="panel-body search-constraints">
    ${textField('Plane.time.bounds.samples', 'Observation Date', 'Plane.time.bounds.samples@Date.value', 'Plane.time.bounds.samples@Date')}
      </div>
    </div></div>
    <div class="col-md-3 search-category"><div class="panel panel-default">
      <div class="panel-heading">Spectral Constraints</div>
      <div class="panel-body search-constraints">
    ${textField('Plane.energy.bounds.samples', 'Spectral Coverage', 'Plane.energy.bounds.samples@Energy.value', 'Plane.energy.bounds.samples@Energy')}
      </div>
    </div></div>
    <div class="col-sm-12"><div class="panel panel-default">
      <div class="panel-heading">Additional Constraints</div>
      <div class="panel-body">
        <div id="caom2_data_train" class="width-100 text-align advanced_search_data_train modelDataSource_caom2 seven-col">
          <div class="hidden hierarchy_utype">${HIERARCHY.map(([u]) => u).join('/')}</div>
          <div id="${HIERARCHY.map(([u]) => u).join('/')}.building" class="loading">
            <span class="info-span">Loading...</span>
          </div>
          <div class="reloadHierarchy hidden">
            <div class="dt-unavailable">Problem loading. Please proceed using the upper part of this form, or
              <button type="button" class="btn btn-default btn-sm dt-unavailable reloadHierarchySubmit">try reloading</button></div>
          </div>
          <div class="caom2_dtTableDiv"></div>
        </div>
      </div>
    </div></div>
  </div>
  ${buttons()}
</form>
</div>
<div role="tabpanel" class="tab-pane" id="obsCoreQueryFormTab"><p>ObsCore Search</p></div>
<div role="tabpanel" class="tab-pane" id="resultTableTab">
  <span class="votable_link_label">Download complete query results:</span>
  <a href="#" class="votable_link_votable link_idle">VOTable</a> <a href="#" class="votable_link_csv link_idle">CSV</a> <a href="#" class="votable_link_tsv link_idle">TSV</a>
  <span class="result-state"><a href="#" id="results_bookmark" class="result-state-link link_idle">Bookmark URL</a></span>
  <div class="grid-container">
    <div id="cadcvotv-empty-results-message" class="cadcvotv-empty-results-message"><strong>No results returned.</strong></div>
    <div id="results-grid-header" class="grid-header">
      <form id="downloadForm" name="downloadForm" class="form-horizontal" action="/downloadManager/download" method="POST" target="DOWNLOAD">
        <input type="hidden" name="runid" id="runid" value="">
        <span id="NO_OBSERVATIONS_SELECTED_MESSAGE" class="hidden">Please select at least one observation from the table below.</span>
        <span class="grid-header-icon-span"><img class="grid-header-icon" src="cadcVOTV/images/transparent-20.png" alt=""></span>
        <span><button type="submit" id="downloadFormSubmit" form="downloadForm" class="btn btn-sm btn-primary">Download</button></span>
        <span class="grid-header-label"></span>
        <button id="change_column_button" type="button" class="btn btn-sm btn-default">Change Columns</button>
        <button id="slick-visualize" class="btn btn-sm btn-default" type="button">View in sky</button>
      </form>
    </div>
    <div id="resultTable"><div class="slick-header-columns"></div><div class="grid-canvas"></div></div>
  </div>
</div>
<div role="tabpanel" class="tab-pane" id="errorTableTab">
  <div class="grid-container">
    <div id="error-grid-header" class="grid-header"><span class="grid-header-label"></span></div>
    <div id="errorTable"></div>
  </div>
</div>
<div id="queryTab" class="lang-sql tab-pane" role="tabpanel"><div id="query_holder"><pre class="prettyprint lang-sql"><code id="query" class="lang-sql"></code></pre></div></div>
<div role="tabpanel" class="tab-pane" id="helpTab"><div id="helpContent"><h2>Search Help</h2></div></div>
</div>
<div class="modal fade" id="queryOverlay" role="dialog">
  <div class="modal-content"><span id="overlay_status"><h4>Searching</h4></span>
  <button id="cancel_search" type="button" class="btn btn-default btn-sm">Cancel</button></div>
</div>
<div id="lengthFinder"></div>
</div>
<script src="/search/js/cadc.search.replica.js"></script>
</body>
</html>
`;
}

/** The replica's stand-in for caom2ui's search scripts (see the top of this file). */
export const SEARCH_JS = `(function () {
  'use strict';
  var TAP_ID = 'ivo://cadc.nrc.ca/argus', TAP_STD = 'ivo://ivoa.net/std/TAP';
  var HIERARCHY = ${JSON.stringify(HIERARCHY)};
  var HIERARCHY_COLUMNS = ${JSON.stringify(HIERARCHY_COLUMNS)};
  var SELECT_LIST = ${JSON.stringify(SELECT_LIST)};
  var PAGE_SIZE = 500;   // ca.nrc.cadc.search.RESULTS_PAGE_SIZE (cadc.search.app.js)
  var VIEW_ROWS = 50;    // rows SlickGrid keeps in the DOM around the viewport
  var IDLE = 'cadcVOTV/images/transparent-20.png', BUSY = 'cadcVOTV/images/PleaseWait-small.gif';
  var form = document.getElementById('queryForm');
  var submitButtons = document.querySelectorAll('button.submit-query');
  var overlay = document.getElementById('queryOverlay');
  var tapURL = null;
  var $ = function (id) { return document.getElementById(id); };
  var header = $('results-grid-header');
  var label = header.querySelector('span.grid-header-label');
  var icon = header.querySelector('img.grid-header-icon');
  var rows = [], columns = [];

  function showTab(id) {
    document.querySelectorAll('.tab-pane').forEach(function (p) { p.classList.toggle('active', p.id === id); });
    document.querySelectorAll('#tabList li').forEach(function (li) { li.classList.toggle('active', li.querySelector('a').getAttribute('href') === '#' + id); });
    if (location.hash !== '#' + id) history.replaceState(null, '', '#' + id);
  }
  document.querySelectorAll('#tabList a').forEach(function (a) {
    a.addEventListener('click', function (e) { e.preventDefault(); showTab(a.getAttribute('href').slice(1)); });
  });
  if (location.hash && $(location.hash.slice(1))) showTab(location.hash.slice(1));
  function modal(on) { overlay.classList.toggle('in', on); }

  // cadc.search.form.js:1048-1091: the summary toggles its details, but will not close one whose input has a value.
  form.querySelectorAll('details[id$="_details"] summary').forEach(function (summary) {
    summary.addEventListener('click', function (e) {
      e.preventDefault();
      var details = summary.parentElement;
      if (details.open) {
        var filled = Array.prototype.some.call(details.querySelectorAll('input.search_criteria_input'), function (i) { return i.value !== ''; });
        if (filled) return;
      }
      details.open = !details.open;
    });
  });
  function setInputValue(id, value) {   // cadc.search.form.js:2178-2204: a value opens its section
    var input = form.querySelector('input[id="' + id + '"]');
    if (!input) return false;
    input.value = value;
    var details = form.querySelector('details[id="' + id + '_details"]');
    if (details) details.open = !!value;
    return true;
  }

  function tapPost(params) {
    return fetch(tapURL + '/sync', {
      method: 'POST', credentials: 'include',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString()
    }).then(function (res) { if (!res.ok) throw new Error('TAP ' + res.status); return res.text(); });
  }

  function parseCSV(text) {
    var out = [], row = [], field = '', quoted = false;
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
        else if (c === '"') quoted = false;
        else field += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') { row.push(field); field = ''; }
      else if (c === '\\n') { row.push(field); out.push(row); row = []; field = ''; }
      else if (c !== '\\r') field += c;
    }
    if (field || row.length) { row.push(field); out.push(row); }
    return out;
  }
  function esc(v) { return String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;'); }

  // hierarchy.js: the data train's selects exist only once its query has answered.
  function mjdNow5YearsAgo() { var d = new Date(); d.setFullYear(d.getFullYear() - 5); return (d.getTime() / 86400000 + 40587).toFixed(5); }
  function loadDataTrain() {
    var cols = HIERARCHY_COLUMNS.join(',');
    var query = 'SELECT ' + cols + ', (CASE WHEN max_time_bounds_cval1 >= ' + mjdNow5YearsAgo() + ' THEN 1 ELSE 0 END) as cs FROM caom2.enumfield GROUP BY ' + cols + ', cs';
    return tapPost({ LANG: 'ADQL', FORMAT: 'CSV', QUERY: query })
      .then(function (text) {
        var table = parseCSV(text).slice(1);
        var holder = document.querySelector('.caom2_dtTableDiv');
        holder.innerHTML = HIERARCHY.map(function (h, col) {
          var values = [];
          table.forEach(function (r) { if (r[col] && values.indexOf(r[col]) < 0) values.push(r[col]); });
          values.sort();
          return '<div class="text-left col-md-1 hierarchy"><label for="' + h[0] + '"><span class="indent-small field-name">' + h[1] + '</span></label>' +
            '<select id="' + h[0] + '" name="' + h[0] + '" title="' + h[1] + '" size="12" multiple class="form-control hierarchy_select">' +
            '<option value="" selected="selected">All  (' + values.length + ')</option>' +
            values.map(function (v) { return '<option value="' + esc(v) + '">' + esc(v) + '</option>'; }).join('') +
            '</select><input type="hidden" value="' + h[0] + '@Enumerated" name="Form.name"></div>';
        }).join('');
        var spinner = document.querySelector('#caom2_data_train .loading');
        spinner.classList.remove('loading');
        spinner.classList.add('hidden');
      })
      .catch(function () {
        document.querySelector('.reloadHierarchy').classList.remove('hidden');
        document.querySelector('#caom2_data_train .loading').classList.add('hidden');
        throw new Error('data train');
      });
  }
  function loadObsCoreTrain() {
    return tapPost({ LANG: 'ADQL', FORMAT: 'CSV', QUERY: 'SELECT dataproduct_type,obs_collection,facility_name,instrument_name, (CASE WHEN max_t_min >= ' + mjdNow5YearsAgo() + ' THEN 1 ELSE 0 END) as cs FROM caom2.obscoreenumfield GROUP BY dataproduct_type,obs_collection,facility_name,instrument_name, cs' }).catch(function () {});
  }

  // cadc.search.form.js:1300-1385: ~1 s after typing stops, the resolver is asked (double slash, term encoded twice).
  var resolverTimer = null;
  var target = $('Plane.position.bounds');
  target.addEventListener('input', function () {
    clearTimeout(resolverTimer);
    var term = target.value;
    var resolver = $('Plane.position.bounds@Shape1Resolver.value').value;
    if (!term.trim() || resolver === 'NONE') return;
    resolverTimer = setTimeout(function () {
      fetch('/search/unitconversion//Plane.position.bounds?' + new URLSearchParams({ term: encodeURIComponent(term), resolver: resolver.toLowerCase() }), { credentials: 'include' })
        .then(function (res) { return res.json(); })
        .then(function (doc) {
          var status = $('Plane.position.bounds_target_name_resolution_status');
          status.className = 'input-group-addon target_name_resolution_status' + (doc.resolveStatus === 'GOOD' ? ' target_ok' : ' target_not_found');
          status.title = doc.resolveValue || '';
        }).catch(function () {});
    }, 1000);
  });

  function mjdToDate(v) {
    var n = Number(v);
    if (v === '' || !isFinite(n)) return v;
    return new Date((n - 40587) * 86400000).toISOString().replace('T', ' ').slice(0, 19);
  }
  function rowCount(n) { return 'Showing ' + n + ' rows (' + n + ' before filtering).'; }

  function drawRow(r) {
    var div = document.createElement('div');
    div.className = 'slick-row';
    div.id = r.id;
    var pub = columns.indexOf('DOWNLOADABLE');
    var cells = '<div class="slick-cell">' + (r.cells[pub] ? '<input class="_select_' + r.id + '" type="checkbox"' + (r.selected ? ' checked="checked"' : '') + '>' : '<span class="_select_' + r.id + '">N/A</span>') + '</div>';
    columns.forEach(function (name, c) {
      if (name === 'DOWNLOADABLE' || name === 'Publisher ID') return;
      var v = name === 'Start Date' ? mjdToDate(r.cells[c]) : r.cells[c];
      if (name === 'Collection' || name === 'Obs. ID') {
        var key = name === 'Collection' ? 'Observation.collection' : 'Observation.observationID';
        cells += '<div class="slick-cell"><a class="quicksearch_link" target="_blank" href="/en/search/?' + key + '=' + encodeURIComponent(v) + '">' + esc(v) + '</a></div>';
      } else cells += '<div class="slick-cell">' + esc(v) + '</div>';
    });
    div.innerHTML = cells;
    var box = div.querySelector('input[type=checkbox]');
    if (box) box.addEventListener('change', function () {
      r.selected = box.checked;
      div.remove();               // SlickGrid draws an invalidated row again, appended to the canvas
      document.querySelector('#resultTable .grid-canvas').appendChild(drawRow(r));
    });
    return div;
  }

  function render() {
    var start = columns.indexOf('Start Date');
    var sorted = rows.slice().sort(function (a, b) { return Number(b.cells[start]) - Number(a.cells[start]); });
    document.querySelector('#resultTable .slick-header-columns').innerHTML =
      '<div class="slick-header-column slick-header-column-checkboxsel"><span>Mark<input type="checkbox"></span></div>' +
      columns.filter(function (n) { return n !== 'DOWNLOADABLE' && n !== 'Publisher ID'; }).map(function (n) { return '<div class="slick-header-column">' + esc(n) + '</div>'; }).join('');
    var canvas = document.querySelector('#resultTable .grid-canvas');
    canvas.innerHTML = '';
    sorted.slice(0, VIEW_ROWS).forEach(function (r) { canvas.appendChild(drawRow(r)); });
  }

  // cadc.votable-reader.js StreamBuilder + cadc.votv.js build(): the results stream in; the label is
  // updated at the start of each page and at the end, the icon is busy until the end.
  function streamResults(url) {
    rows = []; columns = [];
    return fetch(url, { credentials: 'include' }).then(function (res) {
      if (!res.ok) throw new Error('cadcVOTV: Unable to read from URL (' + url + ').');
      modal(false);
      showTab('resultTableTab');
      $('cadcvotv-empty-results-message').style.display = 'none';
      icon.src = BUSY;
      var reader = res.body.getReader(), decoder = new TextDecoder(), buffered = '', first = true;
      function take(line) {
        if (!line) return;
        var cells = parseCSV(line)[0] || [];
        if (first) { columns = cells; first = false; return; }
        if (rows.length % PAGE_SIZE === 0) label.textContent = rowCount(rows.length);
        rows.push({ id: 'vov_' + (rows.length + 1), cells: cells, selected: false });
      }
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) { take(buffered); return; }
          buffered += decoder.decode(chunk.value, { stream: true });
          var lines = buffered.split('\\n');
          buffered = lines.pop();
          lines.forEach(take);
          return pump();
        });
      }
      return pump();
    }).then(function () {
      render();
      label.textContent = rowCount(rows.length);
      icon.src = IDLE;
      if (!rows.length) $('cadcvotv-empty-results-message').style.display = 'block';
    });
  }

  function runSearch() {
    form.querySelector('input.CAOM2_selectlist').value = SELECT_LIST;
    modal(true);
    // jquery.form ajaxSubmit without a file: the form, URL-encoded.
    fetch('/search/find', { method: 'POST', credentials: 'include', body: new URLSearchParams(new FormData(form)) })
      .then(function (res) {
        if (!res.ok) {
          // cadc.search.app.js onFormSubmitComplete: the body is taken as the URL of an error VOTable,
          // shown in #errorTable; the Error tab is not opened.
          return res.text().then(function (body) {
            return fetch(body.trim(), { credentials: 'include' }).then(function (r) {
              if (!r.ok) return;
              return r.text().then(function (text) { $('errorTable').textContent = text; modal(false); });
            }, function () {});
          });
        }
        return res.json().then(function (doc) {
          if (doc.errorMessage) { modal(false); alert(doc.errorMessage); return; }
          $('runid').value = doc.run_id || '';
          fetch(doc.job_url, { credentials: 'include' }).then(function (r) { return r.text(); }).then(function (xml) {
            var q = /<uws:parameter id="QUERY">([\\s\\S]*?)<\\/uws:parameter>/.exec(xml);
            $('query').textContent = q ? q[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&') : '';
          }).catch(function () {});
          return streamResults(doc.results_url).catch(function (err) { modal(false); alert(err.message); });
        });
      })
      .catch(function (err) { modal(false); alert(String(err)); });
  }

  form.addEventListener('submit', function (e) { e.preventDefault(); runSearch(); });
  $('cancel_search').addEventListener('click', function () { modal(false); });

  function autoSubmit() {   // cadc.search.app.js start(): query parameters pre-fill the form and submit it
    var params = new URLSearchParams(location.search);
    var doSubmit = false;
    params.forEach(function (value, key) {
      if (!value || key === 'noexec') return;
      var id = key === 'collection' ? 'Observation.collection' : key;
      var select = form.querySelector('select[id="' + id + '"]');
      if (select) {
        var known = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
        if (!known) { alert('Incompatible query parameter: ' + id + ' > ' + value); doSubmit = false; return; }
        Array.prototype.forEach.call(select.options, function (o) { o.selected = o.value === value; });
        doSubmit = true;
      } else if (setInputValue(id, value)) doSubmit = true;
    });
    if (doSubmit && params.get('noexec') !== 'true') runSearch();
  }

  // cadc.search.app.js:1063-1241: Download with no row ticked is an alert; else one hidden uri per row,
  // window.open('', 'DOWNLOAD', '') and the form submitted into it.
  $('downloadFormSubmit').addEventListener('click', function (e) {
    e.preventDefault();
    var dl = $('downloadForm');
    dl.querySelectorAll('input[name=uri]').forEach(function (i) { i.remove(); });
    var selected = rows.filter(function (r) { return r.selected; });
    if (!selected.length) { alert($('NO_OBSERVATIONS_SELECTED_MESSAGE').textContent); return; }
    var pub = columns.indexOf('DOWNLOADABLE');
    selected.forEach(function (r) {
      var input = document.createElement('input');
      input.type = 'hidden'; input.name = 'uri'; input.value = r.cells[pub];
      dl.appendChild(input);
    });
    window.open('', 'DOWNLOAD', '');
    dl.submit();
  });

  // Start-up (cadc.search.tapclient.js:125-150: the service lookup is $.get(undefined, …), i.e. on the
  // page's own URL, its query kept), TAP_SCHEMA columns, then the Search buttons are enabled
  // (cadc.search.app.js:1352); the data trains and tooltips follow, and then the auto-submit.
  var here = location.href.replace(/#.*$/, '');
  fetch(here + (location.search ? '&' : '?') + new URLSearchParams({ serviceID: TAP_ID, standardID: TAP_STD }), { credentials: 'include', headers: { Accept: 'application/json' } })
    .then(function (res) { if (!res.ok) throw new Error('service lookup ' + res.status); return res.json(); })
    .then(function (doc) {
      tapURL = doc.serviceURL;
      return tapPost({ LANG: 'ADQL', FORMAT: 'votable', QUERY: "select * from TAP_SCHEMA.columns where ((table_name='caom2.Observation' or table_name='caom2.Plane') and utype like 'caom2:%') or (table_name='ivoa.ObsCore' and utype like 'obscore:%')" });
    })
    .then(function () {
      submitButtons.forEach(function (b) { b.disabled = false; });
      var train = loadDataTrain();
      loadObsCoreTrain();
      train.then(function () {
        fetch('json/tooltips_en.json', { credentials: 'include' }).catch(function () {});
        autoSubmit();
      }, function () {});
    })
    .catch(function () { alert('Error initializing search. Refresh to try again. If problem persists, please contact CADC support.'); });
})();
`;
