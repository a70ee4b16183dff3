// What the explorer's pages share: the API call, the painting of an image,
// the drawing pad, and a code's spread in a map's plane.
"use strict";

// api GETs a path, or POSTs body to it as JSON, and returns the answer; an
// error answer throws its message.
async function api(path, body) {
  const res = await fetch(path, body === undefined ? {} :
    { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const data = await res.json().catch(() => ({ error: res.statusText }));
  if (!res.ok) throw new Error(data.error || res.statusText);
  return data;
}

// paint draws one image into the box (x, y, w, h) of a canvas's context,
// scaled: rows × cols values in [0, 1] (image: a model's rows, cols and
// channels), or for a colour model three such planes, red, green, blue.
function paint(ctx, pixels, image, x, y, w, h) {
  const { rows, cols, channels } = image;
  const img = ctx.createImageData(cols, rows);
  const byte = (v) => Math.round(Math.max(0, Math.min(1, v)) * 255);
  const plane = rows * cols;
  for (let i = 0; i < plane; i++) {
    const [r, g, b] = channels === 3 ? [pixels[i], pixels[plane + i], pixels[2 * plane + i]] : [pixels[i], pixels[i], pixels[i]];
    img.data.set([byte(r), byte(g), byte(b), 255], 4 * i);
  }
  const tmp = document.createElement("canvas");
  tmp.width = cols; tmp.height = rows;
  tmp.getContext("2d").putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(tmp, x, y, w, h);
}

// makePad makes a canvas a drawing pad: white strokes on black, drawn with
// the mouse; done is called when a stroke ends. It returns { clear }.
function makePad(c, done) {
  const ctx = c.getContext("2d");
  const clear = () => { ctx.fillStyle = "#000"; ctx.fillRect(0, 0, c.width, c.height); };
  clear();
  let down = false, last = null;
  const pos = (ev) => {
    const r = c.getBoundingClientRect();
    return [(ev.clientX - r.left) * c.width / r.width, (ev.clientY - r.top) * c.height / r.height];
  };
  c.addEventListener("mousedown", (ev) => { down = true; last = pos(ev); });
  c.addEventListener("mousemove", (ev) => {
    if (!down) return;
    const p = pos(ev);
    ctx.strokeStyle = "#fff"; ctx.lineWidth = 18; ctx.lineCap = "round";
    ctx.beginPath(); ctx.moveTo(...last); ctx.lineTo(...p); ctx.stroke();
    last = p;
  });
  const up = () => { if (down) { down = false; done(); } };
  c.addEventListener("mouseup", up);
  c.addEventListener("mouseleave", up);
  return { clear };
}

// padPixels is a pad's drawing as a grey image of the model's size, values
// in [0, 1].
function padPixels(pad, image) {
  const { rows, cols } = image;
  const tmp = document.createElement("canvas");
  tmp.width = cols; tmp.height = rows;
  const t = tmp.getContext("2d");
  t.imageSmoothingEnabled = true; t.imageSmoothingQuality = "high";
  t.drawImage(pad, 0, 0, cols, rows);
  const data = t.getImageData(0, 0, cols, rows).data;
  const out = [];
  for (let i = 0; i < rows * cols; i++) out.push(data[4 * i] / 255);
  return out;
}

// spreadIn is the covariance in a map's plane (axes a, b) of a code's
// q(z|x) = N(mu, diag(exp(logvar))): [a·Σ·a, a·Σ·b, b·Σ·b].
function spreadIn(axes, logvar) {
  const [a, b] = axes, out = [0, 0, 0];
  logvar.forEach((lv, j) => {
    const v = Math.exp(lv);
    out[0] += a[j] * a[j] * v; out[1] += a[j] * b[j] * v; out[2] += b[j] * b[j] * v;
  });
  return out;
}

// ellipse adds to ctx's path the n-σ ellipse of the plane covariance cov
// centred on the canvas point (px, py), with sx, sy canvas pixels per unit
// (y grows downwards on the canvas, so the angle turns the other way).
function ellipse(ctx, px, py, cov, sx, sy, n) {
  const [a, b, c] = cov;
  const mid = (a + c) / 2, r = Math.sqrt(((a - c) / 2) ** 2 + b * b);
  const rx = n * Math.sqrt(mid + r) * sx, ry = n * Math.sqrt(Math.max(mid - r, 0)) * sy;
  const angle = -0.5 * Math.atan2(2 * b, a - c);
  ctx.moveTo(px + rx * Math.cos(angle), py + rx * Math.sin(angle));
  ctx.ellipse(px, py, rx, ry, angle, 0, 2 * Math.PI);
}
