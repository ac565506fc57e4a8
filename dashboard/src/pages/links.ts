// Links: the organisation's GS1 entities (a GTIN, or one of its lots or serials, wildcards allowed)
// with their links (GET/PUT/DELETE /v1/links), and each entity's linkset as the resolver serves it
// (POST /v1/resolver/preview with link_type "linkset": the resolver's answer, without a scan).
import { api, type RequestOf, type ResponseOf, type Schema } from '../api';
import { append, el, replace, safeHttpUrl, uid } from '../dom';
import { apiForm, confirmButton, type Field, field, optional, parseList, say } from '../forms';
import { LINK_TYPE_OPTIONS, linkTypeTitle } from '../link-types';
import { canWrite, type Page, type PageContext, readOnlyReason } from '../page';
import { empty, errorMessage, load, table } from '../widgets';

type Entity = Schema<'LinkEntity'>;
type Link = Entity['links'][number];
type EntityBody = RequestOf<'/v1/links', 'put'>;
type LinkBody = EntityBody['links'][number];

/** Pages of 100 until the list ends (the API's largest page). */
async function allEntities(signal: AbortSignal, gtin: string): Promise<Entity[]> {
  const entities: Entity[] = [];
  let after: string | undefined;
  do {
    const page = await api<ResponseOf<'/v1/links'>>('/v1/links', {
      query: { limit: 100, after, ...(gtin ? { key_ai: '01', key_value: gtin } : {}) },
      signal,
    });
    entities.push(...page.data);
    after = page.next_cursor ?? undefined;
  } while (after);
  return entities;
}

const bodyOf = (l: Link): LinkBody => ({
  link_type: l.link_type,
  href: l.href,
  title: l.title,
  hreflang: l.hreflang,
  context: l.context,
  ...(l.media_type ? { media_type: l.media_type } : {}),
  default: l.default,
  forward_query: l.forward_query,
});

const save = (entity: Pick<Entity, 'anchor' | 'item_description'>, links: LinkBody[]) =>
  api<Entity>('/v1/links', {
    method: 'PUT',
    body: {
      anchor: entity.anchor,
      item_description: entity.item_description ?? '',
      links,
    } satisfies EntityBody,
  });

const typeOptions = LINK_TYPE_OPTIONS.map((o) => ({ value: o.curie, label: o.title }));

/** The fields of one link, named after its place in the body (`links.2.href`). */
function linkFields(index: number, link?: Link): Field[] {
  const at = (name: string) => `links.${index}.${name}`;
  return [
    field({
      name: at('link_type'),
      label: 'Link type',
      kind: 'select',
      options: typeOptions,
      value: link?.link_type ?? 'gs1:pip',
    }),
    field({ name: at('title'), label: 'Title', value: link?.title, required: true }),
    field({
      name: at('href'),
      label: 'Target URL',
      kind: 'url',
      value: link?.href,
      required: true,
      placeholder: 'https://brand.example/product/{gtin}',
      hint: 'Placeholders such as {gtin}, {lot} or a wildcard’s name are filled from the scan.',
    }),
    field({
      name: at('hreflang'),
      label: 'Languages',
      value: link?.hreflang,
      hint: 'Language tags, comma-separated (en, fr-CA); empty for any language.',
    }),
    field({
      name: at('context'),
      label: 'Context',
      value: link?.context,
      hint: 'Optional, comma-separated (a region, a use: "US", "retail").',
    }),
    field({
      name: at('media_type'),
      label: 'Media type',
      value: link?.media_type,
      placeholder: 'text/html',
    }),
    field({ name: at('default'), label: 'Default link', kind: 'checkbox', value: link?.default ?? false }),
  ];
}

function linkBodyFrom(fields: Field[], keep?: Link): LinkBody {
  // linkFields names each field `links.<i>.<body field>`.
  const value = (name: keyof LinkBody) => fields.find((f) => f.name.endsWith(`.${name}`))!.value();
  return {
    link_type: String(value('link_type')),
    title: String(value('title')),
    href: String(value('href')),
    hreflang: parseList(value('hreflang')),
    context: parseList(value('context')),
    media_type: optional(value('media_type')),
    default: value('default') === true,
    forward_query: keep?.forward_query ?? true,
  };
}

/** With `chosen` as the one default, every other link not. */
const withDefault = (links: LinkBody[], chosen: number) =>
  links.map((l, i) => ({ ...l, default: i === chosen }));

/** `https://gs1.org/voc/pip` → "Product information page"; other relations as they are. */
function relationTitle(relation: string): string {
  const term = /^https:\/\/gs1\.org\/voc\/(.+)$/.exec(relation)?.[1];
  if (relation === 'https://gs1.org/voc/defaultLink') return 'Default link';
  return term ? linkTypeTitle(`gs1:${term}`) : relation;
}

/** A wildcard qualifier (`{lot}`) is previewed as a scan of this value. */
const EXAMPLE_VALUE = 'EXAMPLE';

function linksetPreview(entity: Entity): HTMLElement {
  const body = el('div', { class: 'linkset-body' });
  const wild = /\{[A-Za-z0-9_]*\}/.test(entity.anchor);
  const path = entity.anchor.replace(/\{[A-Za-z0-9_]*\}/g, EXAMPLE_VALUE);
  const preview = () =>
    load(
      body,
      'the linkset',
      () =>
        api<ResponseOf<'/v1/resolver/preview', 'post'>>('/v1/resolver/preview', {
          method: 'POST',
          body: { digital_link: path, link_type: 'linkset' },
        }),
      (answer) =>
        !answer.linkset
          ? empty(answer.message ?? 'The resolver serves no linkset for this entity.')
          : answer.linkset.map((level) =>
              el(
                'div',
                { class: 'linkset-level' },
                el('p', {}, el('code', {}, String(level.anchor))),
                el(
                  'ul',
                  { class: 'linkset-links' },
                  ...Object.entries(level)
                    .filter(([relation, value]) => relation.startsWith('http') && Array.isArray(value))
                    .flatMap(([relation, targets]) =>
                      (targets as { href: string; title: string; hreflang?: string[] }[]).map((t) =>
                        el(
                          'li',
                          {},
                          el('strong', {}, relationTitle(relation)),
                          ': ',
                          t.title,
                          ' → ',
                          el('span', { class: 'href' }, t.href),
                          t.hreflang ? ` (${t.hreflang.join(', ')})` : '',
                        ),
                      ),
                    ),
                ),
              ),
            ),
    );
  const button = el('button', { type: 'button', class: 'secondary small' }, 'Preview again');
  button.addEventListener('click', () => void preview());
  let opened = false;
  const details = el(
    'details',
    { class: 'linkset-preview' },
    el('summary', {}, 'Linkset as the resolver serves it'),
    wild ? el('p', { class: 'hint' }, `Wildcards are shown as a scan of “${EXAMPLE_VALUE}”.`) : null,
    button,
    body,
  );
  details.addEventListener('toggle', () => {
    if (details.open && !opened) void preview();
    opened = true;
  });
  return details;
}

/** `reload(said)`: draws the list again and announces `said` above it. */
function entityPanel(entity: Entity, writable: boolean, reload: (said: string) => void): HTMLElement {
  const headingId = uid('entity');
  const status = el('p', { class: 'group-status', role: 'status' });
  const editor = el('div', { class: 'link-editor' });
  const report = (message: string, error = false) => say(status, message, error);
  const bodies = () => entity.links.map(bodyOf);

  const replaceLinks = async (links: LinkBody[], done: string) => {
    report('Saving…');
    try {
      await save(entity, links);
      reload(done);
    } catch (error) {
      report(errorMessage(error), true);
    }
  };

  const openEditor = (index: number) => {
    const current = entity.links[index];
    const fields = linkFields(index, current);
    const cancel = el('button', { type: 'button', class: 'secondary' }, 'Cancel');
    cancel.addEventListener('click', () => replace(editor));
    const form = apiForm({
      label: current ? `Edit link “${current.title}”` : `New link for ${entity.anchor}`,
      fields,
      layout: [el('fieldset', {}, el('legend', {}, 'Link'), ...fields.map((f) => f.root))],
      submitLabel: current ? 'Save link' : 'Add link',
      actions: [cancel],
      submit: () => {
        const links = bodies();
        const link = linkBodyFrom(fields, current);
        links[index] = link;
        return save(entity, link.default ? withDefault(links, index) : links);
      },
      saved: (saved) => {
        const link = saved.links[index];
        reload(`Saved link “${link?.title ?? ''}” of ${saved.anchor}.`);
        return 'Saved.';
      },
    });
    replace(editor, el('h3', {}, current ? `Edit “${current.title}”` : 'New link'), form);
    fields[0]!.focus();
  };

  const remove = async (index: number) => {
    const rest = bodies().filter((_, i) => i !== index);
    // The entity keeps one default: the first link left takes over from a deleted default.
    const links = entity.links[index]!.default && rest.length > 0 ? withDefault(rest, 0) : rest;
    await replaceLinks(links, 'Link deleted.');
  };

  const rows = table(
    `Links of ${entity.anchor}`,
    [
      { label: 'Link type', cell: (l: Link) => linkTypeTitle(l.link_type) },
      { label: 'Title', cell: (l) => l.title },
      {
        label: 'Target',
        cell: (l) => {
          const href = l.href.includes('{') ? null : safeHttpUrl(l.href);
          return href
            ? el('a', { href, rel: 'noopener noreferrer', target: '_blank', class: 'href' }, l.href)
            : el('span', { class: 'href' }, l.href);
        },
      },
      {
        label: 'Languages',
        cell: (l) => [l.hreflang.join(', ') || 'Any', l.context.length ? ` · ${l.context.join(', ')}` : ''],
      },
      { label: 'Default', cell: (l) => (l.default ? el('span', { class: 'badge' }, 'Default') : '') },
      ...(writable
        ? [
            {
              label: 'Actions',
              cell: (l: Link) => {
                const index = entity.links.indexOf(l);
                const edit = el(
                  'button',
                  { type: 'button', class: 'secondary small', 'aria-label': `Edit “${l.title}”` },
                  'Edit',
                );
                edit.addEventListener('click', () => openEditor(index));
                const makeDefault = el(
                  'button',
                  { type: 'button', class: 'secondary small', 'aria-label': `Make “${l.title}” the default` },
                  'Make default',
                );
                makeDefault.addEventListener(
                  'click',
                  () =>
                    void replaceLinks(withDefault(bodies(), index), `“${l.title}” is now the default link.`),
                );
                const del =
                  entity.links.length > 1
                    ? confirmButton('Delete', `Confirm delete “${l.title}”`, () => remove(index))
                    : null;
                return el('span', { class: 'row-actions' }, edit, l.default ? null : makeDefault, del);
              },
            },
          ]
        : []),
    ],
    entity.links,
  );

  const add = el('button', { type: 'button', class: 'small' }, 'Add a link');
  add.addEventListener('click', () => openEditor(entity.links.length));
  const deleteEntity = confirmButton('Delete entity', `Confirm delete ${entity.anchor}`, async () => {
    report('Deleting…');
    try {
      await api(`/v1/links/${encodeURIComponent(entity.id)}`, { method: 'DELETE' });
      reload(`Deleted ${entity.anchor} and its links.`);
    } catch (error) {
      report(errorMessage(error), true);
    }
  });
  return el(
    'section',
    { class: 'panel entity', 'aria-labelledby': headingId, 'data-anchor': entity.anchor },
    el('h2', { id: headingId }, entity.anchor),
    el('p', { class: 'hint' }, entity.item_description ?? ''),
    rows,
    writable ? el('div', { class: 'form-actions' }, add, deleteEntity) : null,
    editor,
    status,
    linksetPreview(entity),
  );
}

/** The anchor from its parts: `/01/<gtin>[/10/<lot>][/21/<serial>]`. */
function anchorOf(gtin: string, lot: string, serial: string): string {
  return `/01/${gtin}${lot ? `/10/${lot}` : ''}${serial ? `/21/${serial}` : ''}`;
}

function newEntityForm(onSaved: (entity: Entity) => void): HTMLElement {
  const gtin = field({
    name: 'anchor',
    label: 'GTIN',
    required: true,
    attrs: { inputmode: 'numeric', autocomplete: 'off' },
    hint: 'The GS1 key of the entity; every error in the Digital Link path shows here.',
  });
  const lot = field({
    name: 'qualifier.lot',
    label: 'Lot (optional)',
    hint: 'One lot, or {lot} for every lot: the scanned lot then fills {lot} in the target URL.',
  });
  const serial = field({
    name: 'qualifier.serial',
    label: 'Serial (optional)',
    hint: 'One serial number, or {serial} for every serial.',
  });
  const description = field({ name: 'item_description', label: 'Item description', required: true });
  const links = linkFields(0);
  const fields = [gtin, lot, serial, description, ...links];
  const form = apiForm({
    label: 'New entity',
    fields,
    layout: [
      el('fieldset', {}, el('legend', {}, 'Entity'), gtin.root, lot.root, serial.root, description.root),
      el('fieldset', {}, el('legend', {}, 'First link'), ...links.map((f) => f.root)),
    ],
    submitLabel: 'Create entity',
    submit: () =>
      save(
        {
          anchor: anchorOf(String(gtin.value()), String(lot.value()), String(serial.value())),
          item_description: String(description.value()),
        },
        [{ ...linkBodyFrom(links), default: true }],
      ),
    saved: (entity) => {
      onSaved(entity);
      return `Saved ${entity.anchor}.`;
    },
  });
  return el(
    'details',
    { class: 'panel new-entity' },
    el('summary', {}, 'New entity'),
    el(
      'p',
      { class: 'hint' },
      'A GTIN, or one of its lots or serials, with the link scans go to by default. More links can be added after.',
    ),
    form,
  );
}

export const linksPage: Page = {
  title: 'Links',
  render(main: HTMLElement, { signal, org }: PageContext) {
    const writable = canWrite(org);
    const target = el('div', { class: 'entities' });
    const filter = el('input', {
      id: uid('filter'),
      type: 'search',
      inputmode: 'numeric',
      placeholder: '09506000134352',
    });
    const announce = el('p', { class: 'form-status', role: 'status' });
    const draw = (said = '') => {
      say(announce, said);
      void load(
        target,
        'links',
        () => allEntities(signal, filter.value.trim()),
        (entities) =>
          entities.length === 0
            ? empty(
                filter.value.trim()
                  ? 'No entity of this GTIN.'
                  : 'No links yet: scans of your codes find nothing to go to.',
              )
            : entities.map((e) => entityPanel(e, writable, draw)),
      );
    };
    const search = el(
      'form',
      { class: 'filters', role: 'search', 'aria-label': 'Filter links' },
      el('div', { class: 'field' }, el('label', { for: filter.id }, 'GTIN'), filter),
      el('button', { type: 'submit', class: 'secondary' }, 'Filter'),
    );
    search.addEventListener('submit', (event) => {
      event.preventDefault();
      draw();
    });
    append(main, [
      el(
        'p',
        { class: 'lede' },
        'What the resolver answers for each GTIN, lot and serial: GS1 link types, their targets and the default link scans go to when no rule applies.',
      ),
      writable
        ? newEntityForm((entity) => draw(`Created ${entity.anchor}.`))
        : el('p', { class: 'notice' }, readOnlyReason(org, 'editor', 'change links')),
      search,
      announce,
      target,
    ]);
    draw();
  },
};
