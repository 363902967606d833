/**
 * Whether the viewer follows an essay, which an article answer carries as `following`. Articles own this port and the
 * notifications domain (where follows live, above articles) implements it; app.module.ts binds the two through
 * ArticlesApiModule.forRoot.
 */
export abstract class ViewerArticleFollows {
  abstract followsArticle(userId: string, articleId: string): Promise<boolean>;
}
