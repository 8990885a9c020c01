// JSON with object members sorted by key and no whitespace: the PASSporT serialisation of RFC 8225 §9
// ("lexicographic order", no line breaks or white space). Every peer we checked (secsipid, vermouth,
// libstirshaken) emits exactly this, and RFC 8225 App. A's strings are built this way.
export function serialiseCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError('value is not serialisable as JSON');
    return text;
  }
  if (Array.isArray(value)) return `[${value.map((v) => serialiseCanonicalJson(v)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${serialiseCanonicalJson(record[k])}`).join(',')}}`;
}
