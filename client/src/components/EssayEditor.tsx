import { useEffect, useState } from 'preact/hooks';
import { api, type Article, ApiError, essayApi, type EssayRevisionSummary } from '../api.js';
import { changeOf, type Draft, draftOf, errorsOf, type Field } from '../essay-form.js';
import { session } from '../session.js';
import { useStore } from '../store.js';
import { AuthorName } from './AuthorName.js';
import { FormError } from './FormError.js';
import { PageNotice } from './PageNotice.js';

/** Revisions happen minutes apart: the time of day tells them apart where the date alone would not. */
const revisionTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * An admin's edit screen for a published essay: its Markdown source and fields, Save (a PATCH: a changed body makes a
 * new revision), the essay as the server renders it, and the list of revisions. There is no Markdown renderer in the
 * client (the server's markdown-it and its sanitiser would not fit the bundle's budget), so the preview shows the
 * server's blocks of the essay as saved, and follows each save.
 */
export function EssayEditor({ slug }: { slug: string }) {
  const me = useStore(session);
  const admin = me?.role === 'admin';
  const [article, setArticle] = useState<Article | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [revisions, setRevisions] = useState<EssayRevisionSummary[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    document.title = 'Edit essay · Essay forum';
  }, []);

  useEffect(() => {
    if (!admin) return;
    let live = true;
    Promise.all([api.article(slug), essayApi.source(slug), essayApi.revisions(slug)]).then(
      ([loaded, source, list]) => {
        if (!live) return;
        setArticle(loaded);
        setDraft(draftOf(loaded, source.body));
        setRevisions(list.items);
        document.title = `Edit: ${loaded.title} · Essay forum`;
      },
      (error: unknown) => {
        if (!live) return;
        setLoadError(
          error instanceof ApiError && error.status === 404
            ? 'There is no essay at this address.'
            : 'The essay could not be loaded. Reload the page to try again.',
        );
      },
    );
    return () => {
      live = false;
    };
  }, [slug, admin]);

  if (me === undefined) return <p class="muted page-loading">Loading…</p>;
  if (!admin)
    return (
      <PageNotice
        title="Only admins can edit essays"
        text={me ? 'Your account cannot change this essay.' : 'Sign in with an admin account to edit this essay.'}
      />
    );
  if (loadError) return <PageNotice title={loadError} />;
  if (!article || !draft || !revisions) return <p class="muted page-loading">Loading the essay…</p>;

  const essayHref = `/articles/${encodeURIComponent(slug)}`;
  const set = (field: Field) => (event: Event) => {
    const value = (event.currentTarget as HTMLInputElement | HTMLTextAreaElement).value;
    setDraft((d) => d && { ...d, [field]: value });
    setSaved(null);
  };
  const describedBy = (field: Field) => (fieldErrors[field] ? `edit-${field}-error` : undefined);
  const fieldError = (field: Field) =>
    fieldErrors[field] ? (
      <p class="error field-error" id={`edit-${field}-error`}>
        {fieldErrors[field]}
      </p>
    ) : null;

  const save = async (event: Event) => {
    event.preventDefault();
    if (saving) return;
    setSaving(true);
    setFormError(null);
    setFieldErrors({});
    setSaved(null);
    try {
      const before = article.revision;
      const updated = await essayApi.update(slug, changeOf(draft));
      setArticle(updated);
      setSaved(
        updated.revision === before
          ? `Saved. The text is unchanged: still revision ${updated.revision}.`
          : `Saved as revision ${updated.revision}.`,
      );
      setRevisions((await essayApi.revisions(slug)).items);
    } catch (error) {
      const errors = errorsOf(error);
      setFieldErrors(errors.fields);
      setFormError(errors.form);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div class="essay-editor">
      <p class="editor-back">
        <a href={essayHref}>Back to the essay</a>
      </p>
      <h1>Edit essay</h1>
      <form class="editor-form" aria-label="Edit essay" onSubmit={(event) => void save(event)} noValidate>
        <label>
          Title
          <input
            name="title"
            value={draft.title}
            onInput={set('title')}
            aria-invalid={fieldErrors.title ? true : undefined}
            aria-describedby={describedBy('title')}
          />
        </label>
        {fieldError('title')}
        <label>
          Author
          <input
            name="author"
            value={draft.author}
            onInput={set('author')}
            aria-invalid={fieldErrors.author ? true : undefined}
            aria-describedby={describedBy('author')}
          />
        </label>
        {fieldError('author')}
        <label>
          Tags <span class="muted">(separated by commas)</span>
          <input
            name="tags"
            value={draft.tags}
            onInput={set('tags')}
            aria-invalid={fieldErrors.tags ? true : undefined}
            aria-describedby={describedBy('tags')}
          />
        </label>
        {fieldError('tags')}
        <label>
          Canonical URL <span class="muted">(the essay’s address on the publisher’s site; optional)</span>
          <input
            name="canonicalUrl"
            inputMode="url"
            value={draft.canonicalUrl}
            onInput={set('canonicalUrl')}
            aria-invalid={fieldErrors.canonicalUrl ? true : undefined}
            aria-describedby={describedBy('canonicalUrl')}
          />
        </label>
        {fieldError('canonicalUrl')}
        <label>
          Markdown source
          <textarea
            name="body"
            class="editor-source"
            rows={18}
            value={draft.body}
            onInput={set('body')}
            aria-invalid={fieldErrors.body ? true : undefined}
            aria-describedby={describedBy('body')}
          />
        </label>
        {fieldError('body')}
        <FormError message={formError} />
        <div class="editor-actions">
          <button type="submit" class="primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save'}
          </button>
          {saved && (
            <p class="form-done" role="status">
              {saved}
            </p>
          )}
        </div>
      </form>

      <section class="editor-preview" aria-labelledby="editor-preview-title">
        <h2 id="editor-preview-title">As published (revision {article.revision})</h2>
        <p class="muted">The server renders the Markdown: this shows the essay as last saved.</p>
        <div class="essay">
          <h3 class="preview-title">{article.title}</h3>
          {article.blocks.map((block) => (
            <div
              key={block.id}
              class={`block-text block-${block.kind}`}
              dangerouslySetInnerHTML={{ __html: block.html }}
            />
          ))}
        </div>
      </section>

      <section class="editor-revisions" aria-labelledby="editor-revisions-title">
        <h2 id="editor-revisions-title">Revisions</h2>
        <ul class="revision-list">
          {revisions.map((item) => (
            <li key={item.revision}>
              <a href={`${essayHref}/revisions/${item.revision}`}>Revision {item.revision}</a>
              {' · '}
              {item.by ? <AuthorName user={item.by} /> : <span class="muted">imported</span>}
              {' · '}
              <time dateTime={item.createdAt}>{revisionTime.format(new Date(item.createdAt))}</time>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
