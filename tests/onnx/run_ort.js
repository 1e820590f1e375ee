// Runs an ONNX model in onnxruntime (npm's onnxruntime-node) on one float32 input, for tests/onnx:
//   node run_ort.js ORT_MODULE_DIR model.onnx input.bin D0,D1,... output.bin [int64]
// input.bin (float32, or int64 with the last argument: token ids) and output.bin (float32) are raw
// little-endian; prints the output's dims on stdout.
'use strict';
const fs = require('fs');
const [ortDir, modelPath, inputPath, dimsText, outputPath, inputType] = process.argv.slice(2);
const ort = require(ortDir);
(async () => {
  const session = await ort.InferenceSession.create(modelPath);
  const bytes = fs.readFileSync(inputPath);
  const int64 = inputType === 'int64';
  const copy = new Uint8Array(bytes).buffer;  // aligned for the typed array
  const data = int64 ? new BigInt64Array(copy) : new Float32Array(copy);
  const dims = dimsText.split(',').map(Number);
  const feeds = {[session.inputNames[0]]: new ort.Tensor(int64 ? 'int64' : 'float32', data, dims)};
  const results = await session.run(feeds);
  const out = results[session.outputNames[0]];
  fs.writeFileSync(outputPath, Buffer.from(out.data.buffer, out.data.byteOffset, out.data.byteLength));
  console.log(out.dims.join(','));
})().catch((e) => {
  console.error(`run_ort.js: ${e.message}`);
  process.exit(1);
});
