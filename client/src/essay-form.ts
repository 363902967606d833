/**
 * The publish and edit screens' form as plain functions (no DOM), so that a spec can hold them: the essay into the
 * form's fields, the fields into a POST or PATCH, the server's refusal onto the fields it names, and the preview's
 * answers into words.
 */
import { type Article, ApiError, type NewEssay, type QuoteOutcomes } from './api.js';

/** The fields of the form, by the name the server gives them in its validation messages. */
export type Field = 'title' | 'author' | 'tags' | 'canonicalUrl' | 'body';
export const FIELDS: readonly Field[] = ['title', 'author', 'tags', 'canonicalUrl', 'body'];

export type Draft = Record<Field, string>;

/** The form as the essay stands: tags as one comma-separated line, no canonical URL as an empty field. */
export function draftOf(article: Article, body: string): Draft {
  return {
    title: article.title,
    author: article.author,
    tags: article.tags.join(', '),
    canonicalUrl: article.canonicalUrl ?? '',
    body,
  };
}

/** The publish screen's empty form. */
export const EMPTY_DRAFT: Draft = { title: '', author: '', tags: '', canonicalUrl: '', body: '' };

/**
 * The whole form as the server takes it: the POST of a new essay, or the PATCH of one (an unchanged body makes no
 * revision, so sending every field changes only what did).
 */
export function changeOf(draft: Draft): NewEssay {
  return {
    title: draft.title,
    author: draft.author,
    tags: draft.tags
      .split(',')
      .map((tag) => tag.trim())
      .filter((tag) => tag !== ''),
    canonicalUrl: draft.canonicalUrl.trim() === '' ? null : draft.canonicalUrl,
    body: draft.body,
  };
}

/**
 * The server's validation sentences each start with the field's name ("canonicalUrl must be a URL address", or
 * "each value in tags …" for one tag): each is shown beside its field; any other (a 403, a 404, a sentence about no field) above the Save button.
 */
export function errorsOf(
  error: unknown,
  failure = 'The essay could not be saved. Try again.',
): { fields: Partial<Record<Field, string>>; form: string | null } {
  if (!(error instanceof ApiError)) return { fields: {}, form: failure };
  const fields: Partial<Record<Field, string>> = {};
  const rest: string[] = [];
  for (const message of error.status === 400 ? error.messages : []) {
    const subject = message.replace(/^each value in /, '');
    const field = FIELDS.find((name) => subject.startsWith(`${name} `) || subject.startsWith(`${name}.`));
    if (field) fields[field] = fields[field] ? `${fields[field]} ${message}` : message;
    else rest.push(message);
  }
  const form = rest.length > 0 ? rest.join(' ') : Object.keys(fields).length === 0 ? error.message : null;
  return { fields, form };
}

/** What a preview that failed says, in a line: the draft stays as it is, and the next keystroke asks again. */
export function previewErrorOf(error: unknown): string {
  if (!(error instanceof ApiError) || error.status === 0)
    return 'The preview could not be loaded. Your text is kept; keep typing to try again.';
  if (error.status === 429)
    return `Too many previews at once: the preview resumes in ${error.retryAfter ?? 60} s. Your text is kept.`;
  return `No preview: ${error.message}`;
}

/** One outcome of the quote impact, in words, and whether it deserves a warning (quotes that would lose their passage). */
export interface ImpactPart {
  text: string;
  warn: boolean;
}

/** "2 quotes stay exact, 1 moves, 0 change, 1 becomes orphaned": what saving would do to the essay's quotes. */
export function impactOf(quotes: QuoteOutcomes): ImpactPart[] {
  const verb = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return [
    { text: verb(quotes.exact, 'quote stays exact', 'quotes stay exact'), warn: false },
    { text: verb(quotes.moved, 'moves', 'move'), warn: false },
    { text: verb(quotes.changed, 'changes', 'change'), warn: false },
    { text: verb(quotes.orphaned, 'becomes orphaned', 'become orphaned'), warn: quotes.orphaned > 0 },
  ];
}

/** How a block of a previewed revision stands to the saved essay: a new passage, the same one edited, or unchanged. */
export type BlockChange = 'new' | 'edited' | null;

/** Each previewed block's change, by the ids the revision would give (an edited passage keeps its block's id). */
export function blockChanges(
  saved: readonly { id: string; text: string }[],
  previewed: readonly { id: string; text: string }[],
): BlockChange[] {
  const before = new Map(saved.map((block) => [block.id, block.text]));
  return previewed.map((block) => {
    const text = before.get(block.id);
    return text === undefined ? 'new' : text === block.text ? null : 'edited';
  });
}
