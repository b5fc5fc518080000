// People correct the machine. Loaded as a file (the CSP allows no inline script); reads only data-* attributes
// and this server's JSON, writes text with textContent or form values, never HTML.
"use strict";

// The document's text is cut into <span data-at="OFFSET"> pieces; a selection's offsets in the extracted text
// are the piece's offset plus the offset inside it.
function offsetOf(node, offset) {
  const piece = (node.nodeType === Node.TEXT_NODE ? node.parentElement : node).closest("[data-at]");
  if (!piece) return null;
  if (node.nodeType !== Node.TEXT_NODE) offset = offset ? piece.textContent.length : 0;
  return Number(piece.dataset.at) + offset;
}

function setupSelection() {
  const text = document.getElementById("doctext");
  const start = document.getElementById("sel-start");
  if (!text || !start) return;
  const end = document.getElementById("sel-end");
  const shown = document.getElementById("sel-text");
  document.addEventListener("selectionchange", () => {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    const range = sel.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) return;
    const a = offsetOf(range.startContainer, range.startOffset);
    const b = offsetOf(range.endContainer, range.endOffset);
    if (a === null || b === null || b <= a) return;
    start.value = String(a);
    end.value = String(b);
    shown.textContent = sel.toString().slice(0, 300);
  });
}

// The map picker: the country outlines Hague ships, a marker where the place is; a click moves it.
async function setupPicker() {
  const el = document.getElementById("pick-map");
  const input = document.getElementById("pick-value");
  if (!el || !input || typeof L === "undefined") return;
  const map = L.map(el, { worldCopyJump: true, attributionControl: false, zoomAnimation: false, fadeAnimation: false,
    markerZoomAnimation: false }).setView([30, 20], 2);
  const outlines = await fetch(el.dataset.outlines, { credentials: "same-origin" }).then((r) => r.json());
  const land = { color: "#94a3b8", weight: 0.6, fillColor: "#f8fafc", fillOpacity: 1 };
  outlines.countries.forEach((c) => L.polygon(c.rings.map((ring) => ring.map(([lon, lat]) => [lat, lon])), land)
    .addTo(map));
  let marker = null;
  const place = (lat, lon) => {
    if (marker) marker.setLatLng([lat, lon]);
    else marker = L.circleMarker([lat, lon], { radius: 8, color: "#9a3412", weight: 2, fillOpacity: 0.7 }).addTo(map);
  };
  const [lat, lon] = input.value.split(",").map(Number);
  if (input.value && Number.isFinite(lat) && Number.isFinite(lon)) {
    place(lat, lon);
    map.setView([lat, lon], 6);
  }
  map.on("click", (event) => {
    const p = event.latlng.wrap();
    place(p.lat, p.lng);
    input.value = `${p.lat.toFixed(4)},${p.lng.toFixed(4)}`;
  });
  el.setAttribute("data-ready", "1");
}

document.addEventListener("DOMContentLoaded", () => {
  setupSelection();
  setupPicker().catch(() => {
    const el = document.getElementById("pick-map");
    if (el) el.textContent = "The map could not be drawn; type the point as lat,lon.";
  });
});
