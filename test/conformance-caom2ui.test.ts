/**
 * The caom2ui conformance front end: the JSP-subset renderer (conformance/jsp.ts) on small pages of
 * our own, the front end's routing, and, when a caom2ui clone is at
 * $PERFPULSE_CONFORMANCE_SOURCES/caom2ui, the real page rendered from it and served by the front end.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { caom2ui, renderSearchPage } from '../conformance/frontends/caom2ui.ts';
import { JspError, parseProperties, renderJsp, type JspSite } from '../conformance/jsp.ts';

const TAGLIBS = '<%@ taglib uri="http://java.sun.com/jsp/jstl/core" prefix="c" %><%@ taglib uri="http://java.sun.com/jsp/jstl/fmt" prefix="fmt" %>';

function site(files: Record<string, string>, extra: Partial<JspSite> = {}): JspSite {
  return {
    contextPath: '/app',
    read: (p) => files[p] ?? null,
    readTag: (dir, name) => files[`${dir}/${name}.tag`] ?? null,
    bundle: (base, locale) => files[`bundle:${base}_${locale}`] ?? null,
    javaSource: (fqcn) => files[`java:${fqcn}`] ?? null,
    ...extra,
  };
}

const render = (files: Record<string, string>, params: Array<[string, string]> = [], extra: Partial<JspSite> = {}) =>
  renderJsp(site(files, extra), '/index.jsp', { params }).replace(/\s+/g, ' ').trim();

describe('conformance/jsp.ts: a JSP subset rendered as Jasper and JSTL do', () => {
  it('c:import includes with the URL\'s query and c:params first; EL and request.getParameter see them', () => {
    const out = render(
      {
        '/index.jsp': `${TAGLIBS}<c:import url="part.jsp?utype=A.b&amp;side=left"/>|<c:import url="part.jsp"><c:param name="utype" value="X.y"/></c:import>`,
        '/part.jsp': '<% final String u = request.getParameter("utype"); %>[${param.utype}/<%= u %>/${param.side}/${param.top}]',
      },
      [['top', 'T'], ['utype', 'outer']],
    );
    assert.equal(out, '[A.b/A.b//T]|[X.y/X.y//T]');
  });

  it('fmt:setBundle in request scope reaches includes; fmt:message answers ???key??? for a missing key', () => {
    const out = render({
      '/index.jsp': `${TAGLIBS}<fmt:setBundle basename="B" var="lang" scope="request"/><c:import url="inc/p.jsp?k=HELLO"/>`,
      '/inc/p.jsp': `${TAGLIBS}<fmt:message key="\${param.k}" bundle="\${lang}"/> <fmt:message key="NOPE" bundle="\${lang}"/>`,
      'bundle:B_en': 'HELLO = Hello \\\n  world\nNAME=caf\\u00e9',
    });
    assert.equal(out, 'Hello world ???NOPE???');
    assert.equal(parseProperties('a=1\n# c\nb : x\\ty').get('b'), 'x\ty');
  });

  it('a prefix is a tag only after its taglib directive: before it, <fmt:…> is template text (with its EL evaluated)', () => {
    const out = render({ '/index.jsp': `<t><fmt:message key="K" bundle="\${1 + 1}"/></t>${TAGLIBS}<c:if test="true">yes</c:if>` });
    assert.equal(out, '<t><fmt:message key="K" bundle="2"/></t>yes');
  });

  it('scriptlets: declarations, +=, if/else across template text, constants and enum names read from the Java sources', () => {
    const out = render({
      '/index.jsp': `<%@ page import="a.b.Form" %><%@ page import="a.b.Preset" %>
<% final String u = request.getParameter("u"); String cls = "c1"; if (u != null && Boolean.parseBoolean("true")) { cls += " c2"; } %>
<% if (u == null) { %>none<% } else { %><i class="<%= cls %>" name="<%= u + Form.VALUE %>" v="<%= Preset.PAST_WEEK.name() %>" q="<%= a.b.Form.NAME %>"/><% } %>`,
      'java:a.b.Form': 'package a.b;\npublic class Form {\n  public static final String NAME = "@Form";\n  /** doc */ public static final String VALUE = NAME + ".value";\n}',
      'java:a.b.Preset': 'package a.b;\npublic enum Preset\n{\n    PAST_DAY, PAST_WEEK;\n}',
    }, [['u', 'Plane.x']]);
    assert.equal(out, '<i class="c1 c2" name="Plane.x@Form.value" v="PAST_WEEK" q="@Form"/>');
  });

  it('c:set on a TreeMap, c:forEach in key order, c:choose, tag files with attributes, EL not/empty/eq/and/fn:trim', () => {
    const out = render({
      '/index.jsp': `${TAGLIBS}<%@ taglib tagdir="/WEB-INF/tags/x" prefix="x" %><jsp:useBean id="m" class="java.util.TreeMap"/>
<c:set target="\${m}" property="b" value="2"/><c:set target="\${m}" property="a" value="1"/>
<x:list items="\${m}" pick="b"/><c:choose><c:when test="\${empty m}">E</c:when><c:otherwise>F</c:otherwise></c:choose>`,
      '/WEB-INF/tags/x/list.tag': `<%@ tag body-content="empty" %><%@ attribute name="items" required="true" type="java.util.Map" %><%@ attribute name="pick" %>
<%@ taglib uri="http://java.sun.com/jsp/jstl/core" prefix="c" %><%@ taglib prefix="fn" uri="http://java.sun.com/jsp/jstl/functions" %>
<c:forEach items="\${items}" var="e"><o\${not empty fn:trim(pick) and pick eq e.key ? ' s' : ''}>\${e.key}=\${e.value}</o></c:forEach>`,
    });
    assert.equal(out, '<o>a=1</o><o s>b=2</o>F');
  });

  it('its two liberties: scriptlet locals are seen by EL, and an unterminated ${name in an attribute is ${name}', () => {
    const out = render({
      '/index.jsp': `${TAGLIBS}<% final String lang = "en"; %><c:url value="h.jsp" var="u"><c:param name="lang" value="\${lang}"/></c:url><c:import url='\${u' />`,
      '/h.jsp': '<html lang="${param.lang}">',
    });
    assert.equal(out, '<html lang="en">');
  });

  it('anything else is a JspError naming the file and line, never a guess', () => {
    assert.throws(() => render({ '/index.jsp': `${TAGLIBS}\n\n<c:redirect url="/x"/>` }), (e: Error) => e instanceof JspError && /^\/index\.jsp:3: <c:redirect> is not supported/.test(e.message));
    assert.throws(() => render({ '/index.jsp': '<%! int x; %>' }), /\/index\.jsp:1: <%! declarations are not supported/);
    assert.throws(() => render({ '/index.jsp': '<% foo.bar(); %>' }), JspError);
    assert.throws(() => render({ '/index.jsp': `${TAGLIBS}<c:import url="missing.jsp"/>` }), /\/missing\.jsp: no such file/);
    assert.throws(() => render({ '/index.jsp': `${TAGLIBS}<c:if test="true">open` }), /<c:if> is never closed/);
  });
});

describe('conformance/frontends/caom2ui.ts: what it owns', () => {
  it('owns the page and its static files under /en/search/, not the service lookup on the page URL nor the servlets', () => {
    for (const path of ['/en/search/', '/en/search/?Observation.collection=CFHT', '/en/search/js/cadc.search.app.js?version=@version@', '/en/search/cadcVOTV/images/transparent-20.png', '/en/search/json/tooltips_en.json']) {
      assert.equal(caom2ui.owns('GET', path), true, path);
    }
    for (const [method, path] of [
      ['GET', '/en/search/?serviceID=ivo%3A%2F%2Fcadc.nrc.ca%2Fargus&standardID=x'],
      ['GET', '/en/search/?Observation.collection=CFHT&serviceID=x&standardID=y'],
      ['POST', '/search/find'],
      ['GET', '/search/unitconversion//Plane.position.bounds?term=M101'],
      ['GET', '/search/datalink?id=x'],
      ['POST', '/downloadManager/download'],
      ['POST', '/argus/sync'],
      ['GET', '/en/search/index.jsp'],
      ['GET', '/en/'],
    ] as const) {
      assert.equal(caom2ui.owns(method, path), false, `${method} ${path}`);
    }
    assert.ok(caom2ui.fromReplica.length >= 4 && caom2ui.fromReplica.every((l) => !l.includes('\n')));
    assert.deepEqual(caom2ui.journeys, ['search', 'download']);
  });
});

const SOURCES = process.env.PERFPULSE_CONFORMANCE_SOURCES;
const CLONE = SOURCES ? join(SOURCES, 'caom2ui') : undefined;
const noClone = !CLONE || !existsSync(CLONE) ? 'no caom2ui clone: set PERFPULSE_CONFORMANCE_SOURCES to a directory holding one' : false;

describe('the real caom2ui page, rendered from a clone', { skip: noClone }, () => {
  const dir = CLONE as string;

  it('check() accepts the clone; index.jsp renders with every message found and every tag understood', () => {
    assert.equal(caom2ui.check(dir), null);
    const html = renderSearchPage(dir, new URLSearchParams());
    assert.doesNotMatch(html, /\?\?\?[A-Za-z_.]+\?\?\?/, 'no message key missing from Caom2SearchBundle_en.properties');
    assert.doesNotMatch(html.replace(/<title>.*?<\/title>/s, ''), /<(c|fmt|cadc|jsp):|<%|\$\{/, 'no JSP left over (the header\'s <title> aside: see caom2ui.ts)');
    assert.match(html, /<html lang="en" class="no-js">/);
    assert.match(html, /tapServiceId: 'ivo:\/\/cadc\.nrc\.ca\/argus'/);
    assert.match(html, /<form id="queryForm" name="queryForm" class="queryForm"\s+method="post" action="\/search\/find"/);
  });

  it('the page\'s real structure: each constraint in a collapsed <details> with its label in the summary; two grid-header labels', () => {
    const html = renderSearchPage(dir, new URLSearchParams());
    const details = [...html.matchAll(/<details id="([^"]+)_details"([^>]*)>\s*<summary class="search_criteria_label_container">\s*<label for="([^"]+)"/g)];
    assert.ok(details.length >= 20, `${details.length} sections`);
    for (const d of details) {
      assert.equal(d[2], '', `${d[1]} is collapsed`);
      assert.equal(d[3], d[1], `${d[1]}'s summary labels its input`);
    }
    assert.ok(details.some((d) => d[1] === 'Plane.position.bounds'));
    assert.match(html, /<label for="Plane\.position\.bounds"\s+class="control-label">Target<span/);
    assert.equal((html.match(/<span class="grid-header-label"><\/span>/g) ?? []).length, 2);
    assert.match(html, /<div id="error-grid-header" class="grid-header">\s*<span class="grid-header-label"><\/span>/);
    assert.match(html, /<button type="submit"\s+id="downloadFormSubmit"/);
  });

  it('the front end serves the rendered page and the clone\'s static files, and 404s the rest', async () => {
    const fe = await caom2ui.start({ source: { dir, commit: 'x' }, replicaOrigin: 'http://127.0.0.1:1', publicOrigin: 'http://127.0.0.1:2' });
    try {
      const page = await fetch(`${fe.origin}/en/search/?Observation.collection=CFHT`);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(await page.text(), /id="results-grid-header"/);
      const js = await fetch(`${fe.origin}/en/search/js/cadc.search.app.js?version=@version@`);
      assert.equal(js.status, 200);
      assert.match(await js.text(), /AdvancedSearchApp/);
      assert.equal((await fetch(`${fe.origin}/en/search/js/../../../../../etc/passwd`)).status, 404);
      assert.equal((await fetch(`${fe.origin}/en/search/js/none.js`)).status, 404);
    } finally {
      await fe.stop();
    }
  });
});
