// A small Markdown subset for descriptions. Safety first: the text is HTML-escaped before any
// formatting is applied, so nothing a user writes can become markup other than what we emit here.
(function () {
  'use strict';
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; });
  }
  // Only these link targets: no javascript:, data: or other schemes.
  var SAFE_URL = /^(https?:\/\/|mailto:|#|\/|\.\.?\/)/i;

  function inline(escaped) {
    var codes = [];
    var s = escaped.replace(/`([^`]+)`/g, function (_m, c) { codes.push(c); return '\u0000' + (codes.length - 1) + '\u0000'; });
    s = s.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, function (m, text, url) {
      // url is already escaped; decode &#38; only to test the scheme.
      var raw = url.replace(/&#38;/g, '&');
      return SAFE_URL.test(raw) ? '<a href="' + url + '" rel="noopener noreferrer" target="_blank">' + text + '</a>' : m;
    });
    s = s.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>').replace(/(^|[^\w*])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>').replace(/(^|\W)_([^_\s][^_]*)_(?=\W|$)/g, '$1<em>$2</em>');
    return s.replace(/\u0000(\d+)\u0000/g, function (_m, i) { return '<code>' + codes[Number(i)] + '</code>'; });
  }

  function render(text) {
    var lines = String(text || '').replace(/\r\n?/g, '\n').split('\n');
    var out = [];
    var para = [];
    var list = null;
    function flushPara() { if (para.length) { out.push('<p>' + inline(esc(para.join(' '))) + '</p>'); para = []; } }
    function flushList() { if (list) { out.push('<' + list.tag + '>' + list.items.map(function (i) { return '<li>' + inline(esc(i)) + '</li>'; }).join('') + '</' + list.tag + '>'); list = null; } }
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i];
      if (/^\s*```/.test(line)) {
        flushPara(); flushList();
        var code = [];
        for (i++; i < lines.length && !/^\s*```/.test(lines[i]); i++) code.push(lines[i]);
        out.push('<pre><code>' + esc(code.join('\n')) + '</code></pre>');
        continue;
      }
      var h = /^(#{1,6})\s+(.*)$/.exec(line);
      if (h) { flushPara(); flushList(); var lvl = Math.min(6, h[1].length + 2); out.push('<h' + lvl + '>' + inline(esc(h[2])) + '</h' + lvl + '>'); continue; }
      var li = /^\s*([-*+]|\d+\.)\s+(.*)$/.exec(line);
      if (li) {
        flushPara();
        var tag = /\d/.test(li[1]) ? 'ol' : 'ul';
        if (!list || list.tag !== tag) { flushList(); list = { tag: tag, items: [] }; }
        list.items.push(li[2]);
        continue;
      }
      if (!line.trim()) { flushPara(); flushList(); continue; }
      if (list) { list.items[list.items.length - 1] += ' ' + line.trim(); continue; }
      para.push(line.trim());
    }
    flushPara(); flushList();
    return out.join('\n');
  }
  window.CairnMarkdown = { render: render, escape: esc };
})();
