/** The i-th seeded caller of the start-up benchmark: valid North American numbers, all distinct. */
export function seedNumber(i: number): string {
  const area = 201 + Math.floor(i / 8_000_000);
  return `+1${area}${String(2_000_000 + (i % 8_000_000)).padStart(7, '0')}`;
}
