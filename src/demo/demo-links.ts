// GS1's Resolver CE sample records (the "Dal Giardino" products and assets) as links-API entries,
// so a fresh `npm start` — and the resolver tests — can try every GS1 behaviour on real data.
import gtin4352 from './data/test_01_09506000134352.json' with { type: 'json' };
import gtin4376 from './data/test_01_09506000134376.json' with { type: 'json' };
import giaiVariable from './data/test_8004_095060001343.json' with { type: 'json' };
import giaiFixed from './data/test_8004_0950600013430000001.json' with { type: 'json' };

interface CeLink {
  linktype: string;
  href: string;
  title: string;
  type?: string;
  hreflang?: string[];
  context?: string[];
}

interface CeRecord {
  anchor: string;
  itemDescription: string;
  defaultLinktype: string;
  qualifiers?: Record<string, string>[];
  links: CeLink[];
}

export interface DemoEntityInput {
  anchor: string;
  item_description: string;
  links: {
    link_type: string;
    href: string;
    title: string;
    media_type?: string;
    hreflang?: string[];
    context?: string[];
    default?: boolean;
  }[];
}

/** CE marks a default link *type*; the first link of that type becomes the entity's default link. */
export function ceRecordToEntity(record: CeRecord): DemoEntityInput {
  const qualifierPath = (record.qualifiers ?? [])
    .map((q) =>
      Object.entries(q)
        .map(([ai, v]) => `/${ai}/${v}`)
        .join(''),
    )
    .join('');
  const defaultIndex = Math.max(
    0,
    record.links.findIndex((l) => l.linktype === record.defaultLinktype),
  );
  return {
    anchor: `${record.anchor}${qualifierPath}`,
    item_description: record.itemDescription,
    links: record.links.map((l, i) => ({
      link_type: l.linktype,
      href: l.href,
      title: l.title,
      ...(l.type ? { media_type: l.type } : {}),
      ...(l.hreflang ? { hreflang: l.hreflang } : {}),
      ...(l.context ? { context: l.context } : {}),
      default: i === defaultIndex,
    })),
  };
}

const records: CeRecord[] = [
  gtin4352 as CeRecord,
  ...(gtin4376 as CeRecord[]),
  giaiVariable as CeRecord,
  giaiFixed as CeRecord,
];

export const DEMO_LINK_ENTITIES: DemoEntityInput[] = records.map(ceRecordToEntity);
