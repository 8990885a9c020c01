// Lines of a call-record buffer as strings, decoded in pieces of at most 64 kB. V8 allocates a
// string over 128 kB as a large object of its own: decoding a 256 kB NATS message to one string
// took about 850 µs, the same bytes in 64 kB pieces under 80 µs with the lines split
// (BENCHMARKS.md, "Seventh session"). Latin-1, as `import cdr` reads: a plain byte copy; every
// field the analyser reads is ASCII.

const PIECE = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * Calls `visit` with each '\n'-terminated line of `bytes` in order (without its '\n'; a '\r' before
 * it stays, as the analyser expects). Returns the offset where the bytes after the last '\n' begin
 * (`bytes.length` when the bytes end with one): the caller keeps or reports that unterminated rest.
 */
export function forEachLatin1Line(bytes: Uint8Array, visit: (line: string) => void): number {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = buf.length;
  let start = 0;
  while (start < len) {
    // The last line end within the next piece; a line longer than a piece is decoded whole.
    let end = buf.lastIndexOf(NEWLINE, Math.min(len, start + PIECE) - 1);
    if (end < start) {
      end = buf.indexOf(NEWLINE, start + PIECE);
      if (end < 0) return start;
    }
    const text = buf.toString('latin1', start, end + 1);
    let i = 0;
    let j: number;
    while ((j = text.indexOf('\n', i)) >= 0) {
      visit(text.slice(i, j));
      i = j + 1;
    }
    start = end + 1;
  }
  return start;
}
