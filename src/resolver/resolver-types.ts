// What the resolver holds in memory for one entity (one identification level) and its links.
export interface ResolverLink {
  id: string;
  linkType: string;
  href: string;
  title: string;
  hreflang: string[];
  context: string[];
  mediaType: string | null;
  isDefault: boolean;
  forwardQuery: boolean;
}

export interface ResolverEntity {
  id: string;
  orgId: string;
  keyAi: string;
  keyValue: string;
  qualifierPath: string;
  /** The path as the brand wrote it, with wildcard names (`/10/{lotnumber}`). */
  qualifierTemplate: string;
  /** Its named wildcards, parsed once when the entity is read: `[['10', 'lotnumber']]`. */
  wildcards: readonly [ai: string, name: string][];
  itemDescription: string;
  links: ResolverLink[];
}
