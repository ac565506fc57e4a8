// Forms for the management pages: labelled fields named after the API's body paths, so a
// validation failure's `details` ([{path, message}]) lands beside the field at fault.
import { ApiFailure, type FieldProblem } from './api';
import { type Attrs, type Child, el, replace, uid } from './dom';
import { errorMessage } from './widgets';

export interface Option {
  value: string;
  label: string;
}

type Kind =
  | 'text'
  | 'url'
  | 'email'
  | 'number'
  | 'password'
  | 'date'
  | 'time'
  | 'datetime-local'
  | 'textarea'
  | 'select'
  | 'checkbox'
  | 'checkboxes';

export type FieldValue = string | boolean | string[];

export interface FieldSpec {
  /** The body path this field fills (`destination.url`): problems at it or under it show here. */
  name: string;
  label: string;
  kind?: Kind;
  value?: FieldValue | number | null;
  /** For select and checkboxes. */
  options?: Option[];
  hint?: string;
  required?: boolean;
  placeholder?: string;
  /** Extra attributes for the control (min, max, step, pattern, autocomplete…). */
  attrs?: Attrs;
}

export interface Field {
  readonly name: string;
  readonly root: HTMLElement;
  value(): FieldValue;
  set(value: FieldValue | number | null | undefined): void;
  showError(message: string | null): void;
  focus(): void;
  /** Called whenever the person changes the value. */
  onChange(listener: () => void): void;
}

/** One labelled control with its hint and its error slot (aria-describedby both). */
export function field(spec: FieldSpec): Field {
  const kind = spec.kind ?? 'text';
  const id = uid('field');
  const hintId = spec.hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const error = el('p', { id: errorId, class: 'field-error', hidden: true });
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  const listeners: (() => void)[] = [];
  const changed = () => {
    for (const listener of listeners) listener();
  };
  const hint = spec.hint ? el('small', { id: hintId, class: 'hint' }, spec.hint) : null;

  if (kind === 'checkboxes') {
    const boxes = (spec.options ?? []).map((o) => ({
      option: o,
      input: el('input', { type: 'checkbox', id: uid('option'), value: o.value, on: { change: changed } }),
    }));
    const legendId = `${id}-legend`;
    const root = el(
      'fieldset',
      { class: 'field choices', 'aria-describedby': describedBy, 'aria-labelledby': legendId },
      el('legend', { id: legendId }, spec.label),
      hint,
      el(
        'div',
        { class: 'choice-list' },
        ...boxes.map(({ option, input }) =>
          el('span', { class: 'choice' }, input, el('label', { for: input.id }, option.label)),
        ),
      ),
      error,
    );
    const set = (v: FieldValue | number | null | undefined) => {
      const chosen = new Set(Array.isArray(v) ? v : []);
      for (const { option, input } of boxes) input.checked = chosen.has(option.value);
    };
    set(spec.value);
    return {
      name: spec.name,
      root,
      value: () => boxes.filter((b) => b.input.checked).map((b) => b.option.value),
      set,
      showError: (message) => showError(root, error, message),
      focus: () => boxes[0]?.input.focus(),
      onChange: (l) => listeners.push(l),
    };
  }

  const common: Attrs = {
    id,
    name: spec.name,
    'aria-describedby': describedBy,
    required: spec.required ?? false,
    placeholder: spec.placeholder ?? null,
    ...spec.attrs,
  };
  let control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  if (kind === 'select') {
    control = el(
      'select',
      common,
      ...(spec.options ?? []).map((o) => el('option', { value: o.value }, o.label)),
    );
  } else if (kind === 'textarea') {
    control = el('textarea', { rows: 3, ...common });
  } else {
    control = el('input', { type: kind, ...common });
  }
  control.addEventListener('input', changed);
  control.addEventListener('change', changed);
  const label = el('label', { for: id }, spec.label);
  const root =
    kind === 'checkbox'
      ? el('div', { class: 'field checkbox' }, el('span', { class: 'toggle' }, control, label), hint, error)
      : el('div', { class: 'field' }, label, control, hint, error);
  const set = (v: FieldValue | number | null | undefined) => {
    if (control instanceof HTMLInputElement && kind === 'checkbox') control.checked = v === true;
    else control.value = v === null || v === undefined ? '' : Array.isArray(v) ? v.join(', ') : String(v);
  };
  set(spec.value);
  return {
    name: spec.name,
    root,
    value: () =>
      control instanceof HTMLInputElement && kind === 'checkbox' ? control.checked : control.value.trim(),
    set,
    showError: (message) => {
      showError(root, error, message);
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    },
    focus: () => control.focus(),
    onChange: (l) => listeners.push(l),
  };
}

function showError(root: HTMLElement, error: HTMLElement, message: string | null): void {
  error.textContent = message ?? '';
  error.hidden = !message;
  root.classList.toggle('invalid', Boolean(message));
}

/** The field a problem belongs to: the one whose name is the longest prefix of its path. */
export function fieldFor<F extends { name: string }>(fields: F[], path: string): F | undefined {
  let best: F | undefined;
  for (const f of fields) {
    const matches = path === f.name || path.startsWith(`${f.name}.`) || path.startsWith(`${f.name}[`);
    if (matches && (!best || f.name.length > best.name.length)) best = f;
  }
  return best;
}

export interface FormOptions<T> {
  /** The form's accessible name. */
  label: string;
  fields: Field[];
  /** What goes inside the form: the fields' roots laid out in fieldsets, or left to default order. */
  layout?: Child[];
  submitLabel: string;
  /** Builds and sends the request; its failure's field problems are shown beside their fields. */
  submit: () => Promise<T>;
  /** After a successful save: the sentence to announce. */
  saved: (result: T) => string;
  /** Extra buttons beside submit (Cancel…). */
  actions?: Child[];
}

/** A form that saves through the API and shows each validation problem beside its field. */
export function apiForm<T>(options: FormOptions<T>): HTMLFormElement {
  const submit = el('button', { type: 'submit' }, options.submitLabel);
  const status = el('div', { class: 'form-status', role: 'status' });
  const form = el(
    'form',
    { class: 'api-form', 'aria-label': options.label, novalidate: true },
    ...(options.layout ?? options.fields.map((f) => f.root)),
    el('div', { class: 'form-actions' }, submit, ...(options.actions ?? [])),
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const f of options.fields) f.showError(null);
    submit.disabled = true;
    say(status, 'Saving…');
    try {
      const result = await options.submit();
      say(status, options.saved(result));
    } catch (error) {
      const unplaced = error instanceof ApiFailure ? placeProblems(options.fields, error.fields) : [];
      say(status, [errorMessage(error), ...unplaced.map((p) => `${p.path}: ${p.message}`)].join(' '), true);
      const first = options.fields.find((f) => f.root.classList.contains('invalid'));
      first?.focus();
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

/** Shows each problem beside its field; returns those no field claims. */
export function placeProblems(fields: Field[], problems: FieldProblem[]): FieldProblem[] {
  const unplaced: FieldProblem[] = [];
  const messages = new Map<Field, string[]>();
  for (const problem of problems) {
    const f = fieldFor(fields, problem.path);
    if (!f) unplaced.push(problem);
    else messages.set(f, [...(messages.get(f) ?? []), problem.message]);
  }
  for (const [f, list] of messages) f.showError(list.join(' '));
  return unplaced;
}

/** A status line: polite while things go well, an alert when they fail. */
export function say(status: HTMLElement, message: string, isError = false): void {
  status.className = isError ? 'form-status error' : 'form-status';
  status.setAttribute('role', isError ? 'alert' : 'status');
  status.textContent = message;
}

/** "CA, us  FR" → ["CA", "us", "FR"]: lists typed as text (countries, languages, lots). */
export function parseList(text: FieldValue): string[] {
  if (Array.isArray(text)) return text;
  if (typeof text !== 'string') return [];
  return text
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

/** A text field's value, or undefined when left empty (so the API's default applies). */
export function optional(value: FieldValue): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * A destructive button that asks first, in place: "Delete" turns into "Confirm delete" and
 * "Cancel", so nothing is lost to a stray click and no browser dialog is needed.
 */
export function confirmButton(label: string, confirmLabel: string, action: () => Promise<void>): HTMLElement {
  const holder = el('span', { class: 'confirm' });
  const start = el('button', { type: 'button', class: 'secondary danger small' }, label);
  const draw = () => replace(holder, start);
  start.addEventListener('click', () => {
    const confirm = el('button', { type: 'button', class: 'danger small' }, confirmLabel);
    const cancel = el('button', { type: 'button', class: 'secondary small' }, 'Cancel');
    cancel.addEventListener('click', () => {
      draw();
      start.focus();
    });
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      cancel.disabled = true;
      try {
        await action();
      } finally {
        if (holder.isConnected) {
          draw();
        }
      }
    });
    replace(holder, confirm, cancel);
    confirm.focus();
  });
  draw();
  return holder;
}

/** A value to copy (a webhook URL, a new key), read-only with a Copy button. */
export function copyable(label: string, value: string, hint?: string): HTMLElement {
  const id = uid('copy');
  const input = el('input', {
    id,
    type: 'text',
    readonly: true,
    value,
    class: 'copy-value',
    spellcheck: 'false',
  });
  const done = el('span', { class: 'copy-status', role: 'status' });
  const button = el('button', { type: 'button', class: 'secondary small' }, 'Copy');
  button.addEventListener('click', async () => {
    input.select();
    try {
      await navigator.clipboard.writeText(value);
      done.textContent = 'Copied.';
    } catch {
      done.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
    }
  });
  return el(
    'div',
    { class: 'field copy' },
    el('label', { for: id }, label),
    el('div', { class: 'copy-row' }, input, button),
    hint ? el('small', { class: 'hint' }, hint) : null,
    done,
  );
}

/** A secret the server shows once (a new API key, a webhook signing secret). */
export function secretOnce(label: string, secret: string, what: string): HTMLElement {
  return el(
    'div',
    { class: 'secret-once notice', role: 'region', 'aria-label': label },
    el(
      'p',
      {},
      el('strong', {}, `${what} is shown only now. `),
      'Copy it somewhere safe: it cannot be shown again.',
    ),
    copyable(label, secret),
  );
}

/**
 * An "Edit" button that opens a form in `holder` and closes it again (aria-expanded says which);
 * `open` builds the form and returns its fields, the first of which takes the focus.
 */
export function editToggle(
  holder: HTMLElement,
  open: () => { form: HTMLElement; fields: Field[] },
): HTMLElement {
  const button = el('button', { type: 'button', class: 'secondary small', 'aria-expanded': 'false' }, 'Edit');
  button.addEventListener('click', () => {
    if (holder.firstChild) {
      replace(holder);
      button.setAttribute('aria-expanded', 'false');
      return;
    }
    button.setAttribute('aria-expanded', 'true');
    const { form, fields } = open();
    replace(holder, form);
    fields[0]?.focus();
  });
  return button;
}
