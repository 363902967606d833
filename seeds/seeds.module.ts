import { Module } from '@nestjs/common';
import { ArticlesModule } from '../src/articles/articles.module.js';
import { CommentsModule } from '../src/comments/comments.module.js';
import { UsersModule } from '../src/users/users.module.js';
import { SeedImporter } from './seed-importer.js';

@Module({
  imports: [ArticlesModule, CommentsModule, UsersModule],
  providers: [SeedImporter],
  exports: [SeedImporter],
})
export class SeedsModule {}
