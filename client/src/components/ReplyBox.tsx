import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import {
  api,
  ApiError,
  COMMENT_BODY_MAX,
  type Comment,
  newIdempotencyKey,
  type NewQuote,
  type Stance,
  STANCES,
} from '../api.js';
import { clearDraft, type Draft, loadDraft, passageDraftKey, saveDraft } from '../drafts.js';
import { ban, isModerator } from '../session.js';
import { quoteRequest, takeQuote } from '../quoting.js';
import { useStore } from '../store.js';
import { askToSignIn } from '../ui.js';
import { ThreadContext } from './thread-context.js';
import { FormError } from './FormError.js';
import { MentionTextarea } from './MentionTextarea.js';

let boxes = 0;

const STANCE_CHOICES: Record<Stance, string> = {
  agree: 'I agree',
  disagree: 'I disagree',
  question: 'I have a question',
  evidence: 'I add evidence',
};

/** A passage of the essay that a box in the margin comments on, quoting it. */
export interface Passage {
  blockId: string;
  text: string;
}

/**
 * A reply to the essay (no parent), to a comment, or to a passage of the essay (a top-level comment quoting it, written
 * in the margin). What is typed is kept as a draft (per article and box) until it is posted; the draft keeps its
 * Idempotency-Key until then, so a retry cannot post twice. Escape closes a box that can close, keeping its draft;
 * Cancel throws the draft away.
 *
 * `focus`: the reader just opened this box (a Reply button), or came back to it signed in, so the cursor goes into
 * it: each new truthy value moves it there again. A box restored from a draft when the page loads does not take it.
 *
 * A reader who is not signed in may open a reply box and write: the draft is kept as anyone's is, and posting opens the
 * sign-in dialog, after which the box is as they left it, the cursor in it.
 */
export function ReplyBox({
  parent,
  passage,
  onDone,
  focus,
}: {
  parent?: Comment;
  passage?: Passage;
  onDone?: () => void;
  focus?: boolean | number;
}) {
  const t = useContext(ThreadContext);
  const parentId = parent?.id ?? null;
  const draftKey = passage ? passageDraftKey(passage.blockId) : parentId;
  const slug = t?.slug ?? '';
  const [draft] = useState(() => loadDraft(slug, draftKey));
  const [body, setBody] = useState(draft?.body ?? '');
  const [stance, setStance] = useState<Stance | ''>(draft?.stance ?? '');
  const [quote, setQuote] = useState<NewQuote | null>(() =>
    draft ? draft.quote : passage ? { source: 'article', blockId: passage.blockId, text: passage.text } : null,
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The body as the server would show it, for the words typed when it was asked (cleared by the next keystroke).
  const [preview, setPreview] = useState<string | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const latestBody = useRef(body);
  latestBody.current = body;
  const banned = useStore(ban);
  const request = useStore(quoteRequest);
  const id = useRef(`reply-${++boxes}`).current;
  const area = useRef<HTMLTextAreaElement>(null);
  // One key per attempt at the same text: a retry after a network failure cannot post twice.
  const attempt = useRef<{ key: string; body: string; stance: string; quote: string } | null>(null);

  useEffect(() => {
    if (focus) area.current?.focus();
  }, [focus]);

  // A passage quoted from a selection lands here when it is for this box (the essay's own or a comment's: a passage's
  // box in the margin has its quote).
  useEffect(() => {
    if (passage) return;
    const taken = takeQuote(parentId);
    if (!taken) return;
    keep({ quote: taken });
    area.current?.scrollIntoView({ block: 'center' });
    area.current?.focus();
  }, [request]);

  // Every keystroke is kept at once (not after the next paint): a reload right after typing loses nothing.
  const keep = (next: Partial<Draft>) => {
    const draft = { body, stance, quote, ...next };
    if (next.body !== undefined) {
      setBody(next.body);
      setPreview(null);
    }
    if (next.stance !== undefined) setStance(next.stance);
    if (next.quote !== undefined) setQuote(next.quote);
    if (slug) saveDraft(slug, draftKey, draft);
  };

  if (!t) return null;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!t.me) {
      askToSignIn(event, {
        purpose: 'To post, sign in or create an account. What you wrote stays in the box.',
        then: () => area.current?.focus(),
      });
      return;
    }
    const text = body.trim();
    if (!text) {
      setError('Write something first.');
      area.current?.focus();
      return;
    }
    const quoteKey = JSON.stringify(quote);
    const a = attempt.current;
    if (!a || a.body !== text || a.stance !== stance || a.quote !== quoteKey) {
      attempt.current = { key: newIdempotencyKey(), body: text, stance, quote: quoteKey };
    }
    setBusy(true);
    setError(null);
    try {
      const comment = await api.postComment(
        t.slug,
        {
          body: text,
          ...(parent ? { parentId: parent.id } : {}),
          ...(stance ? { stance } : {}),
          ...(quote ? { quote } : {}),
        },
        attempt.current!.key,
      );
      attempt.current = null;
      clearDraft(t.slug, draftKey);
      setBody('');
      setStance('');
      setQuote(null);
      t.posted(comment);
      onDone?.();
    } catch (e) {
      // A refusal for posting too soon already says how long to wait (slow mode, or the rate limit).
      if (e instanceof ApiError && e.status === 403 && /bann/i.test(e.message)) {
        // A ban this page was not told of (it was offline): the server's words say until when and why.
        setError(e.message);
        ban.set(ban.value ?? { until: null, reason: '', refused: true });
      } else setError(e instanceof ApiError ? e.message : 'The reply could not be posted; try again.');
    } finally {
      setBusy(false);
    }
  };

  const cancel = () => {
    clearDraft(t.slug, draftKey);
    onDone?.();
  };

  // Moderators are exempt from both rules, and are told nothing.
  const rules =
    t.rules && !isModerator(t.me) && (t.rules.premoderation || t.rules.slowModeSeconds > 0) ? t.rules : null;
  const showPreview = async () => {
    setPreviewError(null);
    try {
      const shown = body;
      const { html } = await api.previewComment(shown);
      // Typed on meanwhile: this preview is of words no longer there.
      if (latestBody.current === shown) setPreview(html);
    } catch (e) {
      setPreviewError(e instanceof ApiError ? e.message : 'The preview could not be made; try again.');
    }
  };

  const label = parent
    ? `Reply to ${parent.author?.displayName ?? 'this comment'}`
    : passage
      ? 'Your comment on this passage'
      : 'Your comment on the essay';
  return (
    <form
      class={passage ? 'reply-box passage-reply' : 'reply-box'}
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || !onDone || e.defaultPrevented) return;
        e.preventDefault();
        onDone();
      }}
    >
      <label for={id}>{label}</label>
      {rules && <WritingRules rules={rules} id={`${id}-rules`} />}
      {quote && (
        <figure class="quote-draft">
          <blockquote>
            <p>{quote.text}</p>
          </blockquote>
          <figcaption>
            {quote.source === 'article' ? 'Quoting the essay' : 'Quoting the comment'}
            {' · '}
            <button
              type="button"
              class="link"
              onClick={() => {
                keep({ quote: null });
                area.current?.focus();
              }}
            >
              Remove the quote
            </button>
          </figcaption>
        </figure>
      )}
      <MentionTextarea
        id={id}
        textareaRef={area}
        name="body"
        rows={parent ? 4 : 5}
        maxLength={COMMENT_BODY_MAX}
        value={body}
        disabled={!!banned}
        describedBy={
          [banned ? `${id}-banned` : '', rules ? `${id}-rules` : '', t.me ? '' : `${id}-signed-out`].join(' ').trim() ||
          undefined
        }
        suggest={!!t.me}
        onValue={(text) => keep({ body: text })}
      />
      {!t.me && (
        <p class="hint" id={`${id}-signed-out`}>
          Write now if you like: posting asks you to sign in, and keeps what you wrote.
        </p>
      )}
      {banned && (
        <p class="hint" id={`${id}-banned`}>
          You cannot write while you are banned.
        </p>
      )}
      <details class="markdown-help">
        <summary>Formatting help</summary>
        <ul>
          <li>
            <code>*italic*</code>, <code>**bold**</code>, <code>`code`</code>
          </li>
          <li>
            <code>[a link](https://example.org)</code>
          </li>
          <li>
            <code>&gt; a quotation</code> and <code>- a list</code>, each at the start of a line
          </li>
          <li>
            <code>@username</code> tells that reader
          </li>
        </ul>
      </details>
      {preview !== null && (
        <section class="comment-preview" aria-label="Preview">
          {/* The server's sanitised rendering, as the posted comment will show it. */}
          <div class="comment-body" dangerouslySetInnerHTML={{ __html: preview }} />
        </section>
      )}
      <FormError message={previewError} />
      <div class="reply-tools">
        <label class="stance-picker">
          Stance{' '}
          <select name="stance" value={stance} onChange={(e) => keep({ stance: e.currentTarget.value as Stance | '' })}>
            <option value="">No stance</option>
            {STANCES.map((s) => (
              <option key={s} value={s}>
                {STANCE_CHOICES[s]}
              </option>
            ))}
          </select>
        </label>
        <span class="spacer" />
        {/* The server renders the preview for a signed-in writer only. */}
        {body.trim() !== '' &&
          !!t.me &&
          (preview === null ? (
            <button type="button" class="link" onClick={() => void showPreview()}>
              Preview
            </button>
          ) : (
            <button type="button" class="link" onClick={() => setPreview(null)}>
              Hide preview
            </button>
          ))}
        {onDone && (
          <button type="button" class="link" onClick={cancel}>
            Cancel
          </button>
        )}
        <button type="submit" class="primary" disabled={busy || !!banned}>
          {!t.me ? 'Sign in to post' : busy ? 'Posting…' : parent ? 'Post reply' : 'Post comment'}
        </button>
      </div>
      <FormError message={error} />
    </form>
  );
}

/** "one comment every 30 seconds", "… every 2 minutes": slow mode's interval in words. */
function interval(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? 'hour' : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? 'minute' : `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}

/**
 * The discussion's rules, before a word is written: a held comment or a refused second post should never be the
 * first a writer hears of them.
 */
function WritingRules({ rules, id }: { rules: { premoderation: boolean; slowModeSeconds: number }; id: string }) {
  return (
    <ul class="writing-rules" id={id}>
      {rules.premoderation && <li>A moderator reviews every comment here before others see it.</li>}
      {rules.slowModeSeconds > 0 && <li>Slow mode: one comment every {interval(rules.slowModeSeconds)} here.</li>}
    </ul>
  );
}
