/* Qingdao planner: many points on one canvas (own code, no external assets).
 *
 * Tens of thousands of enterprises as Leaflet markers (or GeoJSON features) cost seconds to
 * create and megabytes to send. Here coordinates arrive as base64 Int32 pairs (degrees × 1e5,
 * delta-coded) and categories as one byte per point, decoded at once so that the points are drawn
 * as soon as the layer is added; the popup texts (labels and columns) arrive zlib-compressed and
 * are inflated after the first draw, or on the first click. Positions are projected to Web
 * Mercator once, so a redraw is a multiply-add and one pre-computed dot stamped into a pixel
 * buffer per point; a click finds the nearest point within a few pixels.
 */
(function () {
  "use strict";
  if (window.QDCanvasPoints) { return; }

  function decodeUint8(b64) {
    var bin = atob(b64), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out;
  }
  function decodeInt32(b64) { return new Int32Array(decodeUint8(b64).buffer); }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  // The popup texts may arrive zlib-compressed and base64-coded ({packed: "..."}); the browser's own
  // DecompressionStream inflates them (Chrome/Edge ≥ 80, Firefox ≥ 113, Safari ≥ 16.4).
  function unpack(opts) {
    if (!opts.packed) { return Promise.resolve(opts); }
    if (typeof DecompressionStream === "undefined") {
      return Promise.reject(new Error("DecompressionStream unsupported"));
    }
    var stream = new Blob([decodeUint8(opts.packed)]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).text().then(JSON.parse);
  }

  var CanvasPoints = L.Layer.extend({
    initialize: function (opts) {
      var xy = decodeInt32(opts.xy), n = xy.length / 2, lon = 0, lat = 0;
      this._lat = new Float64Array(n); this._lon = new Float64Array(n);
      this._u = new Float64Array(n); this._v = new Float64Array(n);  // Web Mercator, 0–1 across the world
      var D = Math.PI / 180, MAX = 85.0511287798;
      for (var i = 0; i < n; i++) {  // delta decoding
        lon += xy[2 * i]; lat += xy[2 * i + 1];
        var la = lat / 1e5, lo = lon / 1e5;
        this._lon[i] = lo; this._lat[i] = la;
        var s = Math.sin(Math.max(-MAX, Math.min(MAX, la)) * D);
        this._u[i] = lo / 360 + 0.5;
        this._v[i] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
      }
      this._cat = decodeUint8(opts.cat);
      this._colours = opts.colours;
      this._radius = opts.radius || 3;
      this.n = n;
      // Points grouped by category (a counting sort), so that each colour's dot is chosen once.
      var counts = new Uint32Array(this._colours.length + 1);
      for (i = 0; i < n; i++) { counts[this._cat[i] + 1]++; }
      for (var c = 1; c < counts.length; c++) { counts[c] += counts[c - 1]; }
      this._starts = counts.slice();
      this._order = new Uint32Array(n);
      for (i = 0; i < n; i++) { this._order[counts[this._cat[i]]++] = i; }
      this._infoOpts = opts.info || {};
      this._infoReady = null;
      this._stamps = {};
    },
    // The popup texts, inflated once (a promise).
    _info: function () {
      var self = this;
      if (!this._infoReady) {
        this._infoReady = unpack(this._infoOpts).then(function (o) {
          self._labels = o.labels || []; self._columns = o.columns || [];
          self._values = o.values || []; self._title = o.title || "";
          self._keys = o.keys || []; self._selectInto = o.select_into || ""; self._selectLabel = o.select_label || "";
          self._infoOpts = null;
        });
      }
      return this._infoReady;
    },
    onAdd: function (map) {
      this._map = map;
      var canvas = this._canvas = L.DomUtil.create("canvas", "qd-points leaflet-zoom-animated");
      canvas.style.pointerEvents = "none";  // polygons below keep their tooltips; clicks reach the map
      canvas.style.zIndex = "300";  // above the pane's SVG polygons (Leaflet: canvas 100, svg 200), which hid the dots
      canvas.setAttribute("data-points", String(this.n));
      (window.qdPointLayers = window.qdPointLayers || []).push(this);  // for tests and the console
      map.getPanes().overlayPane.appendChild(canvas);
      map.on("moveend zoomend resize viewreset", this._redraw, this);
      map.on({preclick: this._preclick, click: this._click, popupopen: this._popupopen}, this);
      map.on("zoomanim", this._animate, this);
      this._redraw();
      var self = this;
      setTimeout(function () { self._info(); }, 50);  // after the first paint: popups ready before a click
    },
    onRemove: function (map) {
      L.DomUtil.remove(this._canvas);
      window.qdPointLayers.splice(window.qdPointLayers.indexOf(this), 1);
      map.off("moveend zoomend resize viewreset", this._redraw, this);
      map.off({preclick: this._preclick, click: this._click, popupopen: this._popupopen}, this);
      map.off("zoomanim", this._animate, this);
    },
    _animate: function (e) {
      var scale = this._map.getZoomScale(e.zoom), offset = this._map._latLngBoundsToNewLayerBounds(
        this._map.getBounds(), e.zoom, e.center).min;
      L.DomUtil.setTransform(this._canvas, offset, scale);
    },
    // One dot per colour and size as a stamp: pixel offsets, colour and coverage (device pixels),
    // with a thin dark rim so that dots stay visible on any base map.
    _stamp: function (c, r) {
      var key = c + ":" + r, stamp = this._stamps[key];
      if (stamp) { return stamp; }
      var hex = parseInt(this._colours[c].slice(1), 16), rgb = [(hex >> 16) & 255, (hex >> 8) & 255, hex & 255];
      var R = Math.ceil(r + 1), dx = [], dy = [], px = [];
      for (var y = -R; y <= R; y++) {
        for (var x = -R; x <= R; x++) {
          var d = Math.sqrt(x * x + y * y), alpha = Math.max(0, Math.min(1, r + 0.5 - d));
          if (alpha <= 0) { continue; }
          var rim = 1 - 0.4 * Math.max(0, Math.min(1, 1 - Math.abs(d - (r - 0.5)) / 0.8));
          dx.push(x); dy.push(y);
          px.push(rgb[0] * rim, rgb[1] * rim, rgb[2] * rim, Math.round(alpha * 255));
        }
      }
      // The same pixels as 32-bit words (the buffer's own rounding), for the copy of a dot that lies
      // wholly inside the canvas; a word per pixel instead of four bytes.
      var colour = Float32Array.from(px), bytes = new Uint8ClampedArray(colour), opaque = new Uint8Array(dx.length);
      for (var j = 0; j < dx.length; j++) { opaque[j] = px[4 * j + 3] === 255 ? 1 : 0; }
      stamp = this._stamps[key] = {dx: Int32Array.from(dx), dy: Int32Array.from(dy), px: colour, R: R,
                                   words: new Uint32Array(bytes.buffer), opaque: opaque, offW: -1, off: null};
      return stamp;
    },
    // The dots are written into one pixel buffer (50 000 canvas arcs took ≈ 0.25 s to fill without a
    // GPU; the buffer ≈ 0.02 s); edge pixels are blended over what is already there.
    _redraw: function () {
      var map = this._map, size = map.getSize(), ratio = window.devicePixelRatio || 1;
      var canvas = this._canvas;
      L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
      canvas.style.transform = canvas.style.transform.replace(/scale\([^)]*\)/, "");
      var W = Math.round(size.x * ratio), H = Math.round(size.y * ratio);
      canvas.width = W; canvas.height = H;
      canvas.style.width = size.x + "px"; canvas.style.height = size.y + "px";
      var ctx = canvas.getContext("2d");
      if (!W || !H) { return; }
      var zoom = map.getZoom(), r = (this._radius + Math.max(0, zoom - 11) * 0.6) * ratio;
      // Device pixel = projected pixel − the projected pixel of the map's top-left corner, × ratio.
      var scale = map.options.crs.scale(zoom), topLeft = map.getPixelBounds().min;
      var S = scale * ratio, x0 = topLeft.x * ratio, y0 = topLeft.y * ratio;
      var image = ctx.createImageData(W, H), buf = image.data, buf32 = new Uint32Array(buf.buffer);
      var drawn = 0, u = this._u, v = this._v, order = this._order;
      for (var c = 0; c < this._colours.length; c++) {
        var st = this._stamp(c, r), R = st.R, m = st.dx.length, sdx = st.dx, sdy = st.dy, spx = st.px;
        if (st.offW !== W) {  // pixel offsets from the dot's centre in this canvas's rows
          st.off = new Int32Array(m);
          for (var q = 0; q < m; q++) { st.off[q] = sdy[q] * W + sdx[q]; }
          st.offW = W;
        }
        var off = st.off, words = st.words, opaque = st.opaque;
        for (var k = this._starts[c]; k < this._starts[c + 1]; k++) {
          var i = order[k], x = Math.round(u[i] * S - x0), y = Math.round(v[i] * S - y0);
          if (x < -R || y < -R || x >= W + R || y >= H + R) { continue; }
          drawn++;
          if (x >= R && y >= R && x < W - R && y < H - R) {  // wholly inside: no bounds to check
            var centre = y * W + x;
            for (var p = 0; p < m; p++) {
              var at = centre + off[p];
              if (opaque[p] === 1 || buf32[at] === 0) { buf32[at] = words[p]; continue; }  // nothing below
              var ob = at * 4, as0 = spx[4 * p + 3] / 255, ad0 = buf[ob + 3] / 255 * (1 - as0), ao0 = as0 + ad0;
              buf[ob] = (spx[4 * p] * as0 + buf[ob] * ad0) / ao0;
              buf[ob + 1] = (spx[4 * p + 1] * as0 + buf[ob + 1] * ad0) / ao0;
              buf[ob + 2] = (spx[4 * p + 2] * as0 + buf[ob + 2] * ad0) / ao0;
              buf[ob + 3] = ao0 * 255;
            }
            continue;
          }
          for (var j = 0; j < m; j++) {
            var X = x + sdx[j], Y = y + sdy[j];
            if (X < 0 || Y < 0 || X >= W || Y >= H) { continue; }
            var o = (Y * W + X) * 4, a = spx[4 * j + 3], b = buf[o + 3];
            if (a === 255 || b === 0) {
              buf[o] = spx[4 * j]; buf[o + 1] = spx[4 * j + 1]; buf[o + 2] = spx[4 * j + 2]; buf[o + 3] = a;
            } else {  // source over destination, straight alpha
              var as = a / 255, ad = b / 255 * (1 - as), ao = as + ad;
              buf[o] = (spx[4 * j] * as + buf[o] * ad) / ao;
              buf[o + 1] = (spx[4 * j + 1] * as + buf[o + 1] * ad) / ao;
              buf[o + 2] = (spx[4 * j + 2] * as + buf[o + 2] * ad) / ao;
              buf[o + 3] = ao * 255;
            }
          }
        }
      }
      ctx.putImageData(image, 0, 0);
      canvas.setAttribute("data-drawn", String(drawn));
      if (this.n && !window.qdPointsPainted) { window.qdPointsPainted = performance.now(); }
    },
    // A click near a firm shows the firm, even over a polygon whose own popup stops the map's
    // click: "preclick" finds the firm, then either the map's click or the polygon's popupopen
    // opens the firm's popup (which replaces the polygon's).
    _preclick: function (e) { this._hit = this._nearest(e.latlng); },
    _click: function () {
      if (this._hit >= 0) { this._open(this._hit); }
      this._hit = -1;
    },
    _popupopen: function (e) {
      if (this._hit >= 0 && e.popup !== this._popup) {
        var hit = this._hit;
        this._hit = -1;
        this._open(hit);
      }
    },
    _nearest: function (latlng) {
      var map = this._map, zoom = map.getZoom(), scale = map.options.crs.scale(zoom);
      var target = map.project(latlng, zoom);
      var best = -1, bestD = 64;  // 8 px
      for (var i = 0; i < this.n; i++) {
        var dx = this._u[i] * scale - target.x, dy = this._v[i] * scale - target.y, d = dx * dx + dy * dy;
        if (d < bestD) { bestD = d; best = i; }
      }
      return best;
    },
    // The page's search box (same origin: the map is the page's own srcdoc frame), found by its label.
    _searchField: function () {
      try {
        var doc = window.parent.document;
        return doc.querySelector('input[aria-label="' + this._selectInto.replace(/"/g, '\\"') + '"]');
      } catch (e) { return null; }
    },
    // "Select in table": the firm's key typed into the page's search box, which selects it there.
    _select: function (key) {
      var field = this._searchField();
      if (!field) { return; }
      var setter = Object.getOwnPropertyDescriptor(window.parent.HTMLInputElement.prototype, "value").set;
      field.focus();
      setter.call(field, key);
      field.dispatchEvent(new window.parent.Event("input", {bubbles: true}));
      field.dispatchEvent(new window.parent.KeyboardEvent("keydown", {key: "Enter", code: "Enter", keyCode: 13,
                                                                      bubbles: true}));
      field.blur();
    },
    _open: function (best) {
      var self = this, map = this._map;
      this._info().then(function () {
        var rows = "";
        for (var k = 0; k < self._columns.length; k++) {
          var col = self._values[k];
          var v = Array.isArray(col) ? col[best] : (col.codes[best] < 0 ? null : col.dict[col.codes[best]]);
          rows += "<tr><th>" + esc(self._columns[k]) + "</th><td>" + esc(v === null ? "—" : v) + "</td></tr>";
        }
        var key = self._keys.length ? self._keys[best] : self._labels[best];  // the label when no keys were sent
        var field = key && self._selectInto ? self._searchField() : null;
        var html = '<div class="qd-pop"><h4>' + esc(self._labels[best] || "") + "</h4><table>" + rows +
          "</table>" + (field ? '<button type="button" class="qd-select">' + esc(self._selectLabel) + "</button>" : "") +
          (self._title ? '<p class="qd-q">' + esc(self._title) + "</p>" : "") + "</div>";
        self._popup = L.popup({maxWidth: 380}).setLatLng([self._lat[best], self._lon[best]]).setContent(html);
        self._popup.openOn(map);
        var button = self._popup.getElement() && self._popup.getElement().querySelector(".qd-select");
        if (button) { L.DomEvent.on(button, "click", function () { self._select(key); }); }
      }, function (err) {
        L.popup().setLatLng([self._lat[best], self._lon[best]]).setContent(esc(
          "浏览器版本过旧，无法显示企业信息（需 Chrome/Edge 80 以上）/ browser too old to show the firm: " + err.message
        )).openOn(map);
      });
    }
  });

  window.QDCanvasPoints = {
    create: function (opts) { return new CanvasPoints(opts); }
  };
})();
