import { ArticleBlockEntity } from '../articles/article-block.entity.js';
import { ArticleEntity } from '../articles/article.entity.js';
import { CommentQuoteEntity } from '../comments/comment-quote.entity.js';
import { CommentEntity } from '../comments/comment.entity.js';
import { AppSecretEntity } from '../common/app-secret.entity.js';
import { UserEntity } from '../users/user.entity.js';

/** Every entity, listed once for the app, the CLI and the drift check. */
export const ENTITIES = [UserEntity, ArticleEntity, ArticleBlockEntity, CommentEntity, CommentQuoteEntity, AppSecretEntity];
