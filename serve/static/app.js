// The explorer: every picture comes from this server's /v1 API (shared.js
// holds the call and the painting of an image).
"use strict";

const colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
  "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
const state = { model: null, z: [], map: null, marker: null, drawn: null, decodes: 0 };
window.vae = state; // for the curious, and for the browser test
const $ = (id) => document.getElementById(id);

function label() {
  return state.model.conditional ? Number($("digit").value) : undefined;
}

// draw paints one image into a canvas (shared.js's paint), across the
// canvas's height from x0.
function draw(canvas, pixels, x0 = 0, width = canvas.width) {
  paint(canvas.getContext("2d"), pixels, state.model.image, x0, 0, width, canvas.height);
}

// decode shows the current code; a new request waits for the one in flight.
let busy = false, again = false;
async function decode() {
  if (busy) { again = true; return; }
  busy = true;
  try {
    const out = await api("/v1/decode", { z: [state.z], label: label() });
    draw($("decoded"), out.images[0]);
    state.decodes++;
  } catch (e) { showError(e); }
  busy = false;
  if (again) { again = false; decode(); }
}

function showError(e) { $("info").textContent = "error: " + e.message; }

function setZ(z) {
  state.z = z.map(Number);
  document.querySelectorAll("#sliders input").forEach((s, i) => {
    s.value = state.z[i];
    s.nextElementSibling.textContent = state.z[i].toFixed(2);
  });
  decode();
}

function buildSliders(d) {
  const box = $("sliders");
  for (let i = 0; i < d; i++) {
    const name = document.createElement("span");
    name.textContent = "z" + (i + 1);
    const s = document.createElement("input");
    Object.assign(s, { type: "range", min: -3, max: 3, step: 0.01, value: 0 });
    s.setAttribute("aria-label", "z" + (i + 1));
    const v = document.createElement("span");
    v.textContent = "0.00";
    s.addEventListener("input", () => {
      state.z[i] = Number(s.value);
      v.textContent = state.z[i].toFixed(2);
      decode();
    });
    box.append(name, s, v);
  }
}

// The map: the test set's codes in 2-D, coloured by digit.
function mapScale() {
  const pts = state.map.points;
  let lo = [Infinity, Infinity], hi = [-Infinity, -Infinity];
  for (const [x, y] of pts) {
    lo = [Math.min(lo[0], x), Math.min(lo[1], y)];
    hi = [Math.max(hi[0], x), Math.max(hi[1], y)];
  }
  const c = $("map"), pad = 10;
  const sx = (c.width - 2 * pad) / (hi[0] - lo[0] || 1), sy = (c.height - 2 * pad) / (hi[1] - lo[1] || 1);
  return {
    to: ([x, y]) => [pad + (x - lo[0]) * sx, c.height - pad - (y - lo[1]) * sy],
    from: (px, py) => [lo[0] + (px - pad) / sx, lo[1] + (c.height - pad - py) / sy],
  };
}

function drawMap() {
  const c = $("map"), ctx = c.getContext("2d"), m = state.map;
  ctx.clearRect(0, 0, c.width, c.height);
  const { to } = mapScale();
  m.points.forEach((p, i) => {
    const [x, y] = to(p);
    ctx.fillStyle = colors[m.labels[i] % 10];
    ctx.fillRect(x - 1, y - 1, 2, 2);
  });
  if (state.marker) {
    const [x, y] = to(state.marker);
    ctx.strokeStyle = "#000"; ctx.lineWidth = 3;
    ctx.beginPath(); ctx.arc(x, y, 8, 0, 2 * Math.PI); ctx.stroke();
    ctx.strokeStyle = "#ff0"; ctx.lineWidth = 1.5; ctx.stroke();
    if (state.spread) { // a VAE's drawing is a region: q(z|x)'s ±1σ and ±2σ
      const [x0, y0] = to([0, 0]), [x1, y1] = to([1, 1]);
      ctx.beginPath();
      ellipse(ctx, x, y, state.spread, x1 - x0, y0 - y1, 1);
      ellipse(ctx, x, y, state.spread, x1 - x0, y0 - y1, 2);
      ctx.strokeStyle = "#000"; ctx.lineWidth = 1.5; ctx.stroke();
    }
  }
  c.dataset.region = state.marker && state.spread ? "true" : "";
  c.dataset.digits = new Set(m.labels).size;
  c.dataset.marker = state.marker ? state.marker.map((v) => v.toFixed(3)).join(",") : "";
}

function codeAt(x, y) {
  const [a, b] = state.map.axes;
  return a.map((_, j) => x * a[j] + y * b[j]);
}

function project(z) {
  const [a, b] = state.map.axes;
  return [z.reduce((s, v, j) => s + v * a[j], 0), z.reduce((s, v, j) => s + v * b[j], 0)];
}

function mapEvents() {
  const c = $("map");
  let kept = false;
  const at = (ev) => {
    const r = c.getBoundingClientRect();
    return mapScale().from((ev.clientX - r.left) * c.width / r.width, (ev.clientY - r.top) * c.height / r.height);
  };
  c.addEventListener("mousemove", (ev) => { if (!kept) setZ(codeAt(...at(ev))); });
  c.addEventListener("click", (ev) => {
    kept = !kept;
    const p = at(ev);
    state.marker = p; drawMap(); setZ(codeAt(...p));
  });
}

// Drawing pad: strokes at 224×224, averaged to the model's 28×28.
function padEvents() {
  const pad = makePad($("pad"), encodeDrawing);
  $("clear").addEventListener("click", pad.clear);
}

async function encodeDrawing() {
  const x = padPixels($("pad"), state.model.image);
  try {
    const codes = await api("/v1/encode", { images: [x], label: label() });
    const rec = await api("/v1/reconstruct", { images: [x], label: label() });
    draw($("recon"), rec.images[0]);
    state.drawn = codes.mu[0];
    state.spread = codes.logvar && state.map ? spreadIn(state.map.axes, codes.logvar[0]) : null;
    if (state.map) { state.marker = project(state.drawn); drawMap(); }
    setZ(state.drawn);
  } catch (e) { showError(e); }
}

async function interpolate(fromCode) {
  try {
    let from = fromCode, to;
    const steps = Number($("steps").value);
    if (from) {
      to = (await api("/v1/test-images?index=" + Number($("to").value))).mu[0];
    } else {
      const t = await api("/v1/test-images?index=" + Number($("from").value) + "," + Number($("to").value));
      [from, to] = t.mu;
    }
    const out = await api("/v1/interpolate", { from, to, steps, slerp: $("slerp").checked, label: label() });
    const c = $("strip"), w = c.height;
    c.width = w * out.images.length;
    out.images.forEach((img, k) => draw(c, img, k * w, w));
  } catch (e) { showError(e); }
}

async function drawLosses() {
  const c = $("losses"), ctx = c.getContext("2d");
  let m;
  try { m = await api("/v1/metrics"); } catch (e) {
    ctx.fillText("no metrics.csv beside the checkpoint", 20, 30);
    return;
  }
  const series = [["train_loss", "#1f77b4"], ["test_loss", "#ff7f0e"]];
  const all = series.flatMap(([k]) => m[k]);
  const lo = Math.min(...all), hi = Math.max(...all), n = m.epoch.length;
  const X = (i) => 40 + (n > 1 ? i / (n - 1) : 0.5) * (c.width - 60);
  const Y = (v) => c.height - 30 - (v - lo) / (hi - lo || 1) * (c.height - 50);
  ctx.fillStyle = "#000"; ctx.font = "12px sans-serif";
  ctx.fillText(hi.toFixed(1), 2, Y(hi) + 4); ctx.fillText(lo.toFixed(1), 2, Y(lo) + 4);
  ctx.fillText("epoch 1 … " + m.epoch[n - 1] + "   (loss per image, nats)", 40, c.height - 8);
  series.forEach(([k, col], s) => {
    ctx.strokeStyle = col; ctx.beginPath();
    m[k].forEach((v, i) => (i ? ctx.lineTo(X(i), Y(v)) : ctx.moveTo(X(i), Y(v))));
    ctx.stroke();
    ctx.fillStyle = col; ctx.fillText(k.replace("_", " "), c.width - 90, 16 + 14 * s);
  });
}

async function main() {
  state.model = await api("/v1/model");
  const m = state.model;
  $("info").textContent = `${m.input} pixels → ${m.hidden} → latent ${m.latent}` +
    (m.conditional ? `, conditional on ${m.classes} labels` : "") + `, ${m.epochs} epochs` +
    (m.metrics ? `, test loss ${m.metrics.test_loss.toFixed(2)}` : "");
  if (m.conditional) {
    $("digit-box").hidden = false;
    for (let i = 0; i < m.classes; i++) $("digit").add(new Option(String(i), String(i)));
    $("digit").addEventListener("change", decode);
  }
  buildSliders(m.latent);
  padEvents();
  $("random").addEventListener("click", () => setZ(state.z.map(() => {
    const u = 1 - Math.random(), v = Math.random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  })));
  $("zero").addEventListener("click", () => setZ(state.z.map(() => 0)));
  $("interp").addEventListener("click", () => interpolate());
  $("interp-drawn").addEventListener("click", () => state.drawn ? interpolate(state.drawn) : showError(new Error("draw a digit first")));
  setZ(new Array(m.latent).fill(0));
  drawLosses();
  state.map = await api("/v1/latent-map");
  $("legend").innerHTML = colors.map((c, i) => `<span style="background:${c}">${i}</span>`).join("");
  drawMap();
  mapEvents();
  interpolate();
  document.body.dataset.ready = "true";
}

main().catch(showError);
