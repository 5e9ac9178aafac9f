// Makes a big left-to-right lineage layout legible at a glance. dagre puts every node of a rank in one
// column, so a project with 200 staging models becomes a column thousands of pixels tall and a few
// ranks wide: fitted to the screen, an unreadable sliver. This splits tall ranks into several
// side-by-side columns (keeping dagre's top-to-bottom order) so the whole drawing is near `aspect`.
// One file for both sides: the generator (core/docs/layout.ts, through require) and the browser
// (filtered subgraphs laid out on the page) run the same code.
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.CairnWrapRanks = factory();
})(this, function () {
  'use strict';
  var ROW = 38, COL_GAP = 24, RANK_GAP = 70, MARGIN = 20;

  /** pos: id → [x, y, width]; returns a new map (or `pos` itself when it is already legible). */
  function wrapRanks(pos, aspect) {
    aspect = aspect || 1.6;
    var ids = Object.keys(pos);
    if (ids.length < 60) return pos;
    var byX = {};
    ids.forEach(function (id) { var k = Math.round(pos[id][0]); (byX[k] = byX[k] || []).push(id); });
    var ranks = Object.keys(byX).map(Number).sort(function (a, b) { return a - b; }).map(function (x) {
      var members = byX[x].sort(function (a, b) { return pos[a][1] - pos[b][1]; });
      return { ids: members, width: Math.max.apply(null, members.map(function (id) { return pos[id][2]; })) };
    });
    var tallest = Math.max.apply(null, ranks.map(function (r) { return r.ids.length; }));
    var widthAt = function (perCol) {
      return ranks.reduce(function (w, r) { var cols = Math.ceil(r.ids.length / perCol); return w + cols * r.width + (cols - 1) * COL_GAP; }, 0) + RANK_GAP * (ranks.length - 1);
    };
    // Already wide enough: leave dagre's layout (and its edge crossings work) alone.
    var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    ids.forEach(function (id) { var p = pos[id]; minX = Math.min(minX, p[0] - p[2] / 2); maxX = Math.max(maxX, p[0] + p[2] / 2); minY = Math.min(minY, p[1]); maxY = Math.max(maxY, p[1] + ROW); });
    if ((maxX - minX) / (maxY - minY) >= aspect / 2) return pos;
    var best = tallest, bestErr = Infinity;
    for (var perCol = 4; perCol <= tallest; perCol = Math.max(perCol + 1, Math.ceil(perCol * 1.15))) {
      var err = Math.abs(Math.log(widthAt(perCol) / (perCol * ROW) / aspect));
      if (err < bestErr) { bestErr = err; best = perCol; }
    }
    var out = {}, x = MARGIN;
    ranks.forEach(function (r) {
      var cols = Math.ceil(r.ids.length / best), per = Math.ceil(r.ids.length / cols);
      r.ids.forEach(function (id, i) {
        var c = Math.floor(i / per), row = i % per;
        out[id] = [x + c * (r.width + COL_GAP) + r.width / 2, MARGIN + row * ROW + ROW / 2, pos[id][2]];
      });
      x += cols * r.width + (cols - 1) * COL_GAP + RANK_GAP;
    });
    return out;
  }
  return { wrapRanks: wrapRanks };
});
