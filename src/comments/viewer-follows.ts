/**
 * The comments the viewer follows, which every Comment answers as `following`. Comments own this port and the
 * notifications domain (where follows live, above comments) implements it; app.module.ts binds the two through
 * CommentsApiModule.forRoot, as for ViewerVotes.
 */
export abstract class ViewerFollows {
  /** Of these comments, the ones this user follows (a follow of the comment itself, not of its essay). */
  abstract findFollowedComments(userId: string, commentIds: string[]): Promise<Set<string>>;
}
