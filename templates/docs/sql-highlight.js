// SQL (and the Jinja inside it) coloured for reading. Hand-written rather than a highlighting library:
// the site ships offline under a strict CSP, and SQL needs only five token kinds. Every token is
// escaped before it is wrapped, so the output is safe to put in innerHTML.
(function () {
  'use strict';
  var esc = window.CairnMarkdown.escape;
  var KEYWORDS = ('select from where group by order having limit offset join left right full inner outer cross on using as and or not ' +
    'in is null like ilike between case when then else end with union all distinct except intersect over partition rows range ' +
    'insert into values update set delete merge matched create replace table view drop alter if exists cast qualify asc desc true false interval').split(' ');
  var KW = new Set(KEYWORDS);
  var TOKEN = /(\{#[\s\S]*?#\}|\{%-?[\s\S]*?-?%\}|\{\{-?[\s\S]*?-?\}\})|(--[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^']|'')*'?)|("(?:[^"]|"")*"?)|(\b\d+(?:\.\d+)?\b)|([A-Za-z_][A-Za-z0-9_]*)/g;
  function highlight(sql) {
    var out = '', last = 0, m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(sql))) {
      out += esc(sql.slice(last, m.index));
      var cls = m[1] ? 'jinja' : m[2] ? 'comment' : m[3] ? 'string' : m[4] ? 'ident' : m[5] ? 'number' : KW.has(m[6].toLowerCase()) ? 'keyword' : null;
      out += cls ? '<span class="sql-' + cls + '">' + esc(m[0]) + '</span>' : esc(m[0]);
      last = TOKEN.lastIndex;
    }
    return out + esc(sql.slice(last));
  }
  window.CairnSql = { highlight: highlight };
})();
