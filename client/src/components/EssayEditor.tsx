import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, type Article, ApiError, essayApi, type EssayRevisionSummary, type RevisionPreview } from '../api.js';
import { blockChanges, changeOf, type Draft, draftOf, errorsOf, type Field, impactOf } from '../essay-form.js';
import { session } from '../session.js';
import { useStore } from '../store.js';
import { AuthorName } from './AuthorName.js';
import { EssayBlocks, EssayFields, PreviewState } from './EssayFields.js';
import { FormError } from './FormError.js';
import { PageNotice } from './PageNotice.js';
import { type LivePreview, useLivePreview } from './use-live-preview.js';

/** Revisions happen minutes apart: the time of day tells them apart where the date alone would not. */
const revisionTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * An admin's edit screen for a published essay: its Markdown source and fields, Save (a PATCH: a changed body makes a
 * new revision), the essay as the server renders it, and the list of revisions. There is no Markdown renderer in the
 * client (the server's markdown-it and its sanitiser would not fit the bundle's budget): while the Markdown differs
 * from the saved revision's, the server's dry run of the revision is the preview, and says before saving what the
 * change would do to the quotes readers took from the essay.
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
  /** The Markdown of the saved revision: a draft that differs is previewed, with what saving does to the quotes. */
  const [savedBody, setSavedBody] = useState('');
  const preview = useLivePreview(
    draft?.body ?? '',
    admin && draft !== null && draft.body !== savedBody,
    (body, signal) => essayApi.previewRevision(slug, body, signal),
  );

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
        setSavedBody(source.body);
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
  const changed = draft.body !== savedBody;

  const save = async (event: Event) => {
    event.preventDefault();
    if (saving) return;
    setSaving(true);
    setFormError(null);
    setFieldErrors({});
    setSaved(null);
    try {
      const before = article.revision;
      const body = draft.body;
      const updated = await essayApi.update(slug, changeOf(draft));
      setArticle(updated);
      setSavedBody(body);
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
      <div class="editor-columns">
        <form class="editor-form" aria-label="Edit essay" onSubmit={(event) => void save(event)} noValidate>
          <EssayFields
            draft={draft}
            errors={fieldErrors}
            idPrefix="edit"
            onChange={(field, value) => {
              setDraft((d) => d && { ...d, [field]: value });
              setSaved(null);
            }}
          />
          {changed && <QuoteImpact preview={preview} body={draft.body} />}
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

        {changed ? (
          <section class="editor-preview" tabIndex={0} aria-labelledby="editor-preview-title">
            <h2 id="editor-preview-title">Preview (not saved)</h2>
            <PreviewState empty={false} current={preview.answer?.body === draft.body} error={preview.error} />
            {preview.answer && (
              <EssayBlocks
                title={draft.title}
                blocks={preview.answer.value.blocks}
                stale={preview.answer.body !== draft.body}
                changes={blockChanges(article.blocks, preview.answer.value.blocks)}
              />
            )}
          </section>
        ) : (
          <section class="editor-preview" tabIndex={0} aria-labelledby="editor-preview-title">
            <h2 id="editor-preview-title">As published (revision {article.revision})</h2>
            <p class="preview-state muted">The saved essay; change the Markdown to preview the change.</p>
            <EssayBlocks title={article.title} blocks={article.blocks} />
          </section>
        )}
      </div>

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

/**
 * What saving the draft would do to the essay's quotes, by the server's dry run of the revision: shown once the
 * answer is about the draft as it stands, orphaned quotes (their passage gone) in the warning colour.
 */
function QuoteImpact({ preview, body }: { preview: LivePreview<RevisionPreview>; body: string }) {
  const answer = preview.answer?.body === body ? preview.answer.value : null;
  const total = answer ? answer.quotes.exact + answer.quotes.moved + answer.quotes.changed + answer.quotes.orphaned : 0;
  return (
    <div class="quote-impact" role="status">
      {!answer ? (
        <p class="muted">
          {preview.error ? 'What saving does to the quotes is not known yet.' : 'Checking the quotes…'}
        </p>
      ) : !answer.revises ? (
        <p class="muted">This text reads as the saved essay: saving it makes no new revision.</p>
      ) : total === 0 ? (
        <p class="muted">Saving makes a new revision. No reader has quoted this essay yet.</p>
      ) : (
        <p>
          Saving makes a new revision:{' '}
          {impactOf(answer.quotes).map((part, index) => (
            <Fragment key={part.text}>
              {index > 0 && ', '}
              <span class={part.warn ? 'impact-warn' : undefined}>{part.text}</span>
            </Fragment>
          ))}
          .
        </p>
      )}
    </div>
  );
}
