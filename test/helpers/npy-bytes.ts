// .npy bytes as numpy writes them (NEP 1): the header dict padded with spaces to a 64-byte
// boundary, then the values in C order in the given dtype and byte order.
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/** Options of `npyBytes`: header version, fortran_order text, and a replacement header dict. */
export interface NpyBytesOptions {
  major?: number;
  fortran?: string;
  header?: string;
}

/** Encodes `values` as a `.npy` of dtype `descr` (e.g. '<f4', '>i2', '|u1') and `shape`. */
export function npyBytes(
  descr: string,
  shape: readonly number[],
  values: ArrayLike<number>,
  { major = 1, fortran = 'False', header }: NpyBytesOptions = {},
): Uint8Array {
  const lenSize = major === 1 ? 2 : 4;
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let h = header ?? `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${tuple}, }`;
  h += ' '.repeat((64 - ((8 + lenSize + h.length + 1) % 64)) % 64) + '\n';
  const le = descr[0] !== '>';
  const kind = descr.slice(1);
  const size = Number(kind.slice(1));
  const out = new Uint8Array(8 + lenSize + h.length + values.length * size);
  out.set([...MAGIC, major, 0]);
  const v = new DataView(out.buffer);
  if (major === 1) v.setUint16(8, h.length, true);
  else v.setUint32(8, h.length, true);
  out.set(Buffer.from(h, major === 3 ? 'utf8' : 'latin1'), 8 + lenSize);
  const o = 8 + lenSize + h.length;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    const p = o + i * size;
    switch (kind) {
      case 'f4':
        v.setFloat32(p, x, le);
        break;
      case 'f8':
        v.setFloat64(p, x, le);
        break;
      case 'u1':
      case 'b1':
        v.setUint8(p, x);
        break;
      case 'i1':
        v.setInt8(p, x);
        break;
      case 'i2':
        v.setInt16(p, x, le);
        break;
      case 'u2':
        v.setUint16(p, x, le);
        break;
      case 'i4':
        v.setInt32(p, x, le);
        break;
      case 'u4':
        v.setUint32(p, x, le);
        break;
      case 'i8':
        v.setBigInt64(p, BigInt(x), le);
        break;
      case 'u8':
        v.setBigUint64(p, BigInt(x), le);
        break;
      default:
        throw new Error(`npyBytes: no encoder for ${descr}`);
    }
  }
  return out;
}
