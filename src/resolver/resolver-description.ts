// `/.well-known/gs1resolver`: the resolver description file (GS1-Conformant Resolver standard),
// in the shape GS1 Resolver CE publishes (see resolver-ce-samples/gs1resolver.json).
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
    linkTypeDefaultCanBeLinkset: true,
    linkTypeDefaultCanBeAll: true,
    supportsLanguageVariants: true,
    supportsSemanticInterpretation: false,
    validatesAIcombinations: true,
    activeLinkTypes: {
      en: Object.fromEntries(
        vocabulary.map((t) => [t.curie, { title: t.title, description: t.description, url: t.uri }]),
      ),
    },
  };
}
