import { CallshieldError } from '../errors.js';
import { readDerChildren, readDerNode, readDerString } from './der.js';

/** id-pe-TNAuthList, RFC 8226 §9. */
export const TN_AUTH_LIST_OID = '1.3.6.1.5.5.7.1.26';

// RFC 8226 §9:
//   TNAuthorizationList ::= SEQUENCE SIZE (1..MAX) OF TNEntry
//   TNEntry ::= CHOICE { spc [0] ServiceProviderCode, range [1] TelephoneNumberRange, one [2] TelephoneNumber }
//   ServiceProviderCode ::= IA5String ; TelephoneNumber ::= IA5String
// The module uses EXPLICIT tags, so SPC "1234" is 30 08 A0 06 16 04 31 32 33 34.
export type TnEntry =
  | { type: 'spc'; spc: string }
  | { type: 'range'; start: string; count: number }
  | { type: 'one'; tn: string };

// X.690 §8.1.3.5 long form: as many length bytes as the length needs (the two-byte form alone wrote
// a wrong length, modulo 65536, for longer contents).
function tlv(tag: number, content: Uint8Array): Buffer {
  const len = content.length;
  const bytes: number[] = [];
  for (let v = len; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  const header = len < 0x80 ? [tag, len] : [tag, 0x80 | bytes.length, ...bytes];
  return Buffer.concat([Buffer.from(header), content]);
}

function ia5(text: string): Buffer {
  if (!/^[\x00-\x7f]*$/.test(text)) {
    throw new CallshieldError('STIR_INVALID_REQUEST', 'TNAuthList values must be IA5 (ASCII) strings', { field: 'spc' });
  }
  return tlv(0x16, Buffer.from(text, 'latin1'));
}

function integer(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if ((bytes[0] as number) & 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}

export function encodeTnAuthList(entries: readonly TnEntry[]): Buffer {
  const encoded = entries.map((e) => {
    if (e.type === 'spc') return tlv(0xa0, ia5(e.spc));
    if (e.type === 'one') return tlv(0xa2, ia5(e.tn));
    return tlv(0xa1, tlv(0x30, Buffer.concat([ia5(e.start), integer(e.count)])));
  });
  return tlv(0x30, Buffer.concat(encoded));
}

export function decodeTnAuthList(der: Uint8Array): TnEntry[] {
  const root = readDerNode(der, 0);
  if (root.tag !== 0x30 || root.end !== der.length) {
    throw new CallshieldError('STIR_INVALID_CERTIFICATE', 'TNAuthList is not a DER SEQUENCE', { field: 'certificate' });
  }
  return readDerChildren(der, root).map((entry): TnEntry => {
    const inner = readDerNode(der, entry.start, entry.end);
    if (entry.tag === 0xa0 && inner.tag === 0x16) return { type: 'spc', spc: readDerString(der, inner) };
    if (entry.tag === 0xa2 && inner.tag === 0x16) return { type: 'one', tn: readDerString(der, inner) };
    if (entry.tag === 0xa1 && inner.tag === 0x30) {
      const [start, count] = readDerChildren(der, inner);
      if (start?.tag === 0x16 && count?.tag === 0x02) {
        let n = 0;
        for (let i = count.start; i < count.end; i++) n = n * 256 + (der[i] as number);
        return { type: 'range', start: readDerString(der, start), count: n };
      }
    }
    throw new CallshieldError('STIR_INVALID_CERTIFICATE', 'TNAuthList has an entry of unknown shape', { field: 'certificate' });
  });
}
