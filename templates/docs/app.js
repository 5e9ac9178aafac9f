// The docs site: routing (#node/<id>, #graph?select=...), the searchable node list, node pages and
// column lineage. Every user-provided string goes through esc() or textContent.
(function () {
  'use strict';
  var D = window.CAIRN_DOCS;
  var esc = window.CairnMarkdown.escape, md = window.CairnMarkdown.render;
  var main = document.getElementById('main'), sidebar = document.getElementById('sidebar'), search = document.getElementById('search');
  var byId = {}, referencedBy = {}, testsOf = {};
  var GRAPH = { nodes: [], parents: {}, children: {} };
  D.nodes.forEach(function (n) { byId[n.id] = n; referencedBy[n.id] = []; });
  D.nodes.forEach(function (n) {
    n.dependsOn.forEach(function (d) {
      if (!referencedBy[d]) return;
      if (n.type === 'test') (testsOf[d] = testsOf[d] || []).push(n.id); else referencedBy[d].push(n.id);
    });
  });
  D.nodes.forEach(function (n) { if (n.type !== 'test') { GRAPH.nodes.push(n); GRAPH.parents[n.id] = []; GRAPH.children[n.id] = []; } });
  D.edges.forEach(function (e) { GRAPH.parents[e[1]].push(e[0]); GRAPH.children[e[0]].push(e[1]); });

  // ---- column lineage index --------------------------------------------------------------
  var ck = function (rel, col) { return rel + '\u0000' + String(col).toLowerCase(); };
  var colUp = {}, colDown = {};
  D.nodes.forEach(function (n) {
    n.columns.forEach(function (c) {
      if (!c.lineage) return;
      colUp[ck(n.id, c.name)] = c.lineage.upstream;
      c.lineage.upstream.forEach(function (u) { (colDown[ck(u.relation, u.column)] = colDown[ck(u.relation, u.column)] || []).push({ relation: n.id, column: c.name }); });
    });
  });
  function walkColumns(id, col, index) {
    var seen = new Set([ck(id, col)]), hops = [], frontier = [{ relation: id, column: col }];
    for (var depth = 1; frontier.length && depth < 1000; depth++) {
      var next = [];
      frontier.forEach(function (f) {
        (index[ck(f.relation, f.column)] || []).forEach(function (u) {
          var k = ck(u.relation, u.column);
          if (seen.has(k)) return;
          seen.add(k); hops.push({ relation: u.relation, column: u.column, depth: depth }); next.push(u);
        });
      });
      frontier = next;
    }
    return hops;
  }

  // ---- helpers -----------------------------------------------------------------------------
  function link(id) {
    var n = byId[id];
    return '<a href="#node/' + encodeURIComponent(id) + '" class="nodelink type-' + esc(n ? n.type : 'unknown') + '">' + esc(n ? label(n) : id) + '</a>';
  }
  function label(n) { return n.type === 'source' ? n.sourceName + '.' + n.name : n.name; }
  function colRef(h) {
    var n = byId[h.relation];
    return '<li data-relation="' + esc(h.relation) + '" data-column="' + esc(h.column) + '">' + (n ? link(h.relation) : esc(h.relation)) + '<span class="colname">.' + esc(h.column) + '</span>' + (h.depth ? ' <span class="depth">' + h.depth + ' hop' + (h.depth > 1 ? 's' : '') + '</span>' : '') + '</li>';
  }
  function list(ids) { return ids.length ? '<ul class="nodelist">' + ids.map(function (i) { return '<li>' + link(i) + '</li>'; }).join('') + '</ul>' : '<p class="muted">none</p>'; }

  // ---- sidebar -----------------------------------------------------------------------------
  var ORDER = ['model', 'seed', 'snapshot', 'task', 'source', 'test', 'analysis'];
  function renderSidebar(q) {
    q = String(q || '').trim().toLowerCase();
    var groups = {};
    D.nodes.forEach(function (n) {
      if (q) {
        var hay = (n.name + ' ' + n.id + ' ' + n.description + ' ' + n.tags.join(' ') + ' ' + n.columns.map(function (c) { return c.name; }).join(' ')).toLowerCase();
        if (hay.indexOf(q) < 0) return;
      }
      (groups[n.type] = groups[n.type] || []).push(n);
    });
    var types = Object.keys(groups).sort(function (a, b) { return (ORDER.indexOf(a) + 99) % 99 - (ORDER.indexOf(b) + 99) % 99; });
    var html = types.map(function (t) {
      var items = groups[t].slice(0, 500);
      return '<section class="group"><h3>' + esc(t) + 's <span class="count">' + groups[t].length + '</span></h3><ul>' +
        items.map(function (n) { return '<li><a href="#node/' + encodeURIComponent(n.id) + '" data-id="' + esc(n.id) + '">' + esc(label(n)) + '</a></li>'; }).join('') +
        (groups[t].length > items.length ? '<li class="muted">… ' + (groups[t].length - items.length) + ' more: refine the search</li>' : '') + '</ul></section>';
    }).join('');
    sidebar.innerHTML = html || '<p class="muted">No node matches “' + esc(q) + '”.</p>';
  }
  var searchTimer = null;
  search.addEventListener('input', function () { clearTimeout(searchTimer); searchTimer = setTimeout(function () { renderSidebar(search.value); }, 80); });

  // ---- pages -------------------------------------------------------------------------------
  function overview() {
    var counts = {};
    D.nodes.forEach(function (n) { counts[n.type] = (counts[n.type] || 0) + 1; });
    main.innerHTML = '<h1>' + esc(D.project.name) + '</h1>' +
      (D.project.overview ? '<div class="description">' + md(D.project.overview) + '</div>' : '<p class="muted">Add a <code>{% docs __overview__ %}</code> block to describe the project here.</p>') +
      '<p>' + Object.keys(counts).sort().map(function (t) { return esc(String(counts[t])) + ' ' + esc(t) + (counts[t] > 1 ? 's' : ''); }).join(' · ') + '</p>' +
      '<p class="muted">Generated ' + esc(D.project.generatedAt) + ' · adapter ' + esc(D.project.adapter) + '</p>';
  }

  function columnsTable(n) {
    if (!n.columns.length) return '<p class="muted">No columns known (document them in YAML, or build the model and re-run <code>cairn docs generate</code>).</p>';
    return '<table class="columns"><thead><tr><th>Column</th><th>Type</th><th>Description</th><th>Tests</th><th>Lineage</th></tr></thead><tbody>' +
      n.columns.map(function (c) {
        var lin = '<span class="muted">—</span>';
        if (c.lineage) {
          var up = walkColumns(n.id, c.name, colUp), down = walkColumns(n.id, c.name, colDown);
          lin = (c.lineage.unresolved ? '<span class="unresolved" title="' + esc(c.lineage.unresolved) + '">unresolved: ' + esc(c.lineage.unresolved) + '</span>' : '<span class="transform t-' + esc(c.lineage.transform || '') + '">' + esc(c.lineage.transform || '') + '</span>') +
            '<details class="col-lineage"><summary>' + up.length + ' upstream · ' + down.length + ' downstream</summary>' +
            '<h4>Upstream</h4>' + (up.length ? '<ul class="col-upstream">' + up.map(colRef).join('') + '</ul>' : '<p class="muted">' + (c.lineage.unresolved ? 'unknown' : 'none: the data enters here') + '</p>') +
            '<h4>Downstream</h4>' + (down.length ? '<ul class="col-downstream">' + down.map(colRef).join('') + '</ul>' : '<p class="muted">none</p>') + '</details>';
        }
        return '<tr data-column="' + esc(c.name) + '"><td class="colname">' + esc(c.name) + '</td><td class="type">' + esc(c.type || '') + '</td><td class="description">' + md(c.description) + '</td><td>' +
          c.tests.map(function (t) { return '<span class="tag">' + esc(t) + '</span>'; }).join(' ') + '</td><td class="lineage">' + lin + '</td></tr>';
      }).join('') + '</tbody></table>';
  }

  function nodePage(id) {
    var n = byId[id];
    if (!n) { main.innerHTML = '<h1>Not found</h1><p>No node <code>' + esc(id) + '</code> in this project.</p>'; return; }
    var details = [['type', n.type], ['materialized', n.materialized], ['relation', n.relation], ['path', n.path]].filter(function (r) { return r[1]; });
    main.innerHTML =
      '<div class="node-head"><span class="badge type-' + esc(n.type) + '">' + esc(n.type) + '</span><h1 id="node-title">' + esc(label(n)) + '</h1>' +
      (n.type !== 'test' ? '<a class="button" id="view-lineage" href="#graph?select=' + encodeURIComponent('+' + (n.type === 'source' ? 'source:' + n.sourceName + '.' + n.name : n.name) + '+') + '&focus=' + encodeURIComponent(n.id) + '">View lineage</a>' : '') + '</div>' +
      '<table class="details">' + details.map(function (r) { return '<tr><th>' + esc(r[0]) + '</th><td>' + esc(r[1]) + '</td></tr>'; }).join('') +
      '<tr><th>tags</th><td>' + (n.tags.length ? n.tags.map(function (t) { return '<span class="tag">' + esc(t) + '</span>'; }).join(' ') : '<span class="muted">none</span>') + '</td></tr></table>' +
      '<h2>Description</h2><div class="description" id="node-description">' + (n.description ? md(n.description) : '<p class="muted">No description.</p>') + '</div>' +
      '<h2>Columns</h2>' + (n.lineageUnresolved ? '<p class="unresolved" id="lineage-unresolved">Column lineage unresolved: ' + esc(n.lineageUnresolved) + '</p>' : '') + columnsTable(n) +
      '<div class="deps"><div><h2>Depends on</h2>' + list(n.dependsOn) + '</div><div><h2>Referenced by</h2>' + list(referencedBy[n.id] || []) + '</div>' +
      '<div><h2>Tests</h2>' + list(testsOf[n.id] || []) + '</div></div>' +
      '<h2>Config</h2><pre class="config"></pre>' +
      (n.raw ? '<h2>Source SQL</h2><pre class="code" id="raw-sql"></pre>' : '') +
      (n.compiled !== null ? '<h2>Compiled SQL</h2><pre class="code" id="compiled-sql"></pre>' : '');
    main.querySelector('pre.config').textContent = JSON.stringify(n.config, null, 2);
    if (n.raw) main.querySelector('#raw-sql').textContent = n.raw;
    if (n.compiled !== null) main.querySelector('#compiled-sql').textContent = n.compiled;
    main.scrollTop = 0;
  }

  function graphPage(params) {
    var sel = params.get('select') || '', exc = params.get('exclude') || '', focus = params.get('focus');
    main.innerHTML = '<div class="graph-bar"><label>--select <input id="graph-select" spellcheck="false" placeholder="+orders+  tag:nightly  path:models/gold"></label>' +
      '<label>--exclude <input id="graph-exclude" spellcheck="false"></label><button id="graph-apply">Apply</button><button id="graph-fit">Fit</button>' +
      '<span id="graph-status" class="muted"></span></div><div id="graph-error" class="error" hidden></div><div id="graph"></div>' +
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
    var r = window.CairnGraph.draw(document.getElementById('graph'), {
      data: D, byId: byId, graph: GRAPH, ids: ids, full: ids.size === GRAPH.nodes.length, focus: focus,
      onOpen: function (id) { location.hash = 'node/' + encodeURIComponent(id); },
    });
    if (r.tooLarge) { status.textContent = r.nodeCount + ' nodes: too many to lay out in the browser; narrow the selection (e.g. +my_model+).'; return; }
    status.textContent = r.nodeCount + ' nodes · ' + r.edgeCount + ' edges';
    document.getElementById('graph-fit').addEventListener('click', r.fit);
    document.getElementById('graph').setAttribute('data-ready', '1');
  }

  function route() {
    var h = decodeURIComponent(location.hash.replace(/^#!?\/?/, '').split('?')[0] || '');
    var q = location.hash.indexOf('?') >= 0 ? location.hash.slice(location.hash.indexOf('?') + 1) : '';
    document.body.classList.toggle('graph-view', h === 'graph');
    if (h.indexOf('node/') === 0) nodePage(decodeURIComponent(location.hash.replace(/^#!?\/?node\//, '')));
    else if (h === 'graph') graphPage(new URLSearchParams(q));
    else overview();
    var active = sidebar.querySelector('a.active');
    if (active) active.classList.remove('active');
    if (h.indexOf('node/') === 0) {
      var a = sidebar.querySelector('a[data-id="' + (window.CSS && CSS.escape ? CSS.escape(decodeURIComponent(location.hash.replace(/^#!?\/?node\//, ''))) : '') + '"]');
      if (a) a.classList.add('active');
    }
  }
  window.addEventListener('hashchange', route);
  renderSidebar('');
  route();
  document.body.setAttribute('data-ready', '1');
})();
