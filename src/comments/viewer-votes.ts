/**
 * The viewer's own votes, which a thread shows on each comment (`myVote`). Comments own this port and the votes
 * domain implements it: votes sit on comments, so comments never import votes; the composition root (app.module.ts)
 * binds the two through CommentsApiModule.forRoot.
 */
export abstract class ViewerVotes {
  /** The reader's votes on these comments (absent: 0). */
  abstract findMine(userId: string, commentIds: string[]): Promise<Map<string, number>>;
}
