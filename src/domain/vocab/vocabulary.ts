/** A code-list entry: its IRI, short code and labels. */
export interface Concept {
  code: string;
  iri: string;
  label: { de: string; en: string };
}

/**
 * A controlled vocabulary with lookups built once. `resolve` accepts what
 * people and real catalogs write: the IRI, the code in any case, or an alias.
 */
export class Vocabulary<C extends Concept = Concept> {
  readonly scheme: string;
  private readonly iris = new Map<string, C>();
  private readonly keys = new Map<string, C>();

  constructor(
    readonly name: string,
    readonly base: string,
    readonly concepts: readonly C[],
    aliases: Record<string, string> = {},
    scheme?: string,
  ) {
    this.scheme = scheme ?? base.replace(/\/+$/, '');
    for (const c of concepts) {
      this.iris.set(c.iri, c);
      this.keys.set(c.code.toLowerCase(), c);
    }
    for (const [alias, code] of Object.entries(aliases)) {
      const c = this.keys.get(code.toLowerCase()) ?? this.iris.get(code);
      if (!c) throw new Error(`${name}: alias ${alias} points to unknown ${code}`);
      this.keys.set(alias.toLowerCase(), c);
    }
  }

  byIri(iri: string): C | undefined {
    return this.iris.get(iri);
  }

  byCode(code: string): C | undefined {
    return this.keys.get(code.toLowerCase());
  }

  has(iri: string): boolean {
    return this.iris.has(iri);
  }

  resolve(value: string): C | undefined {
    const v = value.trim();
    return this.iris.get(v) ?? this.iris.get(v.replace(/^https:/, 'http:')) ?? this.keys.get(v.toLowerCase());
  }
}

/** Concepts whose IRI is base + code. */
export function table(base: string, rows: readonly (readonly [code: string, de: string, en: string])[]): Concept[] {
  return rows.map(([code, de, en]) => ({ code, iri: base + code, label: { de, en } }));
}
