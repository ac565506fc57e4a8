// What a consumer typed, as something safe to search for (pure). `gtin:<digits>` looks one GTIN
// up; anything else is words for the FTS5 index. User text never reaches MATCH as written: FTS5
// gives meaning to `"`, `*`, `^`, `:`, `(`, `)`, `+`, `-`, AND, OR, NOT, NEAR …, so only runs of
// letters, digits and marks are kept, and each is sent as a quoted string, where FTS5 reads
// nothing as syntax. Everything else separates words, as it does in the index's own tokenizer.
import { normaliseGtin } from '../catalog/gtin';

/** More words than this narrows nothing in practice and only costs the index work. */
export const MAX_QUERY_WORDS = 10;

export type SearchQuery =
  | { kind: 'gtin'; gtin: string /** As logged: `gtin:<14 digits>`. */; normalised: string }
  | {
      kind: 'text';
      words: string[] /** The FTS5 expression: every word, quoted, all required. */;
      match: string;
      normalised: string;
    };

const WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;

export function parseSearchQuery(q: string): SearchQuery | { error: string } {
  const text = q.normalize('NFKC').trim();
  const gtinQuery = /^gtin:\s*(.*)$/i.exec(text);
  if (gtinQuery) {
    const result = normaliseGtin(gtinQuery[1]!.trim());
    return 'error' in result
      ? { error: result.error }
      : { kind: 'gtin', gtin: result.gtin, normalised: `gtin:${result.gtin}` };
  }
  const words = [...new Set(text.toLowerCase().match(WORD) ?? [])];
  if (words.length === 0) return { error: 'has no words to search for (letters or digits)' };
  if (words.length > MAX_QUERY_WORDS)
    return { error: `has ${words.length} words; at most ${MAX_QUERY_WORDS} are searched` };
  return { kind: 'text', words, match: words.map(quoteFtsString).join(' '), normalised: words.join(' ') };
}

/** An FTS5 string: inside double quotes nothing is an operator; a quote is written twice. */
export function quoteFtsString(word: string): string {
  return `"${word.replaceAll('"', '""')}"`;
}
