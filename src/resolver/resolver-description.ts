// `/.well-known/gs1resolver`: the resolver description file (GS1-Conformant Resolver standard
// 1.2), with the fields GS1 Resolver CE publishes (see resolver-ce-samples/gs1resolver.json).
// Every statement is one the resolver keeps: test/resolver/resolver-description.test.ts checks
// each against its behaviour.
import { allAis, isPrimaryKey } from '../digital-link';
import vocabulary from '../digital-link/data/gs1-link-types.json';

export function describeResolver(resolverRoot: string) {
  return {
    name: 'Digital Link Edge',
    resolverRoot,
    supportedLinkType: [{ namespace: 'https://gs1.org/voc/', prefix: 'gs1:' }],
    supportedPrimaryKeys: allAis()
      .filter((entry) => isPrimaryKey(entry.ai))
      .map((entry) => entry.ai),
    // `?linkType=linkset` and its older spelling `?linkType=all` both answer the linkset.
    linkTypeDefaultCanBeLinkset: true,
    linkTypeDefaultCanBeAll: true,
    supportsLanguageVariants: true,
    supportsSemanticInterpretation: false,
    // The resolver checks mutually exclusive AIs but not mandatory associations ("(3922) needs a
    // (30) or (31nn)"): one scan sees one carrier of an item, and the associations are judged
    // across all of them (request-link.ts). So it does not validate AI combinations in full.
    validatesAIcombinations: false,
    activeLinkTypes: {
      en: Object.fromEntries(
        vocabulary.map((t) => [t.curie, { title: t.title, description: t.description, url: t.uri }]),
      ),
    },
  };
}
