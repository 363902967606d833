import { Store } from './store.js';

/** What the reader chose: follow the system (prefers-color-scheme), or always light, or always dark. */
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'essay-forum.theme';
const CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

function stored(): ThemeChoice {
  try {
    const value = localStorage.getItem(KEY);
    return CHOICES.includes(value as ThemeChoice) ? (value as ThemeChoice) : 'system';
  } catch {
    // Storage refused (private mode, blocked cookies): the system's scheme still applies through the stylesheet.
    return 'system';
  }
}

/** "system" leaves the attribute off, so that the stylesheet's prefers-color-scheme rule decides. */
function apply(choice: ThemeChoice): void {
  if (choice === 'system') document.documentElement.removeAttribute('data-theme');
  else document.documentElement.setAttribute('data-theme', choice);
}

export const theme = new Store<ThemeChoice>(stored());
// Applied as soon as this module runs (it is main.tsx's first import): the page's CSP refuses inline scripts, so
// this is the earliest moment; with the default "system" there is no flash at all, since CSS alone decides.
apply(theme.value);

export function chooseTheme(choice: ThemeChoice): void {
  apply(choice);
  try {
    if (choice === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, choice);
  } catch {
    // Not remembered, but still applied for this visit.
  }
  theme.set(choice);
}
