// Product completeness (PRODUCT.md C4): a pure score 0–100 from weighted key fields and the
// confidence of each, its band, and what to fix first. Import-free apart from types and a
// `.ts`-suffixed sibling, so the demo seed (Node) computes the same scores the API stores.
import { PRODUCT_FIELD_NAMES, type ProductFieldName, type ProductFields } from './product-fields.ts';

/**
 * Points per field; they sum to 100. What a shopper and a search engine need first weighs most:
 * the name and images identify the product, brand / description / category / net content and
 * ingredients describe it, the rest completes it. Documented in README.md ("Catalog and inventory").
 */
export const COMPLETENESS_WEIGHTS: Readonly<Record<ProductFieldName, number>> = {
  name: 15,
  images: 15,
  brand: 10,
  description: 10,
  category: 10,
  net_content: 10,
  ingredients: 10,
  country_of_origin: 5,
  allergens: 5,
  nutrition: 5,
  certifications: 5,
};

/** Below this confidence a filled-in field is listed as a recommendation to confirm. */
export const WEAK_CONFIDENCE = 0.7;

export const COMPLETENESS_BANDS = ['excellent', 'good', 'needs_attention', 'poor'] as const;
export type CompletenessBand = (typeof COMPLETENESS_BANDS)[number];

export interface CompletenessRecommendation {
  field: ProductFieldName;
  issue: 'missing' | 'low_confidence';
  message: string;
  /** Points the score would gain if this were fixed. */
  points: number;
}

export interface Completeness {
  score: number;
  band: CompletenessBand;
  /** Biggest gain first. */
  recommendations: CompletenessRecommendation[];
}

const LABELS: Record<ProductFieldName, string> = {
  name: 'product name',
  brand: 'brand',
  description: 'description',
  category: 'category',
  images: 'product images',
  net_content: 'net content',
  country_of_origin: 'country of origin',
  ingredients: 'ingredients',
  allergens: 'allergen declaration',
  nutrition: 'nutrition facts',
  certifications: 'certifications',
};

/** Bands as PRODUCT.md C4 defines them: 90–100, 70–89, 50–69, below 50. */
export function completenessBand(score: number): CompletenessBand {
  if (score >= 90) return 'excellent';
  if (score >= 70) return 'good';
  if (score >= 50) return 'needs_attention';
  return 'poor';
}

const oneDecimal = (n: number) => Math.round(n * 10) / 10;

export function completenessScore(fields: ProductFields): Completeness {
  let total = 0;
  const recommendations: CompletenessRecommendation[] = [];
  for (const name of PRODUCT_FIELD_NAMES) {
    const weight = COMPLETENESS_WEIGHTS[name];
    const field = fields[name];
    if (!field) {
      recommendations.push({
        field: name,
        issue: 'missing',
        message: `Add the ${LABELS[name]}`,
        points: weight,
      });
      continue;
    }
    const confidence = Math.min(1, Math.max(0, field.confidence));
    total += weight * confidence;
    if (confidence < WEAK_CONFIDENCE) {
      recommendations.push({
        field: name,
        issue: 'low_confidence',
        message: `Confirm the ${LABELS[name]}: confidence ${confidence} from ${field.source}`,
        points: oneDecimal(weight * (1 - confidence)),
      });
    }
  }
  // The epsilon absorbs float error (15 × 0.9 + … may sum to 89.4999…) so x.5 rounds up as written.
  const score = Math.round(total + 1e-9);
  recommendations.sort((a, b) => b.points - a.points); // stable: ties keep the field order
  return { score, band: completenessBand(score), recommendations };
}
