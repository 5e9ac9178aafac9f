// The docs site: the project's indexes, routing (#node/<id>, #graph?select=...), the overview and the
// lineage graph page. The sidebar and node pages are in sidebar.js and node-page.js.
(function () {
  'use strict';
  var D = window.CAIRN_DOCS;
  var esc = window.CairnMarkdown.escape, md = window.CairnMarkdown.render;
  var main = document.getElementById('main'), search = document.getElementById('search');
  var byId = {}, referencedBy = {}, testsOf = {};
  // Exactly the kinds the generator laid out: a node without a position would break the drawing.
  var graphTypes = new Set(D.graphTypes);
  var GRAPH = { nodes: [], parents: {}, children: {} };
  var isTest = function (n) { return n.type === 'test' || n.type === 'unit_test'; };
  D.nodes.forEach(function (n) { byId[n.id] = n; referencedBy[n.id] = []; });
  D.nodes.forEach(function (n) {
    n.dependsOn.forEach(function (d) {
      if (!referencedBy[d]) return;
      if (isTest(n)) (testsOf[d] = testsOf[d] || []).push(n.id); else referencedBy[d].push(n.id);
    });
  });
  D.nodes.forEach(function (n) { if (graphTypes.has(n.type)) { GRAPH.nodes.push(n); GRAPH.parents[n.id] = []; GRAPH.children[n.id] = []; } });
  D.edges.forEach(function (e) { GRAPH.parents[e[1]].push(e[0]); GRAPH.children[e[0]].push(e[1]); });

  // Column lineage, both directions, keyed by relation id and lower-cased column.
  var ck = function (rel, col) { return rel + '\u0000' + String(col).toLowerCase(); };
  var colUp = {}, colDown = {};
  D.nodes.forEach(function (n) {
    n.columns.forEach(function (c) {
      if (!c.lineage) return;
      colUp[ck(n.id, c.name)] = c.lineage.upstream;
      c.lineage.upstream.forEach(function (u) { (colDown[ck(u.relation, u.column)] = colDown[ck(u.relation, u.column)] || []).push({ relation: n.id, column: c.name }); });
    });
  });

  var label = function (n) { return n.type === 'source' ? n.sourceName + '.' + n.name : n.name; };
  var nodePage = window.CairnNodePage.create({ byId: byId, referencedBy: referencedBy, testsOf: testsOf, colUp: colUp, colDown: colDown, ck: ck, graphTypes: graphTypes });
  var sidebar = window.CairnSidebar.init({ el: document.getElementById('sidebar'), nodes: D.nodes, label: label, onRender: function () { sidebar.markActive(currentNode()); } });
  var searchTimer = null;
  search.addEventListener('input', function () { clearTimeout(searchTimer); searchTimer = setTimeout(function () { sidebar.render(search.value); sidebar.markActive(currentNode()); }, 80); });

  function overview() {
    var counts = {};
    D.nodes.forEach(function (n) { counts[n.type] = (counts[n.type] || 0) + 1; });
    main.innerHTML = '<h1>' + esc(D.project.name) + '</h1>' +
      (D.project.overview ? '<div class="description">' + md(D.project.overview) + '</div>' : '<p class="muted">Add a <code>{% docs __overview__ %}</code> block to describe the project here.</p>') +
      '<p>' + Object.keys(counts).sort().map(function (t) { return esc(String(counts[t])) + ' ' + esc(t.replace('_', ' ')) + (counts[t] > 1 ? 's' : ''); }).join(' · ') + '</p>' +
      '<p class="muted">Generated ' + esc(D.project.generatedAt) + ' · adapter ' + esc(D.project.adapter) + '</p>';
  }

  function legend(ids) {
    var kinds = {};
    ids.forEach(function (id) { var n = byId[id]; var k = n.type === 'model' ? 'model-' + (n.materialized || 'view') : n.type; kinds[k] = (kinds[k] || 0) + 1; });
    return '<div id="graph-legend" class="kinds">' + Object.keys(kinds).sort().map(function (k) {
      return '<span class="kind"><svg width="14" height="10"><rect class="swatch k-' + esc(k) + '" x="1" y="1" width="12" height="8" rx="2"/></svg>' + esc(k.replace('model-', '')) + ' <span class="muted">' + kinds[k] + '</span></span>';
    }).join('') + '</div>';
  }

  function graphPage(params) {
    var sel = params.get('select') || '', exc = params.get('exclude') || '', focus = params.get('focus');
    main.innerHTML = '<div class="graph-bar"><label>--select <input id="graph-select" spellcheck="false" placeholder="+orders+  tag:nightly  path:models/gold"></label>' +
      '<label>--exclude <input id="graph-exclude" spellcheck="false"></label><button id="graph-apply">Apply</button><button id="graph-fit">Fit</button>' +
      '<span id="graph-status" class="muted"></span></div><div id="graph-error" class="error" hidden></div><div id="graph-legend-slot"></div><div id="graph"></div>' +
      '<p class="legend muted">Scroll to zoom, drag to pan, hover to highlight upstream and downstream, click to open.</p>';
    var si = document.getElementById('graph-select'), ei = document.getElementById('graph-exclude');
    si.value = sel; ei.value = exc;
    function go() { location.hash = 'graph?select=' + encodeURIComponent(si.value.trim()) + (ei.value.trim() ? '&exclude=' + encodeURIComponent(ei.value.trim()) : ''); }
    document.getElementById('graph-apply').addEventListener('click', go);
    [si, ei].forEach(function (i) { i.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') go(); }); });
    var status = document.getElementById('graph-status'), err = document.getElementById('graph-error');
    var ids;
    try {
      ids = window.CairnSelector.select(GRAPH, sel, exc);
    } catch (e) {
      err.hidden = false; err.textContent = e.message; return;
    }
    document.getElementById('graph-legend-slot').innerHTML = legend(ids);
    var r = window.CairnGraph.draw(document.getElementById('graph'), {
      data: D, byId: byId, graph: GRAPH, ids: ids, full: ids.size === GRAPH.nodes.length, focus: focus,
      onOpen: function (id) { location.hash = 'node/' + encodeURIComponent(id); },
    });
    if (r.tooLarge) { status.textContent = r.nodeCount + ' nodes: too many to lay out in the browser; narrow the selection (e.g. +my_model+).'; return; }
    status.textContent = r.nodeCount + ' nodes · ' + r.edgeCount + ' edges';
    document.getElementById('graph-fit').addEventListener('click', r.fit);
    document.getElementById('graph').setAttribute('data-ready', '1');
  }

  function currentNode() {
    return location.hash.match(/^#!?\/?node\//) ? decodeURIComponent(location.hash.replace(/^#!?\/?node\//, '')) : null;
  }
  function route() {
    var h = decodeURIComponent(location.hash.replace(/^#!?\/?/, '').split('?')[0] || '');
    var q = location.hash.indexOf('?') >= 0 ? location.hash.slice(location.hash.indexOf('?') + 1) : '';
    document.body.classList.toggle('graph-view', h === 'graph');
    var id = currentNode();
    if (id !== null) nodePage(main, id);
    else if (h === 'graph') graphPage(new URLSearchParams(q));
    else overview();
    sidebar.markActive(id);
  }
  window.addEventListener('hashchange', route);
  sidebar.render('');
  route();
  document.body.setAttribute('data-ready', '1');
})();
