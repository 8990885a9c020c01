// The NATS client (@nats-io/nats-core 3.4) gathers a message that spans several socket reads in a
// buffer that starts as the first read's tail and doubles as the rest arrives: a 256 kB call-record
// message from `cdr publish` (cdr-nats.ts) costs two allocations (about 190 kB and 450 kB) and two
// copies. The message's size is known from its MSG line before its first byte, so here the buffer is
// given that size once: one allocation, each byte copied once. Measured end to end (`npm run bench
// -- cdr-stream`, grouping off, publisher and consumer at once): 0.46-0.55 of `import cdr` without,
// 0.57-0.61 with, four runs each (BENCHMARKS.md, "Eighth session").
//
// It reaches into the client's parser (its `internal` entry point), so it checks every field it
// uses and does nothing when one is not what it expects: a client that changed its parser loses
// the saving, not a message. test/unit/governance/nats-presized-payloads.test.ts fails in that case.
import { DenoBuffer, Parser, State } from '@nats-io/nats-core/internal';

let installed = false;

/** Whether the parser was left holding a message's first bytes in a buffer smaller than the message. */
function undersized(parser: Parser): parser is Parser & { msgBuf: DenoBuffer } {
  return parser.state === State.MSG_PAYLOAD && parser.msgBuf instanceof DenoBuffer && typeof parser.ma?.size === 'number' && parser.msgBuf.capacity < parser.ma.size;
}

/** Installs the presizing in this process's NATS client, once; returns whether it is installed. */
export function presizeNatsPayloads(): boolean {
  if (installed) return true;
  const parse = Parser.prototype.parse;
  if (typeof parse !== 'function' || State.MSG_PAYLOAD === undefined) return false;
  Parser.prototype.parse = function parseWithPresizedPayload(this: Parser, buf: Uint8Array): void {
    parse.call(this, buf);
    if (!undersized(this)) return;
    // The read ended inside a message: move what came of it into a buffer of the message's size,
    // which the parser's later writes fill without growing.
    const sized = new DenoBuffer(new Uint8Array(this.ma.size));
    sized.reset();
    sized.write(this.msgBuf.bytes({ copy: false }));
    this.msgBuf = sized;
  };
  installed = true;
  return true;
}
