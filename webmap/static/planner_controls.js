/* Map controls of the Qingdao layout planner: full screen, measure (distance / area in 亩),
 * cursor coordinates and legend. Plain Leaflet 1.9, no other library, works offline.
 * Embedded inline by webmap/controls.py, so it also runs inside streamlit-folium's iframe. */
(function () {
  if (window.QDPlanner) { return; }
  var R = 6371008.8;           // mean Earth radius (m), spherical formulas
  var M2_PER_MU = 10000 / 15;  // 1 亩 = 666.67 m²

  // Small inline SVG icons: no icon font or emoji font is needed (intranet machines lack them).
  var ICONS = {
    fullscreen: '<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="#333" stroke-width="1.8">' +
      '<path d="M2 6V2h4M10 2h4v4M14 10v4h-4M6 14H2v-4"/></svg>',
    distance: '<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="#333" stroke-width="1.5">' +
      '<path d="M1 11L11 1l4 4L5 15z"/><path d="M4 8l2 2M6 6l1.5 1.5M8 4l2 2"/></svg>',
    area: '<svg viewBox="0 0 16 16" width="16" height="16" fill="#9ca3af" fill-opacity=".35" stroke="#333" stroke-width="1.5">' +
      '<path d="M2 5l6-3 6 4-2 8H4z"/></svg>',
    clear: '<svg viewBox="0 0 16 16" width="16" height="16" stroke="#333" stroke-width="1.8"><path d="M4 4l8 8M12 4l-8 8"/></svg>'
  };

  function el(tag, cls, parent, text) {
    var e = L.DomUtil.create(tag, cls, parent);
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  // ---- GCJ-02 → WGS84 (for the cursor read-out when the map is drawn in GCJ-02) -------------
  function gcjOffset(lon, lat) {
    var a = 6378245.0, ee = 0.00669342162296594323, pi = Math.PI;
    var x = lon - 105.0, y = lat - 35.0;
    var per = (20 * Math.sin(6 * x * pi) + 20 * Math.sin(2 * x * pi)) * 2 / 3;
    var dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x)) + per
      + (20 * Math.sin(y * pi) + 40 * Math.sin(y / 3 * pi)) * 2 / 3
      + (160 * Math.sin(y / 12 * pi) + 320 * Math.sin(y * pi / 30)) * 2 / 3;
    var dLon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x)) + per
      + (20 * Math.sin(x * pi) + 40 * Math.sin(x / 3 * pi)) * 2 / 3
      + (150 * Math.sin(x / 12 * pi) + 300 * Math.sin(x / 30 * pi)) * 2 / 3;
    var rad = lat / 180 * pi, magic = 1 - ee * Math.sin(rad) * Math.sin(rad), sm = Math.sqrt(magic);
    return [dLon * 180 / (a / sm * Math.cos(rad) * pi), dLat * 180 / ((a * (1 - ee)) / (magic * sm) * pi)];
  }
  function gcjToWgs(lon, lat) {
    var x = lon, y = lat;
    for (var i = 0; i < 30; i++) {
      var d = gcjOffset(x, y), ex = x + d[0] - lon, ey = y + d[1] - lat;
      x -= ex; y -= ey;
      if (Math.abs(ex) < 1e-10 && Math.abs(ey) < 1e-10) { break; }
    }
    return [x, y];
  }

  // ---- formatting ---------------------------------------------------------------------------
  function fmtDistance(m) {
    return m >= 1000 ? (m / 1000).toFixed(2) + ' km' : m.toFixed(0) + ' m';
  }
  function fmtArea(m2, units) {  // units: the words for 亩 and 万亩 in the page's language
    var mu = m2 / M2_PER_MU;
    var main = m2 >= 1e6 ? (m2 / 1e6).toFixed(3) + ' km²' : m2.toFixed(0) + ' m²';
    var muText = mu >= 10000 ? (mu / 10000).toFixed(2) + ' ' + units.tenThousandMu : mu.toFixed(1) + ' ' + units.mu;
    return main + ' ≈ ' + muText;
  }
  function sphericalArea(latlngs) {
    var n = latlngs.length, total = 0;
    if (n < 3) { return 0; }
    for (var i = 0; i < n; i++) {
      var p1 = latlngs[i], p2 = latlngs[(i + 1) % n];
      total += (p2.lng - p1.lng) * Math.PI / 180 *
        (2 + Math.sin(p1.lat * Math.PI / 180) + Math.sin(p2.lat * Math.PI / 180));
    }
    return Math.abs(total * R * R / 2);
  }

  // ---- full screen --------------------------------------------------------------------------
  function addFullscreen(map, opts) {
    var ctl = L.control({position: 'topleft'});
    ctl.onAdd = function () {
      var box = el('div', 'leaflet-bar qd-fullscreen');
      var a = el('a', '', box);
      a.innerHTML = ICONS.fullscreen;
      a.href = '#'; a.title = opts.title; a.setAttribute('role', 'button');
      L.DomEvent.on(a, 'click', function (e) {
        L.DomEvent.preventDefault(e);
        var c = map.getContainer();
        var done = function () { map.invalidateSize(); };
        if (document.fullscreenElement) { document.exitFullscreen().then(done, done); return; }
        if (c.requestFullscreen) {
          c.requestFullscreen().then(done, function () { L.DomUtil.toggleClass(c, 'qd-pseudo-fullscreen'); done(); });
        } else { L.DomUtil.toggleClass(c, 'qd-pseudo-fullscreen'); done(); }
      });
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    ctl.addTo(map);
  }

  // ---- measure ------------------------------------------------------------------------------
  function addMeasure(map, opts) {
    var mode = null, points = [], shape = null, marks = L.layerGroup().addTo(map), out;
    function redraw() {
      if (shape) { marks.removeLayer(shape); shape = null; }
      if (!points.length) { out.textContent = opts.hint; return; }
      var style = {color: '#111827', weight: 2, dashArray: '4 4', interactive: false};
      if (mode === 'area' && points.length > 2) {
        shape = L.polygon(points, L.extend({fillOpacity: 0.1}, style));
        out.textContent = fmtArea(sphericalArea(points), opts);
      } else {
        shape = L.polyline(points, style);
        var d = 0;
        for (var i = 1; i < points.length; i++) { d += map.distance(points[i - 1], points[i]); }
        out.textContent = fmtDistance(d);
      }
      marks.addLayer(shape);
    }
    function stop() {
      if (mode === 'area' && points.length > 2) {
        // A finished area is offered to the page like a drawing (streamlit-folium reports
        // "draw:created" layers as last_active_drawing), for area queries.
        var area = L.polygon(points);
        area.feature = {type: 'Feature', properties: {qd_measure: true}};  // tells it from feature clicks
        map.fire('draw:created', {layer: area, layerType: 'polygon'});
      }
      mode = null;
      map.doubleClickZoom.enable();
      L.DomUtil.removeClass(map.getContainer(), 'qd-measuring');
    }
    function start(m) {
      clear(); mode = m;
      map.closePopup();  // while measuring, features let clicks through to the map (CSS .qd-measuring)
      map.doubleClickZoom.disable();
      L.DomUtil.addClass(map.getContainer(), 'qd-measuring');
      out.textContent = opts.hint;
    }
    function clear() { points = []; marks.clearLayers(); shape = null; out.textContent = ''; stop(); }
    map.on('click', function (e) {
      if (!mode) { return; }
      points.push(e.latlng);
      marks.addLayer(L.circleMarker(e.latlng, {radius: 3, color: '#111827', interactive: false}));
      redraw();
    });
    map.on('dblclick', function () { if (mode) { stop(); } });
    var ctl = L.control({position: 'topleft'});
    ctl.onAdd = function () {
      var box = el('div', 'leaflet-bar qd-measure');
      [['distance', opts.distance], ['area', opts.area], ['clear', opts.clear]].forEach(function (b) {
        var a = el('a', 'qd-measure-' + b[0], box);
        a.innerHTML = ICONS[b[0]];
        a.href = '#'; a.title = b[1]; a.setAttribute('role', 'button');
        L.DomEvent.on(a, 'click', function (e) {
          L.DomEvent.preventDefault(e);
          if (b[0] === 'clear') { clear(); } else { start(b[0]); }
        });
      });
      out = el('div', 'qd-measure-out', box, '');
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    ctl.addTo(map);
  }

  // ---- cursor coordinates -------------------------------------------------------------------
  function addMousePosition(map, opts) {
    var ctl = L.control({position: 'bottomleft'});
    ctl.onAdd = function () {
      var box = el('div', 'qd-mouse-position', undefined, opts.label);
      map.on('mousemove', function (e) {
        var lon = e.latlng.lng, lat = e.latlng.lat;
        if (opts.drawnIn === 'gcj02') { var w = gcjToWgs(lon, lat); lon = w[0]; lat = w[1]; }
        box.textContent = opts.label + ' ' + lon.toFixed(5) + ', ' + lat.toFixed(5);
      });
      return box;
    };
    ctl.addTo(map);
  }

  // ---- Leaflet's own English titles in the page's language ----------------------------------
  function localise(map, opts) {
    function apply() {
      var box = map.getContainer();
      [['.leaflet-control-zoom-in', opts.zoomIn], ['.leaflet-control-zoom-out', opts.zoomOut],
       ['.leaflet-control-layers-toggle', opts.layers]].forEach(function (pair) {
        box.querySelectorAll(pair[0]).forEach(function (a) {
          a.title = pair[1]; a.setAttribute('aria-label', pair[1]);
        });
      });
    }
    apply();
    map.whenReady(function () { setTimeout(apply, 0); });  // the layer control is added after us
  }

  // ---- legend (HTML built and escaped in Python) -------------------------------------------
  function addLegend(map, html) {
    var ctl = L.control({position: 'bottomright'});
    ctl.onAdd = function () {
      var box = el('div', 'qd-legend');
      box.innerHTML = html;
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    ctl.addTo(map);
    // The legend (bottom right) never runs under the layer list (top right): it scrolls within the height left.
    var box = ctl.getContainer(), corner = map.getContainer().querySelector('.leaflet-top.leaflet-right');
    function fit() {
      var used = corner ? corner.offsetHeight : 0;
      box.style.maxHeight = Math.max(120, map.getSize().y - used - 40) + 'px';
    }
    fit();
    map.on('resize', fit);
    if (corner && window.ResizeObserver) { new ResizeObserver(fit).observe(corner); }
  }

  // ---- popups and tooltips from pre-escaped HTML in feature properties ----------------------
  function bindInfo(feature, layer) {
    var p = feature.properties || {};
    if (p._tip) { layer.bindTooltip(p._tip, {sticky: true}); }
    if (p._pop) { layer.bindPopup(p._pop, {maxWidth: 380, maxHeight: 320}); }
  }

  window.QDPlanner = {
    addFullscreen: addFullscreen, addMeasure: addMeasure, addMousePosition: addMousePosition,
    addLegend: addLegend, localise: localise, bindInfo: bindInfo, gcjToWgs: gcjToWgs, sphericalArea: sphericalArea
  };
})();
