/* Qingdao planner: many points on one canvas (own code, no external assets).
 *
 * Tens of thousands of enterprises as Leaflet markers (or GeoJSON features) cost seconds to
 * create and megabytes to send. Here coordinates arrive as base64 Int32 pairs (degrees × 1e5,
 * delta-coded), categories as one byte per point, and labels as a column of strings, the whole
 * set zlib-compressed (names and numbers shrink about 4×); one canvas is redrawn on every view
 * change, and a click finds the nearest point within a few pixels.
 */
(function () {
  "use strict";
  if (window.QDCanvasPoints) { return; }

  function decodeInt32(b64) {
    var bin = atob(b64), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
    return new Int32Array(bytes.buffer);
  }
  function decodeUint8(b64) {
    var bin = atob(b64), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out;
  }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  // The options may arrive zlib-compressed and base64-coded ({packed: "..."}); the browser's own
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
      this.n = 0;
      this._cat = new Uint8Array(0);
      this._colours = [];
      var self = this;
      this._ready = unpack(opts).then(function (o) { self._load(o); }, function (err) {
        self._failed = "浏览器版本过旧，无法显示企业点（需 Chrome/Edge 80 以上）/ browser too old to show the points: " + err.message;
      });
    },
    _load: function (opts) {
      var xy = decodeInt32(opts.xy), n = xy.length / 2, lon = 0, lat = 0;
      this._lat = new Float64Array(n); this._lon = new Float64Array(n);
      for (var i = 0; i < n; i++) {  // delta decoding
        lon += xy[2 * i]; lat += xy[2 * i + 1];
        this._lon[i] = lon / 1e5; this._lat[i] = lat / 1e5;
      }
      this._cat = decodeUint8(opts.cat);
      this._colours = opts.colours;
      this._labels = opts.labels || [];
      this._columns = opts.columns || [];
      this._values = opts.values || [];
      this._title = opts.title || "";
      this._radius = opts.radius || 3;
      this.n = n;
    },
    onAdd: function (map) {
      this._map = map;
      var canvas = this._canvas = L.DomUtil.create("canvas", "qd-points leaflet-zoom-animated");
      canvas.style.pointerEvents = "none";  // polygons below keep their tooltips; clicks reach the map
      (window.qdPointLayers = window.qdPointLayers || []).push(this);  // for tests and the console
      map.getPanes().overlayPane.appendChild(canvas);
      map.on("moveend zoomend resize viewreset", this._redraw, this);
      map.on({preclick: this._preclick, click: this._click, popupopen: this._popupopen}, this);
      map.on("zoomanim", this._animate, this);
      var self = this;
      this._ready.then(function () {
        if (self._failed) {
          L.popup().setLatLng(map.getCenter()).setContent(esc(self._failed)).openOn(map);
          return;
        }
        canvas.setAttribute("data-points", String(self.n));
        if (self._map) { self._redraw(); }
      });
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
    _redraw: function () {
      var map = this._map, size = map.getSize(), ratio = window.devicePixelRatio || 1;
      var topLeft = map.containerPointToLayerPoint([0, 0]);
      var canvas = this._canvas;
      L.DomUtil.setPosition(canvas, topLeft);
      canvas.style.transform = canvas.style.transform.replace(/scale\([^)]*\)/, "");
      canvas.width = size.x * ratio; canvas.height = size.y * ratio;
      canvas.style.width = size.x + "px"; canvas.style.height = size.y + "px";
      var ctx = canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      var b = map.getBounds().pad(0.05), r = this._radius + Math.max(0, map.getZoom() - 11) * 0.6;
      var zero = map.latLngToContainerPoint([0, 0]), drawn = 0;
      // Group by category so fillStyle changes once per colour.
      for (var c = 0; c < this._colours.length; c++) {
        ctx.beginPath();
        ctx.fillStyle = this._colours[c];
        for (var i = 0; i < this.n; i++) {
          if (this._cat[i] !== c) { continue; }
          var la = this._lat[i], lo = this._lon[i];
          if (la < b.getSouth() || la > b.getNorth() || lo < b.getWest() || lo > b.getEast()) { continue; }
          var p = map.latLngToContainerPoint([la, lo]);
          ctx.moveTo(p.x + r, p.y);
          ctx.arc(p.x, p.y, r, 0, 6.2832);
          drawn++;
        }
        ctx.fill();
      }
      ctx.lineWidth = 0.4; ctx.strokeStyle = "rgba(0,0,0,0.35)";
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
      var map = this._map, target = map.latLngToContainerPoint(latlng);
      var best = -1, bestD = 64;  // 8 px
      for (var i = 0; i < this.n; i++) {
        var p = map.latLngToContainerPoint([this._lat[i], this._lon[i]]);
        var d = (p.x - target.x) * (p.x - target.x) + (p.y - target.y) * (p.y - target.y);
        if (d < bestD) { bestD = d; best = i; }
      }
      return best;
    },
    _open: function (best) {
      var rows = "";
      for (var k = 0; k < this._columns.length; k++) {
        var col = this._values[k];
        var v = Array.isArray(col) ? col[best] : (col.codes[best] < 0 ? null : col.dict[col.codes[best]]);
        rows += "<tr><th>" + esc(this._columns[k]) + "</th><td>" + esc(v === null ? "—" : v) + "</td></tr>";
      }
      var html = '<div class="qd-pop"><h4>' + esc(this._labels[best] || "") + "</h4><table>" + rows +
        "</table>" + (this._title ? '<p class="qd-q">' + esc(this._title) + "</p>" : "") + "</div>";
      this._popup = L.popup({maxWidth: 380}).setLatLng([this._lat[best], this._lon[best]]).setContent(html);
      this._popup.openOn(this._map);
    }
  });

  window.QDCanvasPoints = {
    create: function (opts) { return new CanvasPoints(opts); }
  };
})();
