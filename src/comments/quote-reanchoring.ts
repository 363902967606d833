import { Injectable, type OnModuleInit } from '@nestjs/common';
import { type EssayRevised, EssayRevisionHooks } from '../articles/essay-revision-hooks.js';
import { type Tx } from '../database/unit-of-work.js';
import { CommentsRepository, type QuoteAnchoringUpdate } from './comments.repository.js';
import { reanchor } from './quote-anchoring.js';

/**
 * After a revision of an essay's body, every quote of the essay (of comments in any status: a held one may be approved
 * later) is anchored again by the rule of quote-anchoring.ts, in the revision's transaction, before the margins are
 * recounted from the new anchors.
 */
@Injectable()
export class QuoteReanchoring implements OnModuleInit {
  constructor(
    private readonly hooks: EssayRevisionHooks,
    private readonly comments: CommentsRepository,
  ) {}

  onModuleInit(): void {
    this.hooks.register((tx, revised) => this.reanchorEssay(tx, revised));
  }

  async reanchorEssay(tx: Tx, { articleId, after }: EssayRevised): Promise<void> {
    const quotes = await this.comments.findArticleQuotes(tx, articleId);
    if (quotes.length === 0) return;
    const blocks = after.map((block) => ({ id: block.id, text: block.text }));
    const updates: QuoteAnchoringUpdate[] = quotes.map((quote) => {
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
    await this.comments.updateAnchors(tx, updates);
  }
}
