// A node's page: details, description, columns with their lineage, dependencies, tests, config as a
// table, SQL with highlighting and a copy button, and a unit test's given/expect rows.
// Every user-provided string goes through esc() or textContent.
(function () {
  'use strict';
  var esc = window.CairnMarkdown.escape, md = window.CairnMarkdown.render;

  function create(ix) {
    var byId = ix.byId;
    function label(n) { return n.type === 'source' ? n.sourceName + '.' + n.name : n.name; }
    function link(id) {
      var n = byId[id];
      return '<a href="#node/' + encodeURIComponent(id) + '" class="nodelink type-' + esc(n ? n.type : 'unknown') + '">' + esc(n ? label(n) : id) + '</a>';
    }
    function list(ids) { return ids.length ? '<ul class="nodelist">' + ids.map(function (i) { return '<li>' + link(i) + '</li>'; }).join('') + '</ul>' : '<p class="muted">none</p>'; }
    function colRef(h) {
      var n = byId[h.relation];
      return '<li data-relation="' + esc(h.relation) + '" data-column="' + esc(h.column) + '">' + (n ? link(h.relation) : esc(h.relation)) + '<span class="colname">.' + esc(h.column) + '</span>' + (h.depth ? ' <span class="depth">' + h.depth + ' hop' + (h.depth > 1 ? 's' : '') + '</span>' : '') + '</li>';
    }
    function walkColumns(id, col, index) {
      var seen = new Set([ix.ck(id, col)]), hops = [], frontier = [{ relation: id, column: col }];
      for (var depth = 1; frontier.length && depth < 1000; depth++) {
        var next = [];
        frontier.forEach(function (f) {
          (index[ix.ck(f.relation, f.column)] || []).forEach(function (u) {
            var k = ix.ck(u.relation, u.column);
            if (seen.has(k)) return;
            seen.add(k); hops.push({ relation: u.relation, column: u.column, depth: depth }); next.push(u);
          });
        });
        frontier = next;
      }
      return hops;
    }
    function columnsTable(n) {
      if (!n.columns.length) return '<p class="muted">No columns known (document them in YAML, or build the model and re-run <code>cairn docs generate</code>).</p>';
      return '<div class="scroll"><table class="columns"><thead><tr><th>Column</th><th>Type</th><th>Description</th><th>Tests</th><th>Lineage</th></tr></thead><tbody>' +
        n.columns.map(function (c) {
          var lin = '<span class="muted">—</span>';
          if (c.lineage) {
            var up = walkColumns(n.id, c.name, ix.colUp), down = walkColumns(n.id, c.name, ix.colDown);
            lin = (c.lineage.unresolved ? '<span class="unresolved" title="' + esc(c.lineage.unresolved) + '">unresolved: ' + esc(c.lineage.unresolved) + '</span>' : '<span class="transform t-' + esc(c.lineage.transform || '') + '">' + esc(c.lineage.transform || '') + '</span>') +
              '<details class="col-lineage"><summary>' + up.length + ' upstream · ' + down.length + ' downstream</summary>' +
              '<h4>Upstream</h4>' + (up.length ? '<ul class="col-upstream">' + up.map(colRef).join('') + '</ul>' : '<p class="muted">' + (c.lineage.unresolved ? 'unknown' : 'none: the data enters here') + '</p>') +
              '<h4>Downstream</h4>' + (down.length ? '<ul class="col-downstream">' + down.map(colRef).join('') + '</ul>' : '<p class="muted">none</p>') + '</details>';
          }
          return '<tr data-column="' + esc(c.name) + '"><td class="colname">' + esc(c.name) + '</td><td class="type">' + esc(c.type || '') + '</td><td class="description">' + md(c.description) + '</td><td>' +
            c.tests.map(function (t) { return '<span class="tag">' + esc(t) + '</span>'; }).join(' ') + '</td><td class="lineage">' + lin + '</td></tr>';
        }).join('') + '</tbody></table></div>';
    }
    function value(v) {
      if (v === null || v === undefined) return '<span class="muted">null</span>';
      if (typeof v === 'object') return '<code>' + esc(JSON.stringify(v)) + '</code>';
      return esc(String(v));
    }
    function configTable(cfg) {
      var keys = Object.keys(cfg || {}).sort();
      if (!keys.length) return '<p class="muted">No config.</p>';
      return '<table class="config details" id="node-config">' + keys.map(function (k) { return '<tr><th>' + esc(k) + '</th><td>' + value(cfg[k]) + '</td></tr>'; }).join('') + '</table>';
    }
    function codeBlock(id, title, sql) {
      return '<div class="code-head"><h2>' + esc(title) + '</h2><button class="copy" data-copy="' + id + '">Copy</button></div><pre class="code" id="' + id + '">' + window.CairnSql.highlight(sql) + '</pre>';
    }
    function rowsTable(rows) {
      if (!rows || !rows.length) return '<p class="muted">no rows</p>';
      var cols = [];
      rows.forEach(function (r) { Object.keys(r).forEach(function (k) { if (cols.indexOf(k) < 0) cols.push(k); }); });
      return '<div class="scroll"><table class="columns rows"><thead><tr>' + cols.map(function (c) { return '<th>' + esc(c) + '</th>'; }).join('') + '</tr></thead><tbody>' +
        rows.map(function (r) { return '<tr>' + cols.map(function (c) { return '<td>' + (c in r ? value(r[c]) : '') + '</td>'; }).join('') + '</tr>'; }).join('') + '</tbody></table></div>';
    }
    function fixture(f) { return f.sql ? '<pre class="code">' + window.CairnSql.highlight(f.sql) + '</pre>' : rowsTable(f.rows); }
    function unitTestSection(u) {
      return '<h2>Given</h2><div id="unit-given">' + u.given.map(function (g) { return '<h3 class="input">' + esc(g.input) + ' <span class="muted">(' + esc(g.format) + ')</span></h3>' + fixture(g); }).join('') + '</div>' +
        '<h2>Expect</h2><div id="unit-expect">' + fixture(u.expect) + '</div>';
    }

    return function nodePage(main, id) {
      var n = byId[id];
      if (!n) { main.innerHTML = '<h1>Not found</h1><p>No node <code>' + esc(id) + '</code> in this project.</p>'; return; }
      var details = [['type', n.type], ['materialized', n.materialized], ['relation', n.relation], ['path', n.path], ['package', n.packageName]].filter(function (r) { return r[1]; });
      var drawn = ix.graphTypes.has(n.type);
      main.innerHTML =
        '<div class="node-head"><span class="badge type-' + esc(n.type) + '">' + esc(n.type.replace('_', ' ')) + '</span><h1 id="node-title">' + esc(label(n)) + '</h1>' +
        (drawn ? '<a class="button" id="view-lineage" href="#graph?select=' + encodeURIComponent('+' + (n.type === 'source' ? 'source:' + n.sourceName + '.' + n.name : n.name) + '+') + '&focus=' + encodeURIComponent(n.id) + '">View lineage</a>' : '') + '</div>' +
        '<table class="details">' + details.map(function (r) { return '<tr><th>' + esc(r[0]) + '</th><td>' + esc(r[1]) + '</td></tr>'; }).join('') +
        '<tr><th>tags</th><td>' + (n.tags.length ? n.tags.map(function (t) { return '<span class="tag">' + esc(t) + '</span>'; }).join(' ') : '<span class="muted">none</span>') + '</td></tr></table>' +
        '<h2>Description</h2><div class="description" id="node-description">' + (n.description ? md(n.description) : '<p class="muted">No description.</p>') + '</div>' +
        (n.unitTest ? unitTestSection(n.unitTest) : '') +
        (n.type === 'unit_test' ? '' : '<h2>Columns</h2>' + (n.lineageUnresolved ? '<p class="unresolved" id="lineage-unresolved">Column lineage unresolved: ' + esc(n.lineageUnresolved) + '</p>' : '') + columnsTable(n)) +
        '<div class="deps"><div><h2>Depends on</h2>' + list(n.dependsOn) + '</div><div><h2>Referenced by</h2>' + list(ix.referencedBy[n.id] || []) + '</div>' +
        '<div><h2>Tests</h2>' + list(ix.testsOf[n.id] || []) + '</div></div>' +
        '<h2>Config</h2>' + configTable(n.config) +
        (n.raw ? codeBlock('raw-sql', 'Source SQL', n.raw) : '') +
        (n.compiled !== null ? codeBlock('compiled-sql', 'Compiled SQL', n.compiled) : '');
      Array.prototype.forEach.call(main.querySelectorAll('button.copy'), function (b) {
        b.addEventListener('click', function () {
          var text = document.getElementById(b.getAttribute('data-copy')).textContent;
          var done = function () { b.textContent = 'Copied'; setTimeout(function () { b.textContent = 'Copy'; }, 1500); };
          if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, function () { b.textContent = 'Copy failed'; });
        });
      });
      main.scrollTop = 0;
    };
  }
  window.CairnNodePage = { create: create };
})();
