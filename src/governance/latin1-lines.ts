// Lines of a call-record buffer as strings, decoded in pieces of at most 64 kB. V8 allocates a
// string over 128 kB as a large object of its own: decoding a 256 kB NATS message to one string
// took about 850 µs, the same bytes in 64 kB pieces under 80 µs with the lines split
// (BENCHMARKS.md, "Seventh session"). Latin-1, as `import cdr` reads: a plain byte copy; every
// field the analyser reads is ASCII.

const PIECE = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * Calls `visit` with each line of `bytes` in order, split on '\n' (a '\r' before it stays, as the
 * analyser expects); the last line needs no '\n' after it, and an empty one after the final '\n'
 * is not a line.
 */
export function forEachLatin1Line(bytes: Uint8Array, visit: (line: string) => void): void {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = buf.length;
  let start = 0;
  while (start < len) {
    // The last line end within the next piece; a line longer than a piece is decoded whole, and
    // so is the rest after the last line end.
    let end = buf.lastIndexOf(NEWLINE, Math.min(len, start + PIECE) - 1);
    if (end < start) end = buf.indexOf(NEWLINE, start + PIECE);
    if (end < 0) end = len;
    const text = buf.toString('latin1', start, end + 1);
    let i = 0;
    let j: number;
    while ((j = text.indexOf('\n', i)) >= 0) {
      visit(text.slice(i, j));
      i = j + 1;
    }
    if (i < text.length) visit(text.slice(i));
    start = end + 1;
  }
}
