import { describe, expect, it } from 'vitest';
import { linkEntitiesOf, linkRowOf } from './link-csv';

const row = (cells: Record<string, string>) => linkRowOf(cells).item;

describe('link CSV rows', () => {
  it('reads a row as its anchor, description and one link', () => {
    expect(
      linkRowOf({
        anchor: '/01/09506000134352',
        item_description: 'Risotto',
        link_type: 'gs1:pip',
        href: 'https://a.example',
        title: 'Page',
        hreflang: 'en; fr',
        context: 'FR',
        media_type: 'text/html',
        default: 'TRUE',
        forward_query: 'false',
      }),
    ).toEqual({
      item: {
        anchor: '/01/09506000134352',
        item_description: 'Risotto',
        link: {
          link_type: 'gs1:pip',
          href: 'https://a.example',
          title: 'Page',
          media_type: 'text/html',
          hreflang: ['en', 'fr'],
          context: ['FR'],
          default: true,
          forward_query: false,
        },
      },
      problems: [],
    });
  });

  it.each([
    ['default', 'yes', 'Must be true or false'],
    ['forward_query', '1', 'Must be true or false'],
    ['hreflang', '[en', 'A cell starting with "[" must be a JSON array'],
  ])('cannot read %s from %j', (column, cell, message) => {
    expect(linkRowOf({ anchor: '/01/1', [column]: cell }).problems).toEqual([{ column, message }]);
  });

  it('groups rows by anchor in first-seen order, trailing slashes aside', () => {
    const rows = [
      row({ anchor: '/01/1', item_description: 'A', href: 'h1' }),
      row({ anchor: '/01/2', item_description: 'B', href: 'h2' }),
      row({ anchor: '/01/1/', item_description: 'A', href: 'h3' }),
    ];
    const { body, problems, locate } = linkEntitiesOf(rows);
    expect(body).toEqual({
      entries: [
        { anchor: '/01/1', item_description: 'A', links: [{ href: 'h1' }, { href: 'h3' }] },
        { anchor: '/01/2', item_description: 'B', links: [{ href: 'h2' }] },
      ],
    });
    expect(problems).toEqual([]);
    expect(locate(['entries', 0, 'links', 1, 'href'])).toEqual({ index: 2, column: 'href' });
    expect(locate(['entries', 0, 'links', 1, 'hreflang', 0])).toEqual({ index: 2, column: 'hreflang' });
    expect(locate(['entries', 1, 'links', 0])).toEqual({ index: 1, column: 'link_type' });
    expect(locate(['entries', 1, 'item_description'])).toEqual({ index: 1, column: 'item_description' });
    expect(locate(['entries', 0, 'links'])).toEqual({ index: 0, column: 'anchor' });
    expect(locate(['entries', 0, 'anchor'])).toEqual({ index: 0, column: 'anchor' });
    expect(locate(['entries', 5, 'anchor'])).toBeUndefined();
    expect(locate(['entries'])).toBeUndefined();
  });

  it('reports a row whose item_description differs from its entity’s, an empty one too', () => {
    const { problems } = linkEntitiesOf([
      row({ anchor: '/01/1', item_description: 'A' }),
      row({ anchor: '/01/1', item_description: 'B' }),
      row({ anchor: '/01/1' }),
      row({ anchor: '/01/1', item_description: 'A' }),
    ]);
    expect(problems?.map((p) => [p.index, p.column])).toEqual([
      [1, 'item_description'],
      [2, 'item_description'],
    ]);
    expect(problems?.[0]?.message).toContain('(item 0)');
  });

  it('reports the first row past the entity cap', () => {
    const rows = ['/01/1', '/01/2', '/01/1', '/01/3', '/01/4'].map((anchor) => row({ anchor }));
    expect(linkEntitiesOf(rows, 2).problems).toEqual([
      { index: 3, column: 'anchor', message: 'At most 2 anchors per request; split larger imports' },
    ]);
  });
});
