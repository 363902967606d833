import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type LiveFanoutMode } from '../../common/live-fanout-status.js';

export type CheckStatus = 'up' | 'down';

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';
}

export class CheckDto {
  @ApiProperty({ enum: ['up', 'down'] })
  status: CheckStatus;
}

export class LiveFanoutCheckDto extends CheckDto {
  @ApiProperty({
    enum: ['postgres', 'redis', 'none'],
    description: 'How live events reach the other processes (none: this process alone).',
  })
  mode: LiveFanoutMode;

  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'Since when it has been up (or down): a reconnection moves it.',
  })
  since: string;
}

export class ReadinessChecksDto {
  @ApiPropertyOptional({ type: CheckDto, description: 'Left out while the process stops.' })
  database?: CheckDto;

  @ApiPropertyOptional({
    type: CheckDto,
    description: 'Every migration of this build applied. Left out while the process stops.',
  })
  migrations?: CheckDto;

  @ApiProperty({ type: LiveFanoutCheckDto, description: 'Events from other processes arrive.' })
  liveFanout: LiveFanoutCheckDto;
}

export class ReadinessDto {
  @ApiProperty({ enum: ['ready', 'unavailable'] })
  status: 'ready' | 'unavailable';

  @ApiProperty({ description: 'The process is shutting down: unavailable whatever the checks say.' })
  stopping: boolean;

  @ApiProperty({ type: ReadinessChecksDto })
  checks: ReadinessChecksDto;
}
