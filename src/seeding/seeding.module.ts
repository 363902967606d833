import { Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module.js';
import { CommentsModule } from '../comments/comments.module.js';
import { UsersModule } from '../users/users.module.js';
import { SeedImporter } from './seed-importer.js';
import { SeedingRepository } from './seeding.repository.js';

/**
 * Seeding: turns the seed documents (seeds/documents) into essays, their readers and their thread, through the
 * domains' repositories, so it sits above them. The start (SEED_ON_START), `npm run seed` and the large-thread
 * generator (seeds/) use it; nothing in the domains imports it.
 */
@Module({
  imports: [ArticlesModule, CommentsModule, UsersModule],
  providers: [SeedImporter, SeedingRepository],
  exports: [SeedImporter, SeedingRepository],
})
export class SeedingModule {}
