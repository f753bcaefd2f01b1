/**
 * Which row groups of a Parquet file have an offset index (the page locations of the page index,
 * parquet-format `PageIndex.md`; `ColumnChunk.offset_index_offset`, field 4), read from the
 * footer's `FileMetaData` in the Thrift compact protocol (apache/thrift
 * `doc/specs/thrift-compact-protocol.md`). Only `FileMetaData.row_groups` (field 4) ->
 * `RowGroup.columns` (field 1) -> `ColumnChunk` field ids are looked at; every other field is
 * skipped by its type. parquet-wasm reads the same footer but does not expose this.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const STOP = 0;
const TRUE = 1;
const FALSE = 2;
const I8 = 3;
const I16 = 4;
const I32 = 5;
const I64 = 6;
const DOUBLE = 7;
const BINARY = 8;
const LIST = 9;
const SET = 10;
const MAP = 11;
const STRUCT = 12;

/** Nesting deeper than this is not a Parquet footer. */
const MAX_DEPTH = 64;

class Reader {
  p = 0;
  constructor(private readonly b: Uint8Array) {}

  byte(): number {
    if (this.p >= this.b.length) throw new RangeError('footer ends early');
    return this.b[this.p++];
  }

  varint(): void {
    for (let i = 0; i < 10; i++) if ((this.byte() & 0x80) === 0) return;
    throw new RangeError('varint longer than 10 bytes');
  }

  size(): number {
    let v = 0;
    for (let s = 0; s < 35; s += 7) {
      const x = this.byte();
      v += (x & 0x7f) * 2 ** s;
      if ((x & 0x80) === 0) return v;
    }
    throw new RangeError('size longer than 5 bytes');
  }

  skipBytes(n: number): void {
    if (this.p + n > this.b.length) throw new RangeError('footer ends early');
    this.p += n;
  }

  /** The element count and type of a list or set header. */
  listHeader(): [number, number] {
    const h = this.byte();
    const n = h >> 4;
    return [n === 15 ? this.size() : n, h & 0x0f];
  }

  skip(type: number, depth: number): void {
    if (depth > MAX_DEPTH) throw new RangeError('nesting too deep');
    switch (type) {
      case TRUE:
      case FALSE:
        return;
      case I8:
        this.skipBytes(1);
        return;
      case I16:
      case I32:
      case I64:
        this.varint();
        return;
      case DOUBLE:
        this.skipBytes(8);
        return;
      case BINARY:
        this.skipBytes(this.size());
        return;
      case LIST:
      case SET: {
        const [n, t] = this.listHeader();
        for (let i = 0; i < n; i++) {
          // Booleans in a collection take one byte each.
          if (t === TRUE || t === FALSE) this.skipBytes(1);
          else this.skip(t, depth + 1);
        }
        return;
      }
      case MAP: {
        const n = this.size();
        if (n === 0) return;
        const kv = this.byte();
        for (let i = 0; i < n; i++) {
          this.skip(kv >> 4, depth + 1);
          this.skip(kv & 0x0f, depth + 1);
        }
        return;
      }
      case STRUCT:
        this.struct(depth + 1, () => false);
        return;
      default:
        throw new RangeError(`unknown type ${type}`);
    }
  }

  /** Walks a struct; `visit(id, type)` reads a field itself and returns true, or leaves it. */
  struct(depth: number, visit: (id: number, type: number) => boolean): void {
    let id = 0;
    for (;;) {
      const h = this.byte();
      const type = h & 0x0f;
      if (type === STOP) return;
      const delta = h >> 4;
      if (delta !== 0) id += delta;
      else {
        // A full field id: a zigzag varint i16.
        const z = this.size();
        id = (z >>> 1) ^ -(z & 1);
      }
      if (!visit(id, type)) this.skip(type, depth);
    }
  }
}

/** Per row group, whether every column chunk of `footer` (FileMetaData bytes) has an offset index. */
export function offsetIndexedGroups(footer: Uint8Array): boolean[] {
  const r = new Reader(footer);
  const groups: boolean[] = [];
  const list = (each: () => void): void => {
    const [n, t] = r.listHeader();
    if (t !== STRUCT) throw new RangeError(`expected a list of structs, got element type ${t}`);
    for (let i = 0; i < n; i++) each();
  };
  r.struct(0, (id, type) => {
    if (id !== 4 || type !== LIST) return false;
    list(() => {
      let all = true;
      r.struct(1, (cid, ctype) => {
        if (cid !== 1 || ctype !== LIST) return false;
        list(() => {
          let has = false;
          r.struct(2, (f) => {
            if (f === 4) has = true;
            return false;
          });
          all &&= has;
        });
        return true;
      });
      groups.push(all);
    });
    return true;
  });
  return groups;
}

/**
 * Per row group of the Parquet file at `path`, whether it has an offset index; undefined when the
 * footer cannot be read this way (the caller then assumes none).
 */
export function offsetIndexed(path: string): boolean[] | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    if (size < 12) return undefined;
    const tail = Buffer.alloc(8);
    readSync(fd, tail, 0, 8, size - 8);
    const len = tail.readUInt32LE(0);
    if (tail.toString('latin1', 4) !== 'PAR1' || len + 12 > size) return undefined;
    const footer = Buffer.alloc(len);
    readSync(fd, footer, 0, len, size - 8 - len);
    return offsetIndexedGroups(footer);
  } catch {
    // A footer this walker cannot follow: parquet-wasm has read it, so only the index is unknown.
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
