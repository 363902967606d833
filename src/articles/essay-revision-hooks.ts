import { Injectable } from '@nestjs/common';
import { type QuoteAnchor } from '../common/limits.js';
import { type Tx } from '../database/unit-of-work.js';
import { type RevisionBlock } from './article-revision.entity.js';

/** A new revision of an essay's body, as the domains above articles need to follow it. */
export interface EssayRevised {
  articleId: string;
  revision: number;
  /** The blocks before and after, in order; a block that kept its id is the same passage. */
  before: RevisionBlock[];
  after: RevisionBlock[];
}

/** A body an admin is writing, not saved: `after` is null when saving it would make no revision. */
export interface EssayDraft {
  articleId: string;
  after: RevisionBlock[] | null;
}

/** How many of the essay's quotes would take each anchor if the draft were saved. */
export type QuoteOutcomes = Record<QuoteAnchor, number>;

/**
 * A domain's part in a revision: `revise` in the revision's transaction; `preview` says what it would do to a draft,
 * reading only, by the same rule (the edit screen shows it before saving).
 */
export interface RevisionHook {
  revise(tx: Tx, revised: EssayRevised): Promise<void>;
  preview(tx: Tx, draft: EssayDraft): Promise<{ quotes?: QuoteOutcomes }>;
}

/**
 * What must change with an essay's body in the revision's own transaction, done by the domains above articles (the
 * comments' quotes are anchored again): they register here at start, and the revision runs them before it records its
 * event and recounts the margins. Articles imports none of them; a failing hook rolls the revision back.
 */
@Injectable()
export class EssayRevisionHooks {
  private readonly hooks: RevisionHook[] = [];

  register(hook: RevisionHook): void {
    this.hooks.push(hook);
  }

  async run(tx: Tx, revised: EssayRevised): Promise<void> {
    for (const hook of this.hooks) await hook.revise(tx, revised);
  }

  /** What the hooks would do to a draft: no quotes counted unless a hook counts them. */
  async preview(tx: Tx, draft: EssayDraft): Promise<{ quotes: QuoteOutcomes }> {
    let quotes: QuoteOutcomes = { exact: 0, moved: 0, changed: 0, orphaned: 0 };
    for (const hook of this.hooks) quotes = (await hook.preview(tx, draft)).quotes ?? quotes;
    return { quotes };
  }
}
