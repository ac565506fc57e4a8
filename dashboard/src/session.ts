// The API key lives in sessionStorage: for this tab only, gone when the tab closes, never in a
// cookie or localStorage, and sent only to this origin's API in the Authorization header.
const KEY = 'dle.dashboard.apiKey';

export function apiKey(): string | null {
  return sessionStorage.getItem(KEY);
}

export function signIn(key: string): void {
  sessionStorage.setItem(KEY, key);
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
}
