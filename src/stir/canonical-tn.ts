// RFC 8224 §8.3: compare telephone numbers in canonical form: no visual separators, no leading '+',
// country code first. Accepts "+1 215-555-1212", "tel:+12155551212" and "sip:+12155551212@host;user=phone".
export function canonicaliseTn(value: string): string {
  let text = value.trim();
  const scheme = /^(?:tel|sips?):/i.exec(text);
  if (scheme) {
    text = text.slice(scheme[0].length);
    text = text.split(/[@;?]/, 1)[0] ?? '';
  }
  return text.replace(/[\s().\-+]/g, '');
}
