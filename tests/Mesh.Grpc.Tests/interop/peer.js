// A real gRPC peer for the Mesh.Grpc interop tests, built on grpc-js.
//   node peer.js server                      serves Tester on 127.0.0.1:<free port>, prints "LISTENING <port>",
//                                            prints one JSON event line per notable server-side event,
//                                            exits when its stdin closes (so it never outlives the test run).
//   node peer.js client <host:port> <case>   runs one scenario against a Tester server, prints one JSON line.
'use strict';
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const definition = protoLoader.loadSync(path.join(__dirname, '..', 'Protos', 'tester.proto'), {
  keepCase: false, longs: String, defaults: true,
});
const Tester = grpc.loadPackageDefinition(definition).mesh.grpc.test.v1.Tester;

const emit = (event) => process.stdout.write(JSON.stringify(event) + '\n');

function metadataToObject(metadata) {
  const result = {};
  for (const [key, values] of Object.entries(metadata.getMap())) {
    result[key] = Buffer.isBuffer(values) ? values.toString('base64') : values;
  }
  return result;
}

function echoMetadata(incoming) {
  const outgoing = new grpc.Metadata();
  for (const [key, value] of Object.entries(incoming.getMap())) {
    if (key.startsWith('echo-')) outgoing.set(key, value);
  }
  return outgoing;
}

function runServer() {
  const server = new grpc.Server();
  server.addService(Tester.service, {
    echo(call, callback) {
      call.sendMetadata(echoMetadata(call.metadata));
      callback(null, { text: call.request.text, blob: call.request.blob }, echoMetadata(call.metadata));
    },
    count(call) {
      for (let n = 1; n <= call.request.count; n++) call.write({ number: n });
      if (call.request.failCode) {
        call.emit('error', { code: call.request.failCode, details: call.request.failMessage });
      } else {
        call.end();
      }
    },
    fail(call, callback) {
      callback({ code: call.request.code, details: call.request.message });
    },
    slow(call, callback) {
      const deadline = call.getDeadline();
      const at = deadline instanceof Date ? deadline.getTime() : deadline;
      const remaining = Number.isFinite(at) ? at - Date.now() : null;
      emit({ event: 'slow-start', deadlineRemainingMs: remaining });
      const timer = setTimeout(() => callback(null, { cancelledSeen: false }), call.request.delayMs);
      call.on('cancelled', () => {
        clearTimeout(timer);
        emit({ event: 'slow-cancelled' });
      });
    },
    sum(call, callback) {
      let total = 0n;
      call.on('data', (m) => { total += BigInt(m.value); });
      call.on('end', () => callback(null, { total: total.toString() }));
    },
    chat(call) {
      call.on('data', (m) => call.write({ text: 'echo: ' + m.text }));
      call.on('end', () => call.end());
    },
  });
  server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => {
    if (error) {
      process.stderr.write(String(error) + '\n');
      process.exit(1);
    }
    process.stdout.write(`LISTENING ${port}\n`);
  });
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

function statusOf(error) {
  return { code: error.code, details: error.details, trailers: error.metadata ? metadataToObject(error.metadata) : {} };
}

const scenarios = {
  // Unary with ASCII and binary metadata; reports what came back in headers and trailers.
  echo(client, done) {
    const metadata = new grpc.Metadata();
    metadata.set('echo-text', 'hello from grpc-js');
    metadata.set('echo-data-bin', Buffer.from([0, 1, 2, 253, 254, 255]));
    let headers = {};
    const call = client.echo({ text: 'ping', blob: Buffer.from('bytes') }, metadata, (error, reply) => {
      if (error) return done({ error: statusOf(error) });
      call.on('status', (status) => done({
        text: reply.text, blob: reply.blob.toString('base64'), headers, trailers: metadataToObject(status.metadata), code: status.code,
      }));
    });
    call.on('metadata', (m) => { headers = metadataToObject(m); });
  },
  // Server stream of five messages, then OK.
  count(client, done) {
    const numbers = [];
    const call = client.count({ count: 5 });
    call.on('data', (m) => numbers.push(m.number));
    call.on('error', (error) => done({ numbers, error: statusOf(error) }));
    call.on('status', (status) => { if (status.code === 0) done({ numbers, code: 0 }); });
  },
  // Server stream of two messages, then FAILED_PRECONDITION with a message in the trailers.
  'count-fail'(client, done) {
    const numbers = [];
    const call = client.count({ count: 2, failCode: 9, failMessage: 'stream broke after two' });
    call.on('data', (m) => numbers.push(m.number));
    call.on('error', (error) => done({ numbers, error: statusOf(error) }));
    call.on('status', (status) => { if (status.code === 0) done({ numbers, code: 0 }); });
  },
  // An error status whose message needs percent-encoding.
  fail(client, done) {
    client.fail({ code: 5, message: 'no account "alice@example.com" – ünïcode 100%' }, (error) => done(error ? { error: statusOf(error) } : { code: 0 }));
  },
  // A 2 s deadline on a 10 s call: long enough to reach the server on a loaded machine.
  deadline(client, done) {
    const started = Date.now();
    client.slow({ delayMs: 10000 }, { deadline: new Date(Date.now() + 2000) }, (error) =>
      done({ elapsedMs: Date.now() - started, error: error ? statusOf(error) : null }));
  },
  // A method the server does not have.
  unimplemented(client, done) {
    client.makeUnaryRequest('/mesh.grpc.test.v1.Tester/Missing', (x) => x, (x) => x, Buffer.alloc(0), (error) =>
      done({ error: error ? statusOf(error) : null }));
  },
  // Client streaming.
  sum(client, done) {
    const call = client.sum((error, reply) => done(error ? { error: statusOf(error) } : { total: reply.total }));
    for (const value of [1, 2, 3, 4000000000]) call.write({ value: String(value) });
    call.end();
  },
  // Duplex streaming.
  chat(client, done) {
    const texts = [];
    const call = client.chat();
    call.on('data', (m) => texts.push(m.text));
    call.on('error', (error) => done({ texts, error: statusOf(error) }));
    call.on('end', () => done({ texts }));
    call.write({ text: 'one' });
    call.write({ text: 'two' });
    call.end();
  },
};

function runClient(target, name) {
  const scenario = scenarios[name];
  if (!scenario) {
    process.stderr.write(`unknown scenario ${name}\n`);
    process.exit(2);
  }
  const client = new Tester(target, grpc.credentials.createInsecure());
  let finished = false;
  scenario(client, (result) => {
    if (finished) return;
    finished = true;
    emit(result);
    client.close();
    process.exit(0);
  });
}

const [mode, target, scenario] = process.argv.slice(2);
if (mode === 'server') runServer();
else if (mode === 'client') runClient(target, scenario);
else {
  process.stderr.write('usage: node peer.js server | node peer.js client <host:port> <scenario>\n');
  process.exit(2);
}
