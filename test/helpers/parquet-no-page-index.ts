// A Parquet file's bytes without its page index, as pyarrow writes by default
// (`write_page_index=False`): the footer is rewritten without ColumnChunk fields 4-7
// (offset_index_offset/length, column_index_offset/length; parquet-format parquet.thrift), so a
// reader finds no page locations; the index bytes stay in the file, unreferenced. Written for
// footers whose column chunks end with those fields, as parquet-rs writes them (it throws on any
// other), in the Thrift compact protocol (apache/thrift doc/specs/thrift-compact-protocol.md).
import { closeSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';

/** A FileMetaData footer (Thrift compact bytes) without references to a page index. */
export function footerWithoutPageIndex(f: Uint8Array): Uint8Array {
  let p = 0;
  const out: number[] = [];
  const varint = (): number => {
    let v = 0;
    for (let s = 0; ; s += 7) {
      const x = f[p++];
      v += (x & 0x7f) * 2 ** s;
      if ((x & 0x80) === 0) return v;
    }
  };
  const skip = (t: number): void => {
    if (t === 1 || t === 2) return;
    if (t === 3) p += 1;
    else if (t >= 4 && t <= 6) varint();
    else if (t === 7) p += 8;
    else if (t === 8) {
      const n = varint(); // before p is read: \`p += varint()\` would add to the old p
      p += n;
    } else if (t === 9 || t === 10) {
      const h = f[p++];
      const n = h >> 4 === 15 ? varint() : h >> 4;
      for (let i = 0; i < n; i++) skip(h & 15);
    } else if (t === 11) {
      const n = varint();
      const kv = n > 0 ? f[p++] : 0;
      for (let i = 0; i < n; i++) {
        skip(kv >> 4);
        skip(kv & 15);
      }
    } else if (t === 12) walk(-1);
    else throw new Error(`withoutPageIndex: unknown Thrift type ${t}`);
  };
  // level 0: FileMetaData, 1: RowGroup, 2: ColumnChunk; -1: skipped (not copied field by field).
  const walk = (level: number): void => {
    let id = 0;
    for (;;) {
      const start = p;
      const h = f[p++];
      if (h === 0) {
        if (level >= 0) out.push(0);
        return;
      }
      const t = h & 15;
      if (h >> 4 !== 0) id += h >> 4;
      else {
        const z = varint();
        id = (z >>> 1) ^ -(z & 1);
      }
      if (level === 2 && id >= 4) {
        if (id > 7) throw new Error(`withoutPageIndex: ColumnChunk field ${id} after the index`);
        skip(t);
        continue;
      }
      if ((level === 0 && id === 4 && t === 9) || (level === 1 && id === 1 && t === 9)) {
        const lh = f[p++];
        const n = lh >> 4 === 15 ? varint() : lh >> 4;
        for (let i = start; i < p; i++) out.push(f[i]);
        for (let i = 0; i < n; i++) walk(level + 1);
        continue;
      }
      skip(t);
      if (level >= 0) for (let i = start; i < p; i++) out.push(f[i]);
    }
  };
  walk(0);
  return Uint8Array.from(out);
}

/** The footer length and magic that end a Parquet file with a footer of `n` bytes. */
function tail(n: number): Uint8Array {
  const t = new Uint8Array(8);
  new DataView(t.buffer).setUint32(0, n, true);
  t.set([0x50, 0x41, 0x52, 0x31], 4);
  return t;
}

/** `bytes` (a whole Parquet file) with a footer that references no page index. */
export function withoutPageIndex(bytes: Uint8Array): Uint8Array {
  const len = new DataView(bytes.buffer, bytes.byteOffset).getUint32(bytes.length - 8, true);
  const body = bytes.subarray(0, bytes.length - 8 - len);
  const footer = footerWithoutPageIndex(bytes.subarray(body.length, bytes.length - 8));
  const result = new Uint8Array(body.length + footer.length + 8);
  result.set(body, 0);
  result.set(footer, body.length);
  result.set(tail(footer.length), body.length + footer.length);
  return result;
}

/** Rewrites the footer of the Parquet file at `path` in place (any size) to reference no page index. */
export function dropPageIndex(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    const size = fstatSync(fd).size;
    const t = Buffer.alloc(8);
    readSync(fd, t, 0, 8, size - 8);
    const len = t.readUInt32LE(0);
    const footer = Buffer.alloc(len);
    readSync(fd, footer, 0, len, size - 8 - len);
    const next = footerWithoutPageIndex(footer);
    ftruncateSync(fd, size - 8 - len);
    writeSync(fd, next, 0, next.length, size - 8 - len);
    writeSync(fd, tail(next.length), 0, 8, size - 8 - len + next.length);
  } finally {
    closeSync(fd);
  }
}
