import { describe, expect, it } from 'vitest';
import { COMPLETENESS_WEIGHTS, completenessBand, completenessScore } from './completeness-score';
import { PRODUCT_FIELD_NAMES, type ProductFields } from './product-fields';

const sure = <V>(value: V, confidence = 1) => ({ value, source: 'brand' as const, confidence });

const FULL: ProductFields = {
  name: sure('Dal Giardino Risotto Rice with Mushrooms'),
  brand: sure('Dal Giardino'),
  description: sure('Arborio rice with porcini mushrooms.'),
  category: sure('Rice'),
  images: sure(['https://example.com/risotto.jpg']),
  net_content: sure({ value: 411, unit: 'g' as const }),
  country_of_origin: sure('IT'),
  ingredients: sure('Arborio rice, dried porcini'),
  allergens: sure([]),
  nutrition: sure({ basis: '100g', energy_kcal: 354 }),
  certifications: sure([]),
};

describe('completenessScore', () => {
  it('weights sum to 100 and cover every field', () => {
    expect(Object.values(COMPLETENESS_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
    expect(Object.keys(COMPLETENESS_WEIGHTS).sort()).toEqual([...PRODUCT_FIELD_NAMES].sort());
  });

  it('scores a complete, confirmed product 100 / excellent with nothing to do', () => {
    expect(completenessScore(FULL)).toEqual({ score: 100, band: 'excellent', recommendations: [] });
  });

  it('scores an empty product 0 / poor and lists every field, heaviest first', () => {
    const result = completenessScore({});
    expect(result.score).toBe(0);
    expect(result.band).toBe('poor');
    expect(result.recommendations.map((r) => r.field)).toEqual([
      'name',
      'images',
      'brand',
      'description',
      'category',
      'net_content',
      'ingredients',
      'country_of_origin',
      'allergens',
      'nutrition',
      'certifications',
    ]);
    expect(result.recommendations[0]).toEqual({
      field: 'name',
      issue: 'missing',
      message: 'Add the product name',
      points: 15,
    });
  });

  it('counts a field by its confidence and recommends confirming weak ones', () => {
    const result = completenessScore({
      ...FULL,
      description: { value: 'guess', source: 'import', confidence: 0.4 },
    });
    expect(result.score).toBe(94); // 100 − 10 × 0.6
    expect(result.recommendations).toEqual([
      {
        field: 'description',
        issue: 'low_confidence',
        message: 'Confirm the description: confidence 0.4 from import',
        points: 6,
      },
    ]);
  });

  it('does not list fields at or above the weak-confidence threshold', () => {
    const result = completenessScore({ ...FULL, name: sure('Risotto', 0.7) });
    expect(result.score).toBe(96); // 100 − 15 × 0.3 = 95.5, rounded half up
    expect(result.recommendations).toEqual([]);
  });

  it('counts an empty allergen list as a declaration', () => {
    const { allergens: _, ...withoutAllergens } = FULL;
    expect(completenessScore(withoutAllergens).score).toBe(95);
    expect(completenessScore(FULL).score).toBe(100);
  });
});

describe('completenessBand', () => {
  it.each([
    [100, 'excellent'],
    [90, 'excellent'],
    [89, 'good'],
    [70, 'good'],
    [69, 'needs_attention'],
    [50, 'needs_attention'],
    [49, 'poor'],
    [0, 'poor'],
  ] as const)('%i is %s', (score, band) => {
    expect(completenessBand(score)).toBe(band);
  });
});
