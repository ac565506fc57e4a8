// The GS1 link-type vocabulary for pickers (links, rule conditions): the same JSON the Worker
// validates against, plus the ratified terms missing from it (src/digital-link/link-types.ts).
import vocabulary from '../../src/digital-link/data/gs1-link-types.json';
import { GS1_LINK_TYPE_TERMS } from '../../src/digital-link/link-types';

export interface LinkTypeOption {
  /** As stored and in `?linkType=`: `gs1:pip`. */
  curie: string;
  title: string;
  description: string;
}

const described = new Map(vocabulary.map((entry) => [entry.curie, entry]));

/** Every GS1 link type, by title. */
export const LINK_TYPE_OPTIONS: readonly LinkTypeOption[] = [...GS1_LINK_TYPE_TERMS]
  .map((term) => {
    const curie = `gs1:${term}`;
    const entry = described.get(curie);
    return { curie, title: entry?.title ?? term, description: entry?.description ?? '' };
  })
  .sort((a, b) => a.title.localeCompare(b.title, 'en'));

/** `gs1:pip` → "Product information page"; a brand's own URI as it is. */
export const linkTypeTitle = (curie: string) =>
  LINK_TYPE_OPTIONS.find((o) => o.curie === curie)?.title ?? curie;
