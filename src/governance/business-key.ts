// Business names are matched case- and space-insensitively ("ACME  Insurance" = "acme insurance"),
// so a consent recorded under one spelling is found under another.
export function businessKeyOf(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
}
