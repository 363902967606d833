import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';
import { AccountsAndLifecycle1764100000000 } from './1764100000000-accounts-and-lifecycle.js';
import { LiveEvents1764200000000 } from './1764200000000-live-events.js';
import { Moderation1764300000000 } from './1764300000000-moderation.js';
import { BanLookups1764400000000 } from './1764400000000-ban-lookups.js';
import { ArticleCreateLog1764410000000 } from './1764410000000-article-create-log.js';
import { SharedRateLimits1764500000000 } from './1764500000000-shared-rate-limits.js';
import { RevisionVisibility1764600000000 } from './1764600000000-revision-visibility.js';
import { CommentPublished1764650000000 } from './1764650000000-comment-published.js';
import { AccountEmail1764720000000 } from './1764720000000-account-email.js';
import { FollowsAndNotifications1764730000000 } from './1764730000000-follows-and-notifications.js';
import { NotificationMail1764740000000 } from './1764740000000-notification-mail.js';
import { NotificationFieldsFromComment1764745000000 } from './1764745000000-notification-fields-from-comment.js';
import { JobWorkers1764746000000 } from './1764746000000-job-workers.js';
import { RemovalReasons1764750000000 } from './1764750000000-removal-reasons.js';
import { AccountTimeZone1764751000000 } from './1764751000000-account-time-zone.js';
import { EssayRevisions1764760000000 } from './1764760000000-essay-revisions.js';
import { Stances1764761000000 } from './1764761000000-stances.js';
import { QuoteRevision1764763000000 } from './1764763000000-quote-revision.js';
import { SearchAndProfiles1764765000000 } from './1764765000000-search-and-profiles.js';
import { FeaturedComments1764766000000 } from './1764766000000-featured-comments.js';
import { CanonicalUrlIndex1764766100000 } from './1764766100000-canonical-url-index.js';
import { AccountDeletion1764767000000 } from './1764767000000-account-deletion.js';
import { ModerationHistoryIndexes1764773000000 } from './1764773000000-moderation-history-indexes.js';
import { SearchSpeed1764774000000 } from './1764774000000-search-speed.js';
import { AuthorNamesVersion1764776000000 } from './1764776000000-author-names-version.js';

/** Every migration in order. The app, the CLI and the tests run this list; nothing is loaded by file glob. */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  AccountsAndLifecycle1764100000000,
  LiveEvents1764200000000,
  Moderation1764300000000,
  BanLookups1764400000000,
  ArticleCreateLog1764410000000,
  SharedRateLimits1764500000000,
  RevisionVisibility1764600000000,
  CommentPublished1764650000000,
  AccountEmail1764720000000,
  FollowsAndNotifications1764730000000,
  NotificationMail1764740000000,
  NotificationFieldsFromComment1764745000000,
  JobWorkers1764746000000,
  RemovalReasons1764750000000,
  AccountTimeZone1764751000000,
  EssayRevisions1764760000000,
  Stances1764761000000,
  QuoteRevision1764763000000,
  SearchAndProfiles1764765000000,
  FeaturedComments1764766000000,
  CanonicalUrlIndex1764766100000,
  AccountDeletion1764767000000,
  ModerationHistoryIndexes1764773000000,
  SearchSpeed1764774000000,
  AuthorNamesVersion1764776000000,
];
