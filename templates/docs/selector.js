// The CLI's node selection syntax, evaluated in the browser (subset of core/graph/selection.ts):
// space = union, comma = intersection, `[N+][@]method:value[+N]`; methods fqn (default), tag,
// path, resource_type, source, package, config.<key>.
(function () {
  'use strict';
  var CRITERION = /^(@)?(?:(\d*)\+)?([^+@]+?)(?:\+(\d*))?$/;

  function globRe(glob) {
    var s = String(glob).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    return new RegExp('^' + s + '$', 'i');
  }
  function normPath(p) { return String(p).replace(/^\.\//, '').replace(/\/+$/, ''); }

  function fqnMatch(value, node) {
    var parts = value.split('.');
    if (parts.length === 1 && globRe(value).test(node.name)) return true;
    var fqn = node.fqn || [];
    function prefix(f) {
      if (parts.length > f.length) return false;
      for (var i = 0; i < parts.length; i++) if (!globRe(parts[i]).test(f[i])) return false;
      return true;
    }
    return prefix(fqn) || prefix(fqn.slice(1));
  }

  var METHODS = {
    fqn: fqnMatch,
    tag: function (v, n) { var re = globRe(v); return (n.tags || []).some(function (t) { return re.test(t); }); },
    path: function (v, n) { var want = normPath(v); var p = normPath(n.path); return p === want || p.indexOf(want + '/') === 0 || globRe(want).test(p); },
    file: function (v, n) { return n.path.split('/').pop() === v; },
    resource_type: function (v, n) { return n.type === v || (v === 'data_test' && n.type === 'test'); },
    package: function (v, n) { return (n.fqn || [])[0] === v; },
    source: function (v, n) {
      if (n.type !== 'source') return false;
      var p = v.split('.');
      return globRe(p[0] || '*').test(n.sourceName || '') && globRe(p[1] || '*').test(n.name);
    },
  };

  function reach(start, adj, depth, out) {
    var frontier = [start];
    for (var d = 0; d < depth && frontier.length; d++) {
      var next = [];
      for (var i = 0; i < frontier.length; i++) {
        var ns = adj[frontier[i]] || [];
        for (var j = 0; j < ns.length; j++) if (!out.has(ns[j])) { out.add(ns[j]); next.push(ns[j]); }
      }
      frontier = next;
    }
  }

  function criterion(crit, g) {
    var m = CRITERION.exec(crit);
    if (!m) throw new Error('invalid selector `' + crit + '` (forms: name, +name, name+, 2+name, @name, tag:x, path:models/x)');
    var body = m[3], method = 'fqn', value = body, colon = body.indexOf(':');
    if (colon >= 0) { method = body.slice(0, colon); value = body.slice(colon + 1); }
    else if (body.indexOf('/') >= 0 || /\.sql$/.test(body)) method = 'path';
    var fn = METHODS[method];
    if (!fn && method.indexOf('config.') === 0) {
      var key = method.slice(7);
      fn = function (v, n) { var c = (n.config || {})[key]; return Array.isArray(c) ? c.map(String).indexOf(v) >= 0 : c !== undefined && c !== null && String(c) === v; };
    }
    if (!fn) throw new Error('unknown selector method `' + method + '` in `' + crit + '`');
    if (value === '') throw new Error('selector `' + crit + '` has no value after `' + method + ':`');
    var base = g.nodes.filter(function (n) { return fn(value, n); }).map(function (n) { return n.id; });
    var out = new Set(base);
    var depth = function (s) { return s === undefined ? 0 : s === '' ? Infinity : Number(s); };
    var up = m[2] !== undefined ? depth(m[2]) : 0, down = m[4] !== undefined ? depth(m[4]) : 0;
    base.forEach(function (id) {
      if (up) reach(id, g.parents, up, out);
      if (down || m[1]) reach(id, g.children, m[1] ? Infinity : down, out);
    });
    if (m[1]) Array.from(out).forEach(function (id) { reach(id, g.parents, Infinity, out); });
    return out;
  }

  function union(text, g) {
    var out = new Set();
    String(text).split(/\s+/).filter(Boolean).forEach(function (tok) {
      var acc = null;
      tok.split(',').filter(Boolean).forEach(function (part) {
        var s = criterion(part, g);
        acc = acc === null ? s : new Set(Array.from(acc).filter(function (x) { return s.has(x); }));
      });
      (acc || new Set()).forEach(function (x) { out.add(x); });
    });
    return out;
  }

  /** g = { nodes: [{id, name, fqn, path, type, tags, config, sourceName}], parents: {id: [ids]}, children: {id: [ids]} } */
  function select(g, selectText, excludeText) {
    var selected = String(selectText || '').trim() ? union(selectText, g) : new Set(g.nodes.map(function (n) { return n.id; }));
    if (String(excludeText || '').trim()) union(excludeText, g).forEach(function (x) { selected.delete(x); });
    return selected;
  }

  window.CairnSelector = { select: select };
})();
