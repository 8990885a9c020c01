/** Disjoint sets of names (callers), with path compression: the components campaign grouping builds. */
export class UnionFind {
  private readonly parent = new Map<string, string>();

  rootOf(x: string): string {
    if (!this.parent.has(x)) this.parent.set(x, x);
    let r = x;
    while (this.parent.get(r) !== r) r = this.parent.get(r)!;
    while (x !== r) {
      const next = this.parent.get(x)!;
      this.parent.set(x, r);
      x = next;
    }
    return r;
  }

  /** Joins the sets of a and b; false when they were one set already. */
  union(a: string, b: string): boolean {
    const ra = this.rootOf(a);
    const rb = this.rootOf(b);
    if (ra === rb) return false;
    this.parent.set(ra, rb);
    return true;
  }
}
