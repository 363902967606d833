import { type DynamicModule, Module } from '@nestjs/common';
import { type CommentListPorts, CommentLists } from '../comments/comment-lists.js';
import { CommentsModule } from '../comments/comments.module.js';
import { ViewerFollows } from '../comments/viewer-follows.js';
import { ViewerVotes } from '../comments/viewer-votes.js';
import { CommonModule } from '../common/common.module.js';
import { ProfilesController } from './profiles.controller.js';
import { ProfilesRepository } from './profiles.repository.js';
import { ProfilesService } from './profiles.service.js';

/** Public profiles. Their comments carry the viewer's votes and follows: the composition root binds the two ports. */
@Module({})
export class ProfilesModule {
  static forRoot(ports: CommentListPorts): DynamicModule {
    return {
      module: ProfilesModule,
      imports: [CommonModule, CommentsModule, ports.viewerVotes.module, ports.viewerFollows.module],
      controllers: [ProfilesController],
      providers: [
        ProfilesRepository,
        ProfilesService,
        CommentLists,
        { provide: ViewerVotes, useExisting: ports.viewerVotes.provider },
        { provide: ViewerFollows, useExisting: ports.viewerFollows.provider },
      ],
    };
  }
}
