// GS1 Digital Link: parsing, validation, element strings and URI generation. Pure code (no I/O),
// after the GS1 Syntax Engine (gs1/gs1-syntax-engine) and its Syntax Dictionary.

export {
  type AiComponent,
  type AiEntry,
  allAis,
  type CharacterSet,
  formatSpecification,
  isPrimaryKey,
  lookupAi,
} from './ai-table';
export { computeCheckDigit, hasValidCheckDigit, withCheckDigit } from './check-digit';
export {
  type CompressOptions,
  type CompressOutcome,
  compressDigitalLinkUri,
  compressElements,
} from './compress-digital-link';
export {
  type DecompressOutcome,
  decompressDigitalLinkPath,
  decompressSegment,
  looksCompressed,
} from './decompress-digital-link';
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
  type GenerateOptions,
  generateDigitalLinkUri,
} from './generate-digital-link';
export { isValidPathSequence } from './key-qualifiers';
export { parseDigitalLink, parseDigitalLinkPath } from './parse-digital-link';
export { escapeUriComponent, type UriComponentKind, unescapeUriComponent } from './percent-encoding';
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
