/* Maps fill the window (views/layout.py): every map iframe gets the height from its top to the
   window's bottom, or the whole window when it starts further down the page (it fills the window
   once scrolled to), and the Leaflet map inside follows. Runs again when the window is resized or
   Streamlit redraws (which resets the iframe heights). */
(function (OPTS) {
  var W = window, doc = W.document;
  if (W.__qdFitMaps) { W.__qdFitMaps.disconnect(); }
  function leafletMaps(win) {
    var out = [];
    try { Object.keys(win).forEach(function (k) {
      var v = win[k]; if (k.indexOf('map_') === 0 && v && v.invalidateSize) { out.push(v); }
    }); } catch (e) { /* not a same-origin frame */ }
    return out;
  }
  function pageTop(el) {  // from the top of the page, whatever is scrolled (Streamlit scrolls a div, not the window)
    var y = 0;
    for (var e = el; e; e = e.offsetParent) { y += e.offsetTop; }
    return y;
  }
  function fit() {
    doc.querySelectorAll(OPTS.selector).forEach(function (frame) {
      var top = pageTop(frame);
      var below = W.innerHeight - top - OPTS.margin;
      var h = Math.round(Math.max(OPTS.min, below >= OPTS.share * W.innerHeight ? below : W.innerHeight - 2 * OPTS.margin));
      if (frame.style.height !== h + 'px') { frame.style.height = h + 'px'; frame.setAttribute('height', String(h)); }
      // Streamlit sizes the frame's container from the height the page asked for: without this, what
      // follows the map (a firm's panel) was drawn over a map taller than asked, or left a gap.
      var holder = frame.closest('[data-testid="stElementContainer"]');
      if (holder && holder.style.height !== h + 'px') { holder.style.height = h + 'px'; }
      var inner;
      try { inner = frame.contentDocument; } catch (e) { inner = null; }
      if (!inner) { return; }
      var box = inner.querySelector('#map_div') || inner.querySelector('.folium-map');
      if (box && box.style.height !== h + 'px') {
        box.style.height = h + 'px';
        leafletMaps(frame.contentWindow).forEach(function (m) { m.invalidateSize(); });
      }
    });
  }
  var pending = false;
  function later() { if (!pending) { pending = true; W.requestAnimationFrame(function () { pending = false; fit(); }); } }
  var observer = new W.MutationObserver(later);
  observer.observe(doc.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['height', 'style']});
  W.addEventListener('resize', later);
  doc.addEventListener('load', later, true);  // an iframe finished loading
  W.__qdFitMaps = observer;
  later();
})(__DATA__);
