// The lineage graph: SVG drawing of a precomputed dagre layout (or a fresh one for small filtered
// subgraphs), with pan, zoom, hover highlighting of upstream/downstream and click-to-open.
(function () {
  'use strict';
  var NS = 'http://www.w3.org/2000/svg';
  var NODE_H = 26;
  var RELAYOUT_MAX = 400; // subgraphs up to this size get their own compact layout

  function el(tag, attrs) {
    var e = document.createElementNS(NS, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }
  function width(label) { return Math.min(260, Math.max(80, 24 + label.length * 7)); }

  function layoutSubset(ids, edges, byId) {
    var g = new dagre.graphlib.Graph();
    g.setGraph({ rankdir: 'LR', nodesep: 12, ranksep: 70, marginx: 20, marginy: 20 });
    g.setDefaultEdgeLabel(function () { return {}; });
    ids.forEach(function (id) { g.setNode(id, { width: width(byId[id].name), height: NODE_H }); });
    edges.forEach(function (e) { g.setEdge(e[0], e[1]); });
    dagre.layout(g);
    var pos = {};
    ids.forEach(function (id) { var n = g.node(id); pos[id] = [n.x, n.y, n.width]; });
    return window.CairnWrapRanks.wrapRanks(pos);
  }

  /**
   * opts: { data, byId, graph: {parents, children}, ids: Set of node ids to draw, full: ids is the whole graph, focus: id|null, onOpen(id) }
   * Returns { nodeCount, edgeCount } or { tooLarge: true }.
   */
  function draw(container, opts) {
    var data = opts.data, byId = opts.byId, ids = Array.from(opts.ids);
    var idSet = opts.ids;
    var edges = data.edges.filter(function (e) { return idSet.has(e[0]) && idSet.has(e[1]); });
    var pos;
    if (ids.length <= RELAYOUT_MAX && (!opts.full || !data.layout)) pos = layoutSubset(ids, edges, byId);
    else if (data.layout) pos = data.layout.positions;
    else return { tooLarge: true, nodeCount: ids.length };

    container.textContent = '';
    // Big graphs: no dimming of the rest on hover (restyling thousands of nodes costs a frame).
    var svg = el('svg', { id: 'graph-svg', width: '100%', height: '100%', class: ids.length > 500 ? 'large' : '' });
    var defs = el('defs', {});
    var marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: '10', refY: '5', markerWidth: '6', markerHeight: '6', orient: 'auto-start-reverse' });
    marker.appendChild(el('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead' }));
    defs.appendChild(marker);
    svg.appendChild(defs);
    var vp = el('g', { id: 'viewport' });
    svg.appendChild(vp);
    var edgeLayer = el('g', { class: 'edges' }), nodeLayer = el('g', { class: 'nodes' });
    vp.appendChild(edgeLayer); vp.appendChild(nodeLayer);

    var edgeEls = [];
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    edges.forEach(function (e) {
      var a = pos[e[0]], b = pos[e[1]];
      var x1 = a[0] + a[2] / 2, y1 = a[1], x2 = b[0] - b[2] / 2, y2 = b[1], mx = (x1 + x2) / 2;
      var p = el('path', { d: 'M' + x1 + ',' + y1 + ' C' + mx + ',' + y1 + ' ' + mx + ',' + y2 + ' ' + x2 + ',' + y2, class: 'edge', 'marker-end': 'url(#arrow)', 'data-from': e[0], 'data-to': e[1] });
      edgeLayer.appendChild(p);
      edgeEls.push(p);
    });
    var nodeEls = {};
    ids.forEach(function (id) {
      var n = byId[id], p = pos[id];
      var kind = n.type === 'model' ? 'k-model-' + (n.materialized || 'view') : 'k-' + n.type;
      var g = el('g', { class: 'gnode type-' + n.type + ' ' + kind + (id === opts.focus ? ' focus' : ''), 'data-id': id, transform: 'translate(' + (p[0] - p[2] / 2) + ',' + (p[1] - NODE_H / 2) + ')', tabindex: '0', role: 'link' });
      g.appendChild(el('rect', { width: p[2], height: NODE_H, rx: '5' }));
      var t = el('text', { x: '10', y: '17' });
      t.textContent = n.name.length > 34 ? n.name.slice(0, 33) + '…' : n.name; // textContent: never markup
      var title = el('title', {});
      title.textContent = n.id;
      g.appendChild(title);
      g.appendChild(t);
      nodeLayer.appendChild(g);
      nodeEls[id] = g;
      minX = Math.min(minX, p[0] - p[2] / 2); maxX = Math.max(maxX, p[0] + p[2] / 2);
      minY = Math.min(minY, p[1] - NODE_H / 2); maxY = Math.max(maxY, p[1] + NODE_H / 2);
    });
    container.appendChild(svg);

    // Pan and zoom: one transform on the viewport group, applied once per animation frame.
    var view = { x: 0, y: 0, k: 1 }, pending = false;
    // Labels smaller than ~5px are unreadable and cost most of the paint time on big graphs.
    function apply() {
      pending = false;
      vp.setAttribute('transform', 'translate(' + view.x + ',' + view.y + ') scale(' + view.k + ')');
      svg.classList.toggle('tiny', view.k < 0.4);
    }
    function schedule() { if (!pending) { pending = true; requestAnimationFrame(apply); } }
    function fit() {
      var w = container.clientWidth || 800, h = container.clientHeight || 600;
      if (!ids.length) return;
      var k = Math.min(2, Math.min(w / (maxX - minX + 40), h / (maxY - minY + 40)));
      view.k = Math.max(k, 0.02);
      view.x = (w - (maxX - minX) * view.k) / 2 - minX * view.k;
      view.y = (h - (maxY - minY) * view.k) / 2 - minY * view.k;
      apply();
    }
    svg.addEventListener('wheel', function (ev) {
      ev.preventDefault();
      var r = svg.getBoundingClientRect(), cx = ev.clientX - r.left, cy = ev.clientY - r.top;
      var f = Math.exp(-ev.deltaY * 0.0015), k = Math.min(8, Math.max(0.02, view.k * f));
      view.x = cx - (cx - view.x) * (k / view.k); view.y = cy - (cy - view.y) * (k / view.k); view.k = k;
      schedule();
    }, { passive: false });
    var drag = null;
    svg.addEventListener('mousedown', function (ev) { drag = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y, moved: false }; });
    window.addEventListener('mousemove', function (ev) {
      if (!drag) return;
      var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      view.x = drag.vx + dx; view.y = drag.vy + dy; schedule();
    });
    window.addEventListener('mouseup', function () { setTimeout(function () { drag = null; }, 0); });

    // Highlight: the hovered node, everything upstream and everything downstream of it.
    var lit = [];
    function clear() { lit.forEach(function (e) { e.classList.remove('up', 'down', 'hl'); }); lit = []; svg.classList.remove('highlighting'); }
    function walk(id, adj, cls, seen) {
      var stack = [id];
      while (stack.length) {
        var cur = stack.pop(), next = adj[cur] || [];
        for (var i = 0; i < next.length; i++) if (idSet.has(next[i]) && !seen.has(next[i])) { seen.add(next[i]); stack.push(next[i]); nodeEls[next[i]].classList.add(cls); lit.push(nodeEls[next[i]]); }
      }
    }
    function highlight(id) {
      clear();
      svg.classList.add('highlighting');
      nodeEls[id].classList.add('hl'); lit.push(nodeEls[id]);
      var up = new Set([id]), down = new Set([id]);
      walk(id, opts.graph.parents, 'up', up);
      walk(id, opts.graph.children, 'down', down);
      edgeEls.forEach(function (e) {
        var f = e.getAttribute('data-from'), t = e.getAttribute('data-to');
        if ((up.has(f) && up.has(t)) || (down.has(f) && down.has(t))) { e.classList.add('hl'); lit.push(e); }
      });
    }
    nodeLayer.addEventListener('mouseover', function (ev) { var g = ev.target.closest && ev.target.closest('.gnode'); if (g) highlight(g.getAttribute('data-id')); });
    nodeLayer.addEventListener('mouseout', function (ev) { if (!ev.relatedTarget || !ev.relatedTarget.closest || !ev.relatedTarget.closest('.gnode')) { clear(); if (opts.focus && nodeEls[opts.focus]) highlight(opts.focus); } });
    nodeLayer.addEventListener('click', function (ev) {
      var g = ev.target.closest && ev.target.closest('.gnode');
      if (g && !(drag && drag.moved)) opts.onOpen(g.getAttribute('data-id'));
    });
    nodeLayer.addEventListener('keydown', function (ev) { var g = ev.target.closest && ev.target.closest('.gnode'); if (g && ev.key === 'Enter') opts.onOpen(g.getAttribute('data-id')); });
    fit();
    if (opts.focus && nodeEls[opts.focus]) highlight(opts.focus);
    return { nodeCount: ids.length, edgeCount: edges.length, fit: fit };
  }

  window.CairnGraph = { draw: draw };
})();
