// Completeness: products per band and the weakest products with what would improve them
// (GET /v1/analytics/completeness), and the completeness report export.
import { api, type ResponseOf } from '../api';
import { el } from '../dom';
import { formatDecimal, formatNumber } from '../format';
import type { Page, PageContext } from '../page';
import { empty, exportButton, load, section, table } from '../widgets';

type Completeness = ResponseOf<'/v1/analytics/completeness'>;

const BANDS: Record<string, string> = {
  excellent: 'Excellent (90–100)',
  good: 'Good (70–89)',
  needs_attention: 'Needs attention (50–69)',
  poor: 'Poor (below 50)',
};
const bandName = (band: string) => (BANDS[band] ?? band).replace(/ \(.*/, '');
/** Recommendations shown per product; the export has them all. */
const SHOWN = 3;

function distribution(c: Completeness): HTMLElement {
  const total = c.distribution.reduce((a, d) => a + d.products, 0);
  return el(
    'ul',
    { class: 'bands' },
    ...c.distribution.map((d) => {
      const fill = el('span', { class: `fill band-${d.band}` });
      fill.style.width = `${total ? ((d.products / total) * 100).toFixed(1) : 0}%`;
      return el(
        'li',
        { 'data-band': d.band },
        el('span', { class: 'band-name' }, BANDS[d.band] ?? d.band),
        el('span', { class: 'bar', 'aria-hidden': 'true' }, fill),
        el(
          'span',
          { class: 'band-count' },
          `${formatNumber(d.products)} ${d.products === 1 ? 'product' : 'products'}`,
        ),
      );
    }),
  );
}

export const completenessPage: Page = {
  title: 'Completeness',
  render(main: HTMLElement, { signal }: PageContext) {
    const target = el('div');
    main.append(
      el(
        'p',
        { class: 'lede' },
        'How complete each product’s data is (0–100, from weighted key fields and their confidence), and what would raise it most.',
      ),
      target,
      section(
        'Export',
        el('p', {}, 'Every product with its score, band and all recommendations.'),
        exportButton('Export completeness report (CSV)', '/v1/exports/completeness.csv', () => ({})),
      ),
    );
    void load(
      target,
      'completeness',
      () => api<Completeness>('/v1/analytics/completeness', { query: { limit: 100 }, signal }),
      (c) => [
        section('Products per band', distribution(c)),
        section(
          'Products, weakest first',
          c.products.length === 0
            ? empty('No products in the catalog yet.')
            : table(
                'Completeness per product',
                [
                  {
                    label: 'Product',
                    cell: (p) =>
                      el(
                        'span',
                        {},
                        p.name ?? 'Unnamed product',
                        el('br'),
                        el('small', { class: 'gtin' }, p.gtin),
                      ),
                  },
                  { label: 'Score', cell: (p) => formatDecimal(p.score), numeric: true },
                  {
                    label: 'Band',
                    cell: (p) => el('span', { class: `badge band-${p.band}` }, bandName(p.band)),
                  },
                  {
                    label: 'What would help most',
                    cell: (p) =>
                      p.recommendations.length === 0
                        ? 'Nothing: every field is there and confirmed.'
                        : el(
                            'ul',
                            { class: 'recommendations' },
                            ...p.recommendations.slice(0, SHOWN).map((r) =>
                              el(
                                'li',
                                {},
                                // To the product's page with the field that fixes it focused.
                                el(
                                  'a',
                                  {
                                    href: `#/products?${new URLSearchParams({ gtin: p.gtin, field: r.field })}`,
                                  },
                                  r.message,
                                ),
                                ` (+${formatDecimal(r.points)})`,
                              ),
                            ),
                            p.recommendations.length > SHOWN
                              ? el('li', { class: 'more' }, `and ${p.recommendations.length - SHOWN} more`)
                              : null,
                          ),
                  },
                ],
                c.products,
              ),
        ),
      ],
    );
  },
};
