import { useEffect, useRef, useState } from 'preact/hooks';
import { essayApi } from '../api.js';
import { changeOf, type Draft, EMPTY_DRAFT, errorsOf, type Field, FIELDS } from '../essay-form.js';
import { navigate } from '../router.js';
import { session } from '../session.js';
import { useStore } from '../store.js';
import { EssayBlocks, EssayFields, PreviewState } from './EssayFields.js';
import { FormError } from './FormError.js';
import { PageNotice } from './PageNotice.js';
import { PREVIEW_DELAY_MS, useLivePreview } from './use-live-preview.js';

/**
 * An admin's publish screen: the essay's fields and Markdown, beside a live preview that the server renders (the
 * client has no Markdown renderer of its own; see EssayEditor). Publishing opens the new essay; a refusal leaves
 * every field as typed, with the server's sentence beside the field it names.
 */
export function EssayPublisher() {
  const me = useStore(session);
  const admin = me?.role === 'admin';
  const [draft, setDraft] = useState<Draft>(storedDraft);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [publishing, setPublishing] = useState(false);
  const preview = useLivePreview(draft.body, admin, (body, signal) => essayApi.preview(body, signal));

  useEffect(() => {
    document.title = 'Publish an essay · Essay forum';
  }, []);

  // The draft outlives a reload or a crash of the tab, kept once typing pauses (an essay is too long to write at
  // every keystroke); publishing clears it, and a pause that ends after the essay is published (the screen stays
  // until the essay's page is drawn) keeps nothing.
  const published = useRef(false);
  useEffect(() => {
    const timer = setTimeout(() => {
      if (!published.current) storeDraft(draft);
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft]);

  if (me === undefined) return <p class="muted page-loading">Loading…</p>;
  if (!admin)
    return (
      <PageNotice
        title="Only admins can publish essays"
        text={me ? 'Your account cannot publish essays.' : 'Sign in with an admin account to publish an essay.'}
      />
    );

  const publish = async (event: Event) => {
    event.preventDefault();
    if (publishing) return;
    setPublishing(true);
    setFormError(null);
    setFieldErrors({});
    try {
      const article = await essayApi.publish(changeOf(draft));
      published.current = true;
      storeDraft(EMPTY_DRAFT);
      navigate(`/articles/${encodeURIComponent(article.slug)}`);
    } catch (error) {
      const errors = errorsOf(error, 'The essay could not be published. Try again.');
      setFieldErrors(errors.fields);
      setFormError(errors.form);
      setPublishing(false);
    }
  };

  return (
    <div class="essay-editor">
      <p class="editor-back">
        <a href="/">Back to the essays</a>
      </p>
      <h1>Publish an essay</h1>
      <div class="editor-columns">
        <form class="editor-form" aria-label="Publish an essay" onSubmit={(event) => void publish(event)} noValidate>
          <EssayFields
            draft={draft}
            errors={fieldErrors}
            idPrefix="publish"
            onChange={(field, value) => setDraft((d) => ({ ...d, [field]: value }))}
          />
          <FormError message={formError} />
          <div class="editor-actions">
            <button type="submit" class="primary" disabled={publishing}>
              {publishing ? 'Publishing…' : 'Publish'}
            </button>
          </div>
        </form>

        <section class="editor-preview" tabIndex={0} aria-labelledby="publish-preview-title">
          <h2 id="publish-preview-title">Preview</h2>
          <PreviewState
            empty={draft.body.trim() === ''}
            current={preview.answer?.body === draft.body}
            error={preview.error}
          />
          {preview.answer && (
            <EssayBlocks
              title={draft.title}
              blocks={preview.answer.value.blocks}
              stale={preview.answer.body !== draft.body}
            />
          )}
        </section>
      </div>
    </div>
  );
}

const DRAFT_KEY = 'essay-forum:publish-draft';

/** The essay being written when the page was last left, or an empty form (also for anything unreadable stored). */
function storedDraft(): Draft {
  try {
    const stored = JSON.parse(localStorage.getItem(DRAFT_KEY) ?? 'null') as Record<string, unknown> | null;
    if (!stored) return EMPTY_DRAFT;
    return Object.fromEntries(
      FIELDS.map((field) => [field, typeof stored[field] === 'string' ? stored[field] : '']),
    ) as Draft;
  } catch {
    return EMPTY_DRAFT;
  }
}

function storeDraft(draft: Draft): void {
  try {
    if (FIELDS.every((field) => draft[field] === '')) localStorage.removeItem(DRAFT_KEY);
    else localStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
  } catch {
    // Storage full or refused (private mode): the draft lives as long as the page.
  }
}
