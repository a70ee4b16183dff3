// ONNX Runtime's side of interop's tests: run an ONNX model on inputs given
// as JSON ({"name": {"dims": [...], "data": [...]}}) and print its outputs
// the same way.
//     node ort_run.js MODEL.onnx INPUTS.json
const ort = require("onnxruntime-node");
const fs = require("fs");

async function main() {
  const [model, inputs] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(model);
  const feeds = {};
  for (const [name, t] of Object.entries(JSON.parse(fs.readFileSync(inputs, "utf8")))) {
    feeds[name] = new ort.Tensor("float32", Float32Array.from(t.data), t.dims);
  }
  const results = await session.run(feeds);
  const out = {};
  for (const [name, t] of Object.entries(results)) out[name] = { dims: t.dims, data: Array.from(t.data) };
  process.stdout.write(JSON.stringify(out));
}
main().catch((e) => { console.error(e.message); process.exit(1); });
