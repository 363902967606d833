import { useStore } from '../store.js';
import { chooseTheme, theme, type ThemeChoice } from '../theme.js';

const OPTIONS: [ThemeChoice, string][] = [
  ['system', 'Auto'],
  ['light', 'Light'],
  ['dark', 'Dark'],
];

/**
 * The reader's colour scheme: three pressed/unpressed buttons show at once what can be chosen and which is chosen,
 * which a single cycling button would hide. "Auto" follows the system's setting.
 */
export function ThemeToggle() {
  const choice = useStore(theme);
  return (
    <div class="theme-toggle" role="group" aria-label="Colour scheme">
      {OPTIONS.map(([option, label]) => (
        <button key={option} type="button" aria-pressed={choice === option} onClick={() => chooseTheme(option)}>
          {label}
        </button>
      ))}
    </div>
  );
}
