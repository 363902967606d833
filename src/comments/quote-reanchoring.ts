import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  type EssayDraft,
  type EssayRevised,
  EssayRevisionHooks,
  type QuoteOutcomes,
} from '../articles/essay-revision-hooks.js';
import { type RevisionBlock } from '../articles/article-revision.entity.js';
import { type Tx } from '../database/unit-of-work.js';
import { type ArticleQuoteRow, CommentsRepository, type QuoteAnchoringUpdate } from './comments.repository.js';
import { reanchor } from './quote-anchoring.js';

/**
 * The quotes a draft's impact counts: those of comments a reader sees or may yet see (a held one may be approved).
 * A removed or deleted comment's quote is re-anchored all the same, but it is no one's concern on the edit screen.
 */
const PREVIEWED_STATUSES = ['visible', 'pending'] as const;

/**
 * After a revision of an essay's body, every quote of the essay (of comments in any status: a held one may be approved
 * later) is anchored again by the rule of quote-anchoring.ts, in the revision's transaction, before the margins are
 * recounted from the new anchors. The edit screen's preview runs the same rule on a draft and only counts the outcomes.
 */
@Injectable()
export class QuoteReanchoring implements OnModuleInit {
  constructor(
    private readonly hooks: EssayRevisionHooks,
    private readonly comments: CommentsRepository,
  ) {}

  onModuleInit(): void {
    this.hooks.register({
      revise: (tx, revised) => this.reanchorEssay(tx, revised),
      preview: async (tx, draft) => ({ quotes: await this.previewEssay(tx, draft) }),
    });
  }

  async reanchorEssay(tx: Tx, { articleId, after }: EssayRevised): Promise<void> {
    const quotes = await this.comments.findArticleQuotes(tx, articleId);
    if (quotes.length === 0) return;
    await this.comments.updateAnchors(tx, anchorsIn(quotes, after));
  }

  /** The anchors the quotes of visible and pending comments would take (a draft that is no revision: the ones they have). */
  async previewEssay(tx: Tx, { articleId, after }: EssayDraft): Promise<QuoteOutcomes> {
    const quotes = await this.comments.findArticleQuotes(tx, articleId, PREVIEWED_STATUSES);
    const outcomes: QuoteOutcomes = { exact: 0, moved: 0, changed: 0, orphaned: 0 };
    const anchors = after ? anchorsIn(quotes, after).map((update) => update.anchor) : quotes.map((q) => q.anchor);
    for (const anchor of anchors) outcomes[anchor]++;
    return outcomes;
  }
}

/** Where each quote stands in the blocks of a revision: the one rule of a revision and of its preview. */
function anchorsIn(quotes: ArticleQuoteRow[], after: RevisionBlock[]): QuoteAnchoringUpdate[] {
  const blocks = after.map((block) => ({ id: block.id, text: block.text }));
  return quotes.map((quote) => {
    const anchoring = reanchor(
      {
        blockId: quote.blockId,
        text: quote.text,
        prefix: quote.prefix,
        suffix: quote.suffix,
        start: quote.startOffset,
      },
      blocks,
    );
    return {
      id: quote.id,
      blockId: anchoring.blockId,
      startOffset: anchoring.start,
      endOffset: anchoring.end,
      prefix: anchoring.prefix,
      suffix: anchoring.suffix,
      anchor: anchoring.anchor,
      currentText: anchoring.current,
      verified: anchoring.verified,
    };
  });
}
