/* Streamlit's own English widget texts in the page's language (views/widget_language.py).
   TABLE is {exact: {text: replacement}, patterns: [[regex, replacement]]}, or null in English mode,
   which only puts back what an earlier run replaced. Only whole texts listed in TABLE change:
   a text node's trimmed value, or a placeholder, aria-label or title attribute. */
(function (TABLE) {
  var W = window, doc = W.document;
  if (W.__qdWidgetLanguage) { W.__qdWidgetLanguage.stop(); W.__qdWidgetLanguage = null; }
  if (!TABLE) { return; }
  var ATTRS = ['placeholder', 'aria-label', 'title'];
  var patterns = TABLE.patterns.map(function (p) { return [new RegExp(p[0]), p[1]]; });
  // What was replaced, to put back: text node → [English, shown], element → {attribute: [English,
  // shown]}. One entry per node however often Streamlit rewrites it, forgotten when Streamlit writes
  // a value that is not replaced (or removes the attribute), and put back only where the node still
  // shows our text. Entries of nodes no longer in the page are dropped once the maps have doubled
  // since the last sweep.
  var texts = new Map(), attrs = new Map(), sweepAt = 512;
  function sweep() {
    if (texts.size + attrs.size < sweepAt) { return; }
    texts.forEach(function (value, node) { if (!node.isConnected) { texts.delete(node); } });
    attrs.forEach(function (saved, el) { if (!el.isConnected) { attrs.delete(el); } });
    sweepAt = Math.max(512, 2 * (texts.size + attrs.size));
  }
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
    if (value === null || value === node.nodeValue) {
      var kept = texts.get(node);
      if (kept && kept[1] !== node.nodeValue) { texts.delete(node); }  // Streamlit wrote something else
      return;
    }
    texts.set(node, [node.nodeValue, value]);
    node.nodeValue = value;
  }
  function element(el) {
    ATTRS.forEach(function (name) {
      var old = el.getAttribute(name), saved = attrs.get(el);
      var value = old && translate(old);
      if (value && value !== old) {
        if (!saved) { saved = {}; attrs.set(el, saved); }
        saved[name] = [old, value];
        el.setAttribute(name, value);
      } else if (saved && saved[name] && saved[name][1] !== old) {
        delete saved[name];  // Streamlit wrote another value or removed the attribute
        if (!Object.keys(saved).length) { attrs.delete(el); }
      }
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
    sweep();
  });
  observer.observe(doc.body, {subtree: true, childList: true, characterData: true, attributes: true,
                              attributeFilter: ATTRS});
  walk(doc.body);
  W.__qdWidgetLanguage = {
    stop: function () {
      observer.disconnect();
      texts.forEach(function (kept, node) { if (node.nodeValue === kept[1]) { node.nodeValue = kept[0]; } });
      attrs.forEach(function (saved, el) {
        Object.keys(saved).forEach(function (name) {
          if (el.getAttribute(name) === saved[name][1]) { el.setAttribute(name, saved[name][0]); }
        });
      });
      texts.clear();
      attrs.clear();
    },
    remembered: function () { return texts.size + attrs.size; }
  };
})(__DATA__);
