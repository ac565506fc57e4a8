// What a page of the dashboard is: a title and a render function given the main landmark.

export interface Organization {
  id: string;
  name: string;
  key: { id: string; role: 'owner' | 'manager' | 'editor' | 'readonly' };
}

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
