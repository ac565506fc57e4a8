// What a page of the dashboard is: a title and a render function given the main landmark.
import type { Schema } from './api';

/** The signed-in organisation, with the key the tab uses. */
export type Organization = Schema<'Organization'>;

export interface PageContext {
  /** Aborted when the user leaves the page: pass it to every request the page makes. */
  signal: AbortSignal;
  org: Organization;
}

export interface Page {
  title: string;
  render(main: HTMLElement, context: PageContext): void;
}

/** Editors and above may change rules and acknowledge alerts (README: roles). */
export const canWrite = (org: Organization) => org.key.role !== 'readonly';
