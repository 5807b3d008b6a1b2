// Measures ais-stream-decoder (npm, pure JS): the README's way of feeding a
// file, createReadStream -> readline -> decoder.write(line), counting the
// decoded JSON messages the Transform stream emits. The package decodes only
// types 1-5, 8, 18 and 24; other types are dropped silently (neither counted
// as messages nor as errors). errors counts sentences it rejected.
// Usage: node ais_stream_decoder.js FILE   -> prints "messages=N errors=M"
'use strict';
const fs = require('fs');
const readline = require('readline');
const AisDecoder = require('ais-stream-decoder').default;

let messages = 0;
let errors = 0;

// The decoder ends the stream on its first error unless silent; keep going
// and count the error instead.
class CountingDecoder extends AisDecoder {
  _transform(chunk, encoding, callback) {
    super._transform(chunk, encoding, (err) => {
      if (err) { errors++; if (process.env.DBG) console.error(err.message); }
      callback();
    });
  }
}

// Object mode keeps one 'data' event per message (no string coalescing).
const decoder = new CountingDecoder({}, {readableObjectMode: true});
decoder.on('data', () => { messages++; });
decoder.on('end', () => {
  process.stdout.write(`messages=${messages} errors=${errors}\n`);
});

const rl = readline.createInterface({
  input: fs.createReadStream(process.argv[2]),
  crlfDelay: Infinity,
});
rl.on('line', (line) => { if (line) decoder.write(line); });
rl.on('close', () => decoder.end());
