// The content fields of a product (PRODUCT.md C4). Each one is stored with where it came from and
// how sure that source is, because a completeness score that trusts a guessed description as much
// as one the brand typed in would flatter the catalog. Import-free: the demo seed (Node) loads it.

export const PRODUCT_FIELD_NAMES = [
  'name',
  'brand',
  'description',
  'category',
  'images',
  'net_content',
  'country_of_origin',
  'ingredients',
  'allergens',
  'nutrition',
  'certifications',
] as const;
export type ProductFieldName = (typeof PRODUCT_FIELD_NAMES)[number];

/** Who supplied a value: the brand itself, a file import, a store's POS, GS1's registry, a retailer. */
export const FIELD_SOURCES = ['brand', 'import', 'pos_sync', 'gs1_registry', 'retailer'] as const;
export type FieldSource = (typeof FIELD_SOURCES)[number];

export const NET_CONTENT_UNITS = ['mg', 'g', 'kg', 'ml', 'cl', 'l', 'oz', 'lb', 'fl_oz', 'count'] as const;

export interface ProductFieldValues {
  name: string;
  brand: string;
  description: string;
  category: string;
  /** https URLs, first is the main image. */
  images: string[];
  net_content: { value: number; unit: (typeof NET_CONTENT_UNITS)[number] };
  /** ISO 3166-1 alpha-2. */
  country_of_origin: string;
  ingredients: string;
  /** An empty list is a declaration ("no allergens"), so it counts as filled in. */
  allergens: string[];
  /** Per-basis nutrient values, e.g. `{"basis":"100g","energy_kcal":354,"fat_g":1.1}`. */
  nutrition: Record<string, number | string>;
  certifications: string[];
}

export interface ProductField<V> {
  value: V;
  source: FieldSource;
  /** 0–1: how sure the source is of the value. */
  confidence: number;
}

export type ProductFields = { [K in ProductFieldName]?: ProductField<ProductFieldValues[K]> };
