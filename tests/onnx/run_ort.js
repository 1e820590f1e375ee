// Runs an ONNX model in onnxruntime (npm's onnxruntime-node) on one float32 input, for tests/onnx:
//   node run_ort.js ORT_MODULE_DIR model.onnx input.bin D0,D1,... output.bin
// input.bin and output.bin are raw little-endian float32; prints the output's dims on stdout.
'use strict';
const fs = require('fs');
const [ortDir, modelPath, inputPath, dimsText, outputPath] = process.argv.slice(2);
const ort = require(ortDir);
(async () => {
  const session = await ort.InferenceSession.create(modelPath);
  const bytes = fs.readFileSync(inputPath);
  const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const dims = dimsText.split(',').map(Number);
  const feeds = {[session.inputNames[0]]: new ort.Tensor('float32', data, dims)};
  const results = await session.run(feeds);
  const out = results[session.outputNames[0]];
  fs.writeFileSync(outputPath, Buffer.from(out.data.buffer, out.data.byteOffset, out.data.byteLength));
  console.log(out.dims.join(','));
})().catch((e) => {
  console.error(`run_ort.js: ${e.message}`);
  process.exit(1);
});
