import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsIn } from 'class-validator';

export class VoteInputDto {
  @ApiProperty({ enum: [-1, 0, 1], description: '1 up, -1 down, 0 withdraws the vote' })
  @IsDefined()
  @IsIn([-1, 0, 1])
  value: -1 | 0 | 1;
}

export class VoteResultDto {
  @ApiProperty({ description: 'upvotes - downvotes' })
  score: number;

  @ApiProperty()
  upvotes: number;

  @ApiProperty()
  downvotes: number;

  @ApiProperty({ enum: [-1, 0, 1] })
  myVote: number;
}
