import { type Stance, STANCES } from '../api.js';

export type StanceCounts = Record<Stance, number>;

/** How a count of each stance reads out loud and in a tooltip: "2 agree", "1 question", "3 evidence". */
const STANCE_NOUNS: Record<Stance, [string, string]> = {
  agree: ['agree', 'agree'],
  disagree: ['disagree', 'disagree'],
  question: ['question', 'questions'],
  evidence: ['evidence', 'evidence'],
};

/** The margin has room for a sign and a number: the words are in the tooltip and for screen readers. */
const STANCE_SIGNS: Record<Stance, string> = {
  agree: '+',
  disagree: '−',
  question: '?',
  evidence: '§',
};

export function stanceCount(stance: Stance, count: number): string {
  const [one, many] = STANCE_NOUNS[stance];
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * The essay's tally under the discussion's heading: all four stances, zeros included, so they line up; nothing while
 * no comment takes a stance (a row of zeros says nothing).
 */
export function StanceTally({ stances }: { stances: StanceCounts }) {
  if (STANCES.every((stance) => stances[stance] === 0)) return null;
  return (
    <ul class="stance-tally" aria-label="Stances towards the essay">
      {STANCES.map((stance) => (
        <li key={stance} class={`stance stance-${stance}`} data-stance={stance}>
          {stanceCount(stance, stances[stance])}
        </li>
      ))}
    </ul>
  );
}

/** A passage's tally in the margin: only the stances some comment on it takes, a sign and a number each. */
export function MarginStances({ stances }: { stances: StanceCounts }) {
  const taken = STANCES.filter((stance) => stances[stance] > 0);
  if (taken.length === 0) return null;
  return (
    <ul class="margin-stances" aria-label="Stances on this passage">
      {taken.map((stance) => (
        <li
          key={stance}
          class={`stance-${stance}`}
          data-stance={stance}
          title={`${stanceCount(stance, stances[stance])} on this passage`}
        >
          <span aria-hidden="true">
            {STANCE_SIGNS[stance]}
            {stances[stance]}
          </span>
          <span class="visually-hidden">{stanceCount(stance, stances[stance])}</span>
        </li>
      ))}
    </ul>
  );
}
