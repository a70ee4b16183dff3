// What the explorer's pages share: the API call and the painting of an image.
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
