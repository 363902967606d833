/**
 * The edit screen's form as plain functions (no DOM), so that a spec can hold them: the essay into the form's fields,
 * the fields into a PATCH, and the server's refusal onto the fields it names.
 */
import { type Article, ApiError, type EssayChange } from './api.js';

/** The fields of the form, by the name the server gives them in its validation messages. */
export type Field = 'title' | 'author' | 'tags' | 'canonicalUrl' | 'body';
const FIELDS: readonly Field[] = ['title', 'author', 'tags', 'canonicalUrl', 'body'];

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

/** The PATCH of the whole form: an unchanged body makes no revision, so sending every field changes only what did. */
export function changeOf(draft: Draft): EssayChange {
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
export function errorsOf(error: unknown): { fields: Partial<Record<Field, string>>; form: string | null } {
  if (!(error instanceof ApiError)) return { fields: {}, form: 'The essay could not be saved. Try again.' };
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
