/**
 * An essay and a revision of it that puts quotes in every outcome (test/essay-revisions.e2e.ts asserts them):
 * "soldiers did the same in every regiment" stays exact though a sentence is added; "the party followed them into
 * October" is changed (a typo now in the essay); "art" is orphaned (it stood alone, and the word became "party",
 * where "art" is only inside another word); "By the summer the soviets held" moves with the first half of its split
 * paragraph; and the quote from the deleted last paragraph is orphaned. Shared by the API's re-anchoring test and the
 * reading view's.
 */
export const ESSAY_BEFORE_REVISION = [
  'Workers elected delegates in every factory; soldiers did the same in every regiment.',
  '',
  'The soviets were the organs of the revolution, and the party followed them into October.',
  '',
  'The art of the insurrection was its timing, which the committee chose with care.',
  '',
  'By the summer the soviets held more authority than the Provisional Government ever had.',
  '',
  'A paragraph the author will delete, about the calendar reform of February 1918.',
].join('\n');

export const ESSAY_AFTER_REVISION = [
  'Workers elected delegates in every factory; soldiers did the same in every regiment. Peasants came later.',
  '',
  'The soviets were the organs of the revolution, and the party folowed them into October.',
  '',
  'The party of the insurrection was its timing, which the committee chose with care.',
  '',
  'By the summer the soviets held',
  '',
  'more authority than the Provisional Government ever had.',
].join('\n');
