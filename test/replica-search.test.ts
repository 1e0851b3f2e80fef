/**
 * The replica's Advanced Search and Download Manager, checked against what the real code does
 * (opencadc/caom2ui@1214fb8, opencadc/apps@515b1ef; cadc-reference.md §3, §4.3, §11, §12): first
 * the services over HTTP, then the page in Debian's Chromium. Each test names the real file it follows;
 * each failed on the replica before it modelled that behaviour.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { generateObservations, resolveTarget } from '../src/replica/data.ts';
import { FOOTPRINT_RADIUS_DEG, TARGET_RADIUS_DEG, selectItems } from '../src/replica/routes/search.ts';
import { SELECT_LIST } from '../src/replica/search-page.ts';
import { startReplica, type Replica } from '../src/replica/server.ts';
import { resolveBrowserPath } from '../src/runtime/browser/browser.ts';
import { suiteReplica } from './support/replica.ts';

const TAP_ID = 'ivo://cadc.nrc.ca/argus';
const TAP_STD = 'ivo://ivoa.net/std/TAP';
const urlencoded = (fields: Array<[string, string]>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

/** POSTs a query to the replica's TAP, follows the 303, answers the text of the run. */
async function tap(origin: string, query: string, format = 'csv'): Promise<string> {
  const res = await fetch(`${origin}/argus/sync`, { ...urlencoded([['LANG', 'ADQL'], ['FORMAT', format], ['QUERY', query]]), redirect: 'manual' });
  assert.equal(res.status, 303);
  return (await fetch(res.headers.get('location') ?? '')).text();
}

/** POSTs the search form as the page does (URL-encoded) and answers the JSON. */
async function find(origin: string, fields: Array<[string, string]>): Promise<Record<string, unknown>> {
  const res = await fetch(`${origin}/search/find`, urlencoded([['SelectList', SELECT_LIST], ['MaxRecords', '10000'], ...fields]));
  assert.equal(res.status, 200);
  return (await res.json()) as Record<string, unknown>;
}

const csvRows = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => [...l.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => (m[1] as string).replace(/^"|"$/g, '').replace(/""/g, '"')));

describe('replica Advanced Search services, as the real code answers', () => {
  const replica = suiteReplica();

  it('the service lookup answers as CookieServiceLocatorServlet: 400 "Missing parameter." naming it, 404 without one', async () => {
    const lookup = (q: string) => fetch(`${replica.origin}/en/search/?${q}`);
    const ok = await lookup(`Observation.collection=CFHT&serviceID=${encodeURIComponent(TAP_ID)}&standardID=${encodeURIComponent(TAP_STD)}`);
    assert.deepEqual(await ok.json(), { serviceURL: `${replica.origin}/argus` }, 'the page keeps its own query before ?serviceID=');
    const noStandard = await lookup(`serviceID=${encodeURIComponent(TAP_ID)}`);
    assert.equal(noStandard.status, 400);
    assert.deepEqual(await noStandard.json(), { error: { message: 'Missing parameter.', parameter: 'standardID' } });
    const noService = await lookup('serviceID=&standardID=x');
    assert.deepEqual(await noService.json(), { error: { message: 'Missing parameter.', parameter: 'serviceID' } });
    const unknown = await lookup(`serviceID=ivo://nowhere&standardID=${encodeURIComponent(TAP_STD)}`);
    assert.equal(unknown.status, 404);
    assert.deepEqual(await unknown.json(), { error: { message: `No service URL found for serviceID=ivo://nowhere and standardID=${TAP_STD}.` } });
  });

  it('TAP_SCHEMA.columns has a row for every utype of the page\'s select list (the grid reads the CSV by position)', async () => {
    const xml = await tap(replica.origin, "select * from TAP_SCHEMA.columns where ((table_name='caom2.Observation' or table_name='caom2.Plane') and utype like 'caom2:%')", 'votable');
    const utypes = new Set([...xml.matchAll(/<TD>(caom2:[^<]+)<\/TD>/g)].map((m) => m[1]));
    for (const u of ['caom2:Observation.uri', 'caom2:Observation.sequenceNumber', 'caom2:Observation.target.name', 'caom2:Plane.position.bounds', 'caom2:Plane.time.bounds.lower', 'caom2:Plane.time.exposure', 'caom2:Observation.type', 'caom2:Plane.publisherID']) {
      assert.ok(utypes.has(u), u);
    }
  });

  it('a search answers the SELECT list\'s columns in order, headed by their aliases, in the service\'s own order (no ORDER BY)', async () => {
    const doc = await find(replica.origin, [['Plane.position.bounds@Shape1.value', 'M101'], ['Observation.collection', 'CFHT']]);
    const rows = csvRows(await (await fetch(String(doc.results_url))).text());
    assert.deepEqual(rows[0], selectItems(SELECT_LIST).map((i) => i.label));
    const body = rows.slice(1);
    const expected = generateObservations().filter((o) => o.targetName === 'M101' && o.collection === 'CFHT');
    assert.deepEqual(body.map((r) => r[13]), expected.map((o) => o.observationID), 'Obs. ID column, in the order the data holds them');
    const start = body.map((r) => Number(r[7]));
    assert.notDeepEqual(start, [...start].sort((a, b) => b - a), 'not sorted by Start Date: the grid sorts');
    assert.ok(body.every((r) => r[1] === 'CFHT' && r[6] === 'M101' && r[14] === r[15] && r[15]?.startsWith('ivo://cadc.nrc.ca/CFHT?')));
  });

  it('the UWS job keeps its parameters\' posted names (QUERY, LANG, …): the page reads QUERY for its ADQL tab', async () => {
    const doc = await find(replica.origin, [['Plane.position.bounds@Shape1.value', 'M101']]);
    const job = await (await fetch(String(doc.job_url))).text();
    assert.match(job, /<uws:parameter id="LANG">ADQL<\/uws:parameter>/);
    assert.match(job, /<uws:parameter id="QUERY">SELECT Observation\.observationURI AS &quot;Preview&quot;/);
    assert.match(job, /<uws:parameter id="RUNID">[0-9a-f]+<\/uws:parameter>/);
  });

  it('a resolved target searches 1 arcminute around it (Shape1.java); one no resolver knows becomes a target-name search, not an error', async () => {
    const m101 = resolveTarget('M101');
    assert.ok(m101);
    const resolved = await find(replica.origin, [['Plane.position.bounds@Shape1.value', 'M101'], ['Plane.position.bounds@Shape1Resolver.value', 'ALL']]);
    const job = (await (await fetch(String(resolved.job_url))).text()).replace(/&#39;/g, "'");
    assert.ok(job.includes(`CIRCLE('ICRS', ${m101.ra}, ${m101.dec}, ${TARGET_RADIUS_DEG})`), 'radius 1/60 degree');
    assert.equal(TARGET_RADIUS_DEG, 1 / 60);
    const inFootprint = generateObservations().filter((o) => Math.hypot((o.ra - m101.ra) * Math.cos((m101.dec * Math.PI) / 180), o.dec - m101.dec) <= TARGET_RADIUS_DEG + FOOTPRINT_RADIUS_DEG);
    assert.equal(csvRows(await (await fetch(String(resolved.results_url))).text()).length - 1, inFootprint.length);
    assert.equal(resolved.pos, undefined, 'no pos without a spatial cutout (TAPSearcher.java:205-219)');
    const cutout = await find(replica.origin, [['Plane.position.bounds@Shape1.value', 'M101'], ['Plane.position.DOWNLOADCUTOUT', 'on']]);
    assert.equal(cutout.pos, 'M101');

    const byName = await find(replica.origin, [['Plane.position.bounds@Shape1.value', 'no such object']]);
    assert.equal(byName.errorMessage, undefined);
    assert.equal(csvRows(await (await fetch(String(byName.results_url))).text()).length, 1, 'only the header: no observation has that target name');
  });

  it('empty data-train values ("All") do not constrain; an unparseable date answers 200 with FormErrors\' errorMessage', async () => {
    const all = await find(replica.origin, [['Observation.collection', ''], ['Plane.energy.emBand', ''], ['Observation.instrument.name', 'WIRCam']]);
    const rows = csvRows(await (await fetch(String(all.results_url))).text()).slice(1);
    assert.equal(rows.length, generateObservations().filter((o) => o.instrument === 'WIRCam').length);
    const bad = await find(replica.origin, [['Plane.time.bounds.samples@Date.value', 'next tuesday']]);
    assert.deepEqual(bad, { errorMessage: 'Plane.time.bounds.samples@Date[Unable to parse next tuesday ] ' });
  });

  it('the data train answers its query\'s columns and a 0/1 cs flag (newest observation at or after the threshold)', async () => {
    const cols = 'energy_emBand,collection,instrument_name,energy_bandpassName,calibrationLevel,dataProductType,type';
    const mid = 58000;
    const rows = csvRows(await tap(replica.origin, `SELECT ${cols}, (CASE WHEN max_time_bounds_cval1 >= ${mid} THEN 1 ELSE 0 END) as cs FROM caom2.enumfield GROUP BY ${cols}, cs`));
    assert.deepEqual(rows[0], [...cols.split(','), 'cs']);
    const flags = new Set(rows.slice(1).map((r) => r[7]));
    assert.deepEqual([...flags].sort(), ['0', '1']);
    const obs = generateObservations();
    for (const r of rows.slice(1)) {
      const newest = Math.max(...obs.filter((o) => o.instrument === r[2] && o.filter === r[3] && String(o.calibrationLevel) === r[4]).map((o) => o.startMjd));
      assert.equal(r[7], newest >= mid ? '1' : '0', r.join(','));
    }
  });

  it('the resolver is UnitConversionServlet: an empty term is [], an unknown target NOT_FOUND, both 200; GOOD lists Dec before RA', async () => {
    const get = (field: string, term: string) => fetch(`${replica.origin}/search/unitconversion//${field}?term=${encodeURIComponent(encodeURIComponent(term))}&resolver=all`);
    const empty = await get('Plane.time.bounds.samples', '');
    assert.equal(empty.status, 200);
    assert.deepEqual(await empty.json(), []);
    const unknown = await get('Plane.position.bounds', 'no such object');
    assert.equal(unknown.status, 200);
    assert.deepEqual(await unknown.json(), { resolveStatus: 'NOT_FOUND', resolveValue: '', resolveTarget: '' });
    const good = (await (await get('Plane.position.bounds', 'M101')).json()) as { resolveStatus: string; resolveValue: string };
    assert.equal(good.resolveStatus, 'GOOD');
    assert.match(good.resolveValue, /^target: M101\nDec: 54\.34875\nRA: 210\.802429\nRadius: N\/A\ncoordsys: ICRS\nservice: simbad$/);
  });

  it('the Download Manager chooser is chooser.jsp: six method buttons with their labels, tuples, a form posting to /en/download/', async () => {
    const uri = 'ivo://cadc.nrc.ca/CFHT?1722701/1722701p';
    const res = await fetch(`${replica.origin}/downloadManager/download`, urlencoded([['uri', uri], ['runid', 'abc']]));
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.ok(html.includes('<h2>Choose one of the following download methods:</h2>'));
    assert.ok(html.includes('<form action="/en/download/" method="POST">'));
    assert.ok(html.includes(`<input type="hidden" name="tuple" value="${uri.replace('&', '&amp;')}{}{}{}" />`));
    const buttons = [...html.matchAll(/<button [^>]*name="method" value="([^"]+)"[^>]*>([^<]+)<\/button>/g)].map((m) => `${m[1]}=${m[2]}`);
    assert.deepEqual(buttons, ['TAR=TAR file', 'ZIP=ZIP file', 'Java Webstart=Java Webstart', 'Shell Script=Shell Script access', 'URL List=URL list in a file', 'HTML List=URL list on an HTML page']);
    const list = await fetch(`${replica.origin}/en/download/`, urlencoded([['tuple', `${uri}{}{}{}`], ['method', 'URL List']]));
    assert.equal(await list.text(), `${replica.origin}/data/pub/CFHT/1722701p.fits.fz\n`);
    const empty = await fetch(`${replica.origin}/downloadManager/download`, urlencoded([['runid', 'abc']]));
    assert.equal(empty.status, 200);
    assert.match(await empty.text(), /<h2>No datasets found<\/h2>/);
  });

  it('/search/datalink answers a DataLink VOTable with the plane\'s #this link', async () => {
    const id = 'ivo://cadc.nrc.ca/CFHT?1722701/1722701p';
    const res = await fetch(`${replica.origin}/search/datalink?id=${encodeURIComponent(id)}&request=downloads-only&runid=x`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/x-votable\+xml;content=datalink/);
    const xml = await res.text();
    assert.ok(xml.includes(`<TD>${replica.origin}/data/pub/CFHT/1722701p.fits.fz</TD>`));
    assert.ok(xml.includes('<TD>#this</TD>'));
  });
});

describe('replica Advanced Search page, as the real page behaves (Debian Chromium)', () => {
  let replica: Replica;
  let browser: Browser;
  before(async () => {
    replica = await startReplica();
    browser = await chromium.launch({ executablePath: resolveBrowserPath(undefined) });
  });
  after(async () => {
    await browser.close();
    await replica.stop();
  });

  async function open(path = '/en/search/'): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${replica.origin}${path}`);
    await page.locator('form#queryForm button.submit-query:not([disabled])').first().waitFor();
    return page;
  }

  it('every constraint sits in a collapsed <details>; its summary is the field\'s label; a summary with a value will not close it', async () => {
    const page = await open();
    try {
      const ids = await page.locator('form#queryForm input.search_criteria_input').evaluateAll((els) => els.map((e) => e.id));
      assert.ok(ids.includes('Plane.position.bounds') && ids.length >= 5, ids.join(','));
      for (const id of ids) {
        const details = page.locator(`details[id="${id}_details"]`);
        assert.equal(await details.evaluate((d) => (d as HTMLDetailsElement).open), false, `${id} collapsed`);
        assert.equal(await details.locator('summary label').getAttribute('for'), id);
        assert.equal(await page.locator(`[id="${id}"]`).isVisible(), false, `${id} hidden`);
      }
      const target = page.getByLabel('Target', { exact: true });
      await page.locator('summary').filter({ hasText: /^\s*Target\s*$/ }).click();
      assert.equal(await target.isVisible(), true);
      await target.fill('M101');
      await page.locator('summary').filter({ hasText: /^\s*Target\s*$/ }).click();
      assert.equal(await target.isVisible(), true, 'a section with a value stays open');
      await target.fill('');
      await page.locator('summary').filter({ hasText: /^\s*Target\s*$/ }).click();
      assert.equal(await target.isVisible(), false, 'an empty one closes');
    } finally {
      await page.close();
    }
  });

  it('span.grid-header-label is there twice: the results grid header and the error grid header', async () => {
    const page = await open();
    try {
      assert.equal(await page.locator('span.grid-header-label').count(), 2);
      assert.equal(await page.locator('#results-grid-header span.grid-header-label').count(), 1);
      assert.equal(await page.locator('#errorTableTab #error-grid-header span.grid-header-label').count(), 1);
    } finally {
      await page.close();
    }
  });

  it('while the rows stream in, the header says "Showing 0 rows" with the busy icon; the count comes with the idle icon', async () => {
    const page = await open();
    try {
      await page.locator('summary').filter({ hasText: /^\s*Target\s*$/ }).click();
      await page.getByLabel('Target', { exact: true }).fill('M101');
      replica.faults.set('GET /argus/sync/{id}/run', { bytesPerSecond: 4096 });
      const seen: string[] = [];
      const header = page.locator('#results-grid-header');
      await page.locator('form#queryForm button.submit-query').first().click();
      for (;;) {
        const [text, src] = await Promise.all([header.locator('span.grid-header-label').innerText(), header.locator('img.grid-header-icon').getAttribute('src')]);
        const state = `${text} | ${src}`;
        if (seen.at(-1) !== state) seen.push(state);
        if (src?.endsWith('transparent-20.png') && text) break;
        await page.waitForTimeout(50);
      }
      const m101 = generateObservations().filter((o) => o.targetName === 'M101').length;
      assert.ok(seen.includes('Showing 0 rows (0 before filtering). | cadcVOTV/images/PleaseWait-small.gif'), seen.join('\n'));
      assert.equal(seen.at(-1), `Showing ${m101} rows (${m101} before filtering). | cadcVOTV/images/transparent-20.png`);
    } finally {
      replica.faults.delete('GET /argus/sync/{id}/run');
      await page.close();
    }
  });

  it('the page looks its service up on its own URL, query kept; auto-submits; the grid sorts by Start Date and draws only the rows in view', async () => {
    const page = await browser.newPage();
    const lookups: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('serviceID=')) lookups.push(new URL(r.url()).search);
    });
    try {
      await page.goto(`${replica.origin}/en/search/?Observation.collection=CFHT`);
      const header = page.locator('#results-grid-header');
      await page.waitForFunction(() => {
        const h = document.querySelector('#results-grid-header') as HTMLElement;
        const label = h.querySelector('span.grid-header-label')?.textContent ?? '';
        return /Showing \d+ rows/.test(label) && (h.querySelector('img.grid-header-icon')?.getAttribute('src') ?? '').endsWith('transparent-20.png');
      });
      assert.match(lookups[0] ?? '', /^\?Observation\.collection=CFHT&serviceID=/);
      const cfht = generateObservations().filter((o) => o.collection === 'CFHT');
      assert.ok(cfht.length > 50);
      assert.equal(await header.locator('span.grid-header-label').innerText(), `Showing ${cfht.length} rows (${cfht.length} before filtering).`);
      const drawn = page.locator('#resultTable .grid-canvas .slick-row');
      assert.equal(await drawn.count(), 50, 'only the rows in view are in the DOM');
      const newest = [...cfht].sort((a, b) => b.startMjd - a.startMjd)[0];
      const firstIndex = cfht.indexOf(newest as (typeof cfht)[number]) + 1;
      assert.equal(await drawn.first().getAttribute('id'), `vov_${firstIndex}`, 'the newest observation on top, named by its place in the answer');
      const vov1 = cfht[0] as (typeof cfht)[number];
      const rank = [...cfht].sort((a, b) => b.startMjd - a.startMjd).indexOf(vov1);
      assert.equal(await page.locator('input._select_vov_1').count(), rank < 50 ? 1 : 0);
      const topId = await drawn.first().getAttribute('id');
      await page.locator(`#resultTable input._select_${topId}`).check();
      assert.equal(await drawn.last().getAttribute('id'), topId, 'a ticked row is drawn again, last in the DOM');
      assert.equal(await page.locator(`#resultTable input._select_${topId}`).isChecked(), true);
    } finally {
      await page.close();
    }
  });

  it('an errorMessage from /search/find is an alert(), not the Error tab', async () => {
    const page = await open();
    try {
      await page.locator('summary').filter({ hasText: /^\s*Observation Date\s*$/ }).click();
      await page.getByLabel('Observation Date', { exact: true }).fill('next tuesday');
      const message = new Promise<string>((resolve) =>
        page.once('dialog', (d) => {
          resolve(d.message());
          void d.dismiss();
        }),
      );
      await page.locator('form#queryForm button.submit-query').first().click();
      assert.equal(await message, 'Plane.time.bounds.samples@Date[Unable to parse next tuesday ] ');
      assert.equal(await page.locator('#errorTable').innerText(), '');
      assert.equal(await page.locator('#queryFormTab').isVisible(), true, 'still on the Search tab');
    } finally {
      await page.close();
    }
  });
});
