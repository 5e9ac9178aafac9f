// Descriptions are Markdown, rendered by markdown-it (tables, blockquotes, code blocks, lists) with
// raw HTML off: nothing a user writes becomes markup other than what Markdown itself produces.
// markdown-it's own link check already refuses javascript:, vbscript:, file: and data: URLs.
(function () {
  'use strict';
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; });
  }
  var mdit = window.markdownit({ html: false, linkify: true, typographer: false });
  // Links open in a new tab without handing it this page.
  var open = mdit.renderer.rules.link_open || function (tokens, i, options, _env, self) { return self.renderToken(tokens, i, options); };
  mdit.renderer.rules.link_open = function (tokens, i, options, env, self) {
    tokens[i].attrSet('target', '_blank');
    tokens[i].attrSet('rel', 'noopener noreferrer');
    return open(tokens, i, options, env, self);
  };
  function render(text) { return mdit.render(String(text || '')); }
  window.CairnMarkdown = { render: render, escape: esc };
})();
