// The sidebar, as in dbt's docs: a Project tree (packages and folders as in the repository, sources
// by source name) and a Database tree (database → schema → relation). Typing in the search box
// replaces the trees with the matches, searched in names, descriptions, tags and columns.
(function () {
  'use strict';
  var esc = window.CairnMarkdown.escape;
  var ORDER = ['model', 'seed', 'snapshot', 'task', 'source', 'test', 'unit_test', 'analysis', 'exposure'];
  var IN_TREES = new Set(['model', 'seed', 'snapshot', 'task', 'source', 'analysis', 'exposure']);
  var MAX_MATCHES = 500;

  function tree() { return { dirs: {}, leaves: [] }; }
  function put(root, parts, n) {
    var t = root;
    parts.forEach(function (p) { t = t.dirs[p] = t.dirs[p] || tree(); });
    t.leaves.push(n);
  }
  function size(t) { return t.leaves.length + Object.keys(t.dirs).reduce(function (a, k) { return a + size(t.dirs[k]); }, 0); }

  function init(opts) {
    var el = opts.el, nodes = opts.nodes, label = opts.label;
    var project = tree(), database = tree();
    nodes.forEach(function (n) {
      if (!IN_TREES.has(n.type)) return;
      if (n.type === 'source') put(project, [n.packageName, 'Sources', n.sourceName], n);
      else put(project, [n.packageName].concat(String(n.path || '').split('/').slice(0, -1)), n);
      if (n.relation && n.schema) put(database, [n.database || '(default database)', n.schema], n);
    });
    var tab = 'project';

    function leaf(n, text) {
      return '<li><a href="#node/' + encodeURIComponent(n.id) + '" data-id="' + esc(n.id) + '" class="type-' + esc(n.type) + '">' + esc(text) + '</a></li>';
    }
    function renderTree(t, depth, leafText) {
      var dirs = Object.keys(t.dirs).sort();
      return '<ul class="tree">' + dirs.map(function (d) {
        return '<li><details' + (depth < 2 ? ' open' : '') + '><summary class="folder">' + esc(d) + ' <span class="count">' + size(t.dirs[d]) + '</span></summary>' +
          renderTree(t.dirs[d], depth + 1, leafText) + '</details></li>';
      }).join('') + t.leaves.slice().sort(function (a, b) { return leafText(a).localeCompare(leafText(b)); }).map(function (n) { return leaf(n, leafText(n)); }).join('') + '</ul>';
    }
    function matches(q) {
      var groups = {};
      nodes.forEach(function (n) {
        var hay = [n.name, n.id, n.description, n.tags.join(' ')].concat(n.columns.map(function (c) { return c.name + ' ' + c.description; })).join(' ').toLowerCase();
        if (hay.indexOf(q) >= 0) (groups[n.type] = groups[n.type] || []).push(n);
      });
      var types = Object.keys(groups).sort(function (a, b) { return (ORDER.indexOf(a) + 99) % 99 - (ORDER.indexOf(b) + 99) % 99; });
      return types.map(function (t) {
        var items = groups[t].slice(0, MAX_MATCHES);
        return '<section class="group"><h3>' + esc(t.replace('_', ' ')) + 's <span class="count">' + groups[t].length + '</span></h3><ul>' +
          items.map(function (n) { return leaf(n, label(n)); }).join('') +
          (groups[t].length > items.length ? '<li class="muted">… ' + (groups[t].length - items.length) + ' more: refine the search</li>' : '') + '</ul></section>';
      }).join('') || '<p class="muted">No node matches “' + esc(q) + '”.</p>';
    }
    function render(q) {
      q = String(q || '').trim().toLowerCase();
      var tabs = '<div class="tabs" role="tablist">' + ['project', 'database'].map(function (t) {
        return '<button role="tab" data-tab="' + t + '" class="' + (t === tab ? 'on' : '') + '" aria-selected="' + (t === tab) + '">' + (t === 'project' ? 'Project' : 'Database') + '</button>';
      }).join('') + '</div>';
      var body = q ? matches(q) : tab === 'project'
        ? renderTree(project, 0, label)
        : renderTree(database, 0, function (n) { return n.relation.split('.').pop().replace(/^"|"$/g, ''); });
      el.innerHTML = (q ? '' : tabs) + '<div id="sidebar-' + (q ? 'matches' : tab) + '">' + body + '</div>';
      Array.prototype.forEach.call(el.querySelectorAll('.tabs button'), function (b) {
        b.addEventListener('click', function () { tab = b.getAttribute('data-tab'); render(''); opts.onRender && opts.onRender(); });
      });
    }
    function markActive(id) {
      var active = el.querySelector('a.active');
      if (active) active.classList.remove('active');
      if (!id || !(window.CSS && CSS.escape)) return;
      var a = el.querySelector('a[data-id="' + CSS.escape(id) + '"]');
      if (!a) return;
      a.classList.add('active');
      for (var d = a.parentElement; d && d !== el; d = d.parentElement) if (d.tagName === 'DETAILS') d.open = true;
    }
    return { render: render, markActive: markActive };
  }
  window.CairnSidebar = { init: init };
})();
