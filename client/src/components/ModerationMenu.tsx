import { useRef, useState } from 'preact/hooks';
import { api, type CommentNode, MODERATION_REASON_MAX, type ModerationAct } from '../api.js';
import { focusOnce } from './CommentActions.js';
import { FormError } from './FormError.js';
import { announceChange, errorMessage } from './moderation-shared.js';
import { BanForm } from './ModerationBanForm.js';
import { CommentReports } from './ModerationRecords.js';
import type { ThreadContextValue } from './thread-context.js';

type Panel = 'remove' | 'ban' | 'reports' | null;

const DONE: Record<ModerationAct, string> = {
  approve: 'Approved: readers see it now.',
  remove: 'Removed: readers see a placeholder.',
  restore: 'Restored: readers see it again.',
};

/**
 * A moderator's tools on one comment of the thread, loaded as a chunk of its own (readers never download it): a
 * "Moderate" button opening a short list of actions (approve, remove with a reason, restore, feature, ban the author,
 * the reports). Each result shows on the comment at once; other readers get it through the thread's live events.
 * Escape closes the list and gives the focus back to the button.
 */
export function ModerationMenu({ node, t }: { node: CommentNode; t: ThreadContextValue }) {
  const [open, setOpen] = useState(false);
  const [panel, setPanel] = useState<Panel>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const status = useRef<HTMLParagraphElement>(null);
  const menuId = `moderate-${node.id}`;
  const name = node.author?.displayName ?? 'a former member';
  const ownComment = !!t.me && node.author?.id === t.me.id;
  const canBan = !!node.author && !ownComment && (node.author.role !== 'admin' || t.me?.role === 'admin');

  const close = () => {
    setOpen(false);
    queueMicrotask(() => toggle.current?.focus());
  };
  const closePanel = () => {
    setPanel(null);
    close();
  };
  const openMenu = () => {
    setOpen(true);
    setSaid(null);
  };
  /** Says what happened, where the focus then goes: the result is read out and the reader stays on the comment. */
  const tell = (text: string) => {
    setSaid(text);
    queueMicrotask(() => status.current?.focus());
  };
  const choose = (next: Panel) => {
    setOpen(false);
    setSaid(null);
    setError(null);
    setPanel(next);
  };

  /** `dismissing`: an approval that closes the reports of a visible comment (their panel stays open, reloaded). */
  const act = async (what: ModerationAct, why?: string, dismissing = false) => {
    setBusy(true);
    setError(null);
    try {
      // The answer does not carry the moderator's own vote on the comment: the page keeps it.
      t.updated({ ...(await api.moderate(what, node.id, why)), myVote: node.myVote });
      announceChange();
      if (!dismissing) setPanel(null);
      setOpen(false);
      setReason('');
      tell(dismissing ? 'Reports dismissed: the comment stays.' : DONE[what]);
    } catch (e) {
      setError(errorMessage(e, 'That did not work; try again.'));
    } finally {
      setBusy(false);
    }
  };
  const feature = async () => {
    setError(null);
    try {
      const changed = await api.feature(node.id, !node.featured);
      t.updated({ ...node, featured: changed.featured });
    } catch (e) {
      setError(errorMessage(e, 'The comment could not be featured; try again.'));
    }
  };

  return (
    <>
      <button
        ref={toggle}
        type="button"
        class="link moderate"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={open ? close : openMenu}
      >
        Moderate
      </button>
      {open && (
        <div
          id={menuId}
          class="mod-menu"
          role="group"
          aria-label={`Moderate the comment by ${name}`}
          onKeyDown={(e) => {
            if (e.key !== 'Escape') return;
            e.preventDefault();
            close();
          }}
        >
          {node.status === 'pending' && (
            <button type="button" class="primary" disabled={busy} ref={focusOnce} onClick={() => void act('approve')}>
              Approve
            </button>
          )}
          {node.status === 'removed' && (
            <button type="button" class="primary" disabled={busy} ref={focusOnce} onClick={() => void act('restore')}>
              Restore
            </button>
          )}
          {(node.status === 'pending' || node.status === 'visible') && (
            <button
              type="button"
              class="danger"
              ref={node.status === 'visible' ? focusOnce : undefined}
              onClick={() => choose('remove')}
            >
              Remove…
            </button>
          )}
          {node.status === 'visible' && node.parentId === null && (
            <button type="button" class="feature-toggle" aria-pressed={node.featured} onClick={() => void feature()}>
              Feature
            </button>
          )}
          {canBan && (
            <button type="button" ref={node.status === 'deleted' ? focusOnce : undefined} onClick={() => choose('ban')}>
              Ban {name}…
            </button>
          )}
          <button
            type="button"
            ref={node.status === 'deleted' && !canBan ? focusOnce : undefined}
            onClick={() => choose('reports')}
          >
            See reports
          </button>
          <button type="button" class="link" onClick={close}>
            Close
          </button>
        </div>
      )}
      {panel === 'remove' && (
        <form
          class="mod-panel"
          aria-label={`Remove the comment by ${name}`}
          onSubmit={(e) => {
            e.preventDefault();
            void act('remove', reason.trim() || undefined);
          }}
        >
          <label>
            Reason <span class="hint">(optional; the author reads it)</span>
            <input
              maxLength={MODERATION_REASON_MAX}
              value={reason}
              ref={focusOnce}
              onInput={(e) => setReason(e.currentTarget.value)}
            />
          </label>
          <div class="reply-tools">
            <span class="spacer" />
            <button type="button" class="link" onClick={closePanel}>
              Cancel
            </button>
            <button type="submit" class="danger" disabled={busy}>
              Remove
            </button>
          </div>
        </form>
      )}
      {panel === 'ban' && node.author && (
        <div class="mod-panel">
          <BanForm
            author={node.author}
            onDone={(text) => {
              setPanel(null);
              if (text) tell(text);
              else close();
            }}
          />
        </div>
      )}
      {panel === 'reports' && (
        <section class="mod-panel" aria-label={`Reports on the comment by ${name}`} tabIndex={-1} ref={focusOnce}>
          <CommentReports
            id={node.id}
            onDismiss={node.status === 'visible' ? () => act('approve', undefined, true) : undefined}
          />
          <button type="button" class="link" onClick={closePanel}>
            Close the reports
          </button>
        </section>
      )}
      {said && (
        <p class="mod-said" role="status" tabIndex={-1} ref={status}>
          {said}
        </p>
      )}
      {error && (
        <div class="mod-said">
          <FormError message={error} />
        </div>
      )}
    </>
  );
}
