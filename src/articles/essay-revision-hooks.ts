import { Injectable } from '@nestjs/common';
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

type Hook = (tx: Tx, revised: EssayRevised) => Promise<void>;

/**
 * What must change with an essay's body in the revision's own transaction, done by the domains above articles (the
 * comments' quotes are anchored again): they register here at start, and the revision runs them before it records its
 * event and recounts the margins. Articles imports none of them; a failing hook rolls the revision back.
 */
@Injectable()
export class EssayRevisionHooks {
  private readonly hooks: Hook[] = [];

  register(hook: Hook): void {
    this.hooks.push(hook);
  }

  async run(tx: Tx, revised: EssayRevised): Promise<void> {
    for (const hook of this.hooks) await hook(tx, revised);
  }
}
