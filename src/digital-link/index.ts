// GS1 Digital Link: parsing, validation, element strings and URI generation. Pure code (no I/O),
// after the GS1 Syntax Engine (gs1/gs1-syntax-engine) and its Syntax Dictionary.
export type {
  AiValue,
  DigitalLink,
  DigitalLinkError,
  DigitalLinkErrorCode,
  ElementsOutcome,
  GenerateOutcome,
  ParseOptions,
  ParseOutcome,
  ValidationOptions,
} from './types';
export { parseDigitalLink, parseDigitalLinkPath } from './parse-digital-link';
export {
  digitalLinkElements,
  digitalLinkToElementString,
  formatElementString,
  formatFnc1ElementString,
  parseElementString,
  parseFnc1ElementString,
  validateElements,
} from './element-string';
export {
  CANONICAL_STEM,
  digitalLinkToUri,
  elementStringToDigitalLinkUri,
  generateDigitalLinkUri,
  type GenerateOptions,
} from './generate-digital-link';
export { computeCheckDigit, hasValidCheckDigit, withCheckDigit } from './check-digit';
export { escapeUriComponent, unescapeUriComponent, type UriComponentKind } from './percent-encoding';
export {
  allAis,
  formatSpecification,
  isPrimaryKey,
  lookupAi,
  type AiComponent,
  type AiEntry,
  type CharacterSet,
} from './ai-table';
export { isValidPathSequence } from './key-qualifiers';
