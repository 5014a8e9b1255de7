/* Streamlit's own English widget texts in the page's language (views/widget_language.py).
   TABLE is {exact: {text: replacement}, patterns: [[regex, replacement]]}, or null in English mode,
   which only puts back what an earlier run replaced. Only whole texts listed in TABLE change:
   a text node's trimmed value, or a placeholder, aria-label or title attribute. */
(function (TABLE) {
  var W = window, doc = W.document;
  if (W.__qdWidgetLanguage) { W.__qdWidgetLanguage.stop(); }
  if (!TABLE) { return; }
  var ATTRS = ['placeholder', 'aria-label', 'title'];
  var patterns = TABLE.patterns.map(function (p) { return [new RegExp(p[0]), p[1]]; });
  var texts = new Map(), attrs = [];  // what was replaced, to put back
  function translate(value) {
    var key = value.trim();
    if (!key) { return null; }
    if (Object.prototype.hasOwnProperty.call(TABLE.exact, key)) { return value.replace(key, TABLE.exact[key]); }
    for (var i = 0; i < patterns.length; i++) {
      if (patterns[i][0].test(key)) { return value.replace(key, key.replace(patterns[i][0], patterns[i][1])); }
    }
    return null;
  }
  function text(node) {
    var value = translate(node.nodeValue);
    if (value === null || value === node.nodeValue) { return; }
    if (!texts.has(node)) { texts.set(node, node.nodeValue); }
    node.nodeValue = value;
  }
  function element(el) {
    ATTRS.forEach(function (name) {
      var old = el.getAttribute(name);
      var value = old && translate(old);
      if (value && value !== old) { attrs.push([el, name, old]); el.setAttribute(name, value); }
    });
  }
  function walk(root) {
    if (root.nodeType === 3) { text(root); return; }
    if (root.nodeType !== 1) { return; }
    element(root);
    var it = doc.createTreeWalker(root, 5);  // NodeFilter.SHOW_ELEMENT | SHOW_TEXT
    for (var n = it.nextNode(); n; n = it.nextNode()) { if (n.nodeType === 3) { text(n); } else { element(n); } }
  }
  var observer = new W.MutationObserver(function (records) {
    records.forEach(function (r) {
      if (r.type === 'characterData') { text(r.target); }
      else if (r.type === 'attributes') { element(r.target); }
      else { r.addedNodes.forEach(walk); }
    });
  });
  observer.observe(doc.body, {subtree: true, childList: true, characterData: true, attributes: true,
                              attributeFilter: ATTRS});
  walk(doc.body);
  W.__qdWidgetLanguage = {
    stop: function () {
      observer.disconnect();
      texts.forEach(function (value, node) { node.nodeValue = value; });
      attrs.forEach(function (a) { a[0].setAttribute(a[1], a[2]); });
    }
  };
})(__DATA__);
