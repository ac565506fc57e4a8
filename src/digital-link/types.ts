// Public types of the Digital Link module. Everything here is plain data so that a parsed link
// can be logged, stored or sent over RPC as it is.

/** One Application Identifier with its value, e.g. { ai: '01', value: '09506000134352' }. */
export interface AiValue {
  ai: string;
  value: string;
}

export interface DigitalLink {
  /** The primary key; a GTIN is always 14 digits. */
  primaryKey: AiValue;
  /** Key qualifiers in path order, e.g. (22), (10), (21). */
  qualifiers: AiValue[];
  /** Data attributes from the query string (AIs only, validated), in URI order. */
  attributes: AiValue[];
  /** Reserved query parameter `linkType` (first occurrence), decoded. */
  linkType?: string;
  /** Reserved query parameter `context` (first occurrence), decoded. */
  context?: string;
  /** Other non-numeric query parameters in URI order, decoded; a bare `name` gives [name, '']. */
  extraParams: [string, string][];
  /** Path prefix before the primary key: '' or e.g. '/foo/bar'. */
  stem: string;
}

export type DigitalLinkErrorCode =
  | 'illegal_character'
  | 'invalid_scheme'
  | 'missing_domain_or_path'
  | 'illegal_domain_character'
  | 'no_primary_key'
  | 'empty_value'
  | 'null_character'
  | 'unknown_ai'
  | 'too_short'
  | 'too_long'
  | 'too_many_ais'
  | 'invalid_key_qualifier'
  | 'key_qualifier_order'
  | 'duplicate_ai'
  | 'not_a_data_attribute'
  | 'belongs_in_path'
  | 'invalid_character'
  | 'invalid_check_digit'
  | 'invalid_date'
  | 'invalid_time'
  | 'invalid_value'
  | 'mutually_exclusive_ais'
  | 'missing_required_ai'
  | 'conflicting_values'
  | 'missing_serial'
  | 'invalid_element_string'
  | 'no_primary_key_in_data'
  | 'invalid_compressed_link'
  | 'not_compressible';

export interface DigitalLinkError {
  code: DigitalLinkErrorCode;
  /** Plain English: what is wrong and where, e.g. "check digit of (01) should be 2, got 3". */
  message: string;
  /** The AI the error is about, when there is one. */
  ai?: string;
  /** 0-based position of the offending character within that AI's (decoded) value. */
  position?: number;
}

export type ParseOutcome = { ok: true; link: DigitalLink } | { ok: false; error: DigitalLinkError };

export type ElementsOutcome = { ok: true; elements: AiValue[] } | { ok: false; error: DigitalLinkError };

export type GenerateOutcome = { ok: true; uri: string } | { ok: false; error: DigitalLinkError };

/** Options that change which AIs and values are accepted. All default to the GS1 Syntax Engine's defaults. */
export interface ValidationOptions {
  /**
   * Accept numeric AIs that are not in the dictionary (engine option permitUnknownAIs). Default false.
   * They are still refused as query-string data attributes unless `permitUnknownAIsAsAttributes`.
   */
  permitUnknownAIs?: boolean;
  /**
   * With `permitUnknownAIs`, also accept unknown AIs as data attributes (engine validation
   * vUNKNOWN_AI_NOT_DL_ATTR disabled). Default false.
   */
  permitUnknownAIsAsAttributes?: boolean;
  /**
   * Check the dictionary's mandatory associations ("req"), e.g. (3922) needs a (31nn) measure
   * (engine option validateAIassociations). Default true. Mutually exclusive pairs ("ex") are
   * always checked, as in the engine.
   */
  validateAIAssociations?: boolean;
}

export interface ParseOptions extends ValidationOptions {
  /** Accept GTIN-8/12/13 as (01) and pad to 14 digits (engine permitZeroSuppressedGTINinDLuris). Default false. */
  permitZeroSuppressedGTIN?: boolean;
  /** Accept one trailing "/" after the last path value. Default false (the engine rejects it). */
  permitTrailingSlash?: boolean;
  /** Accept the deprecated convenience alphas such as /gtin/ for /01/ in the path. Default false. */
  permitConvenienceAlphas?: boolean;
}
