import { ApiProperty } from '@nestjs/swagger';
import { USER_ROLES, type UserRole } from '../user.entity.js';

/** The only user shape that ever leaves the server. */
export class UserDto {
  @ApiProperty({ example: '42' })
  id: string;

  @ApiProperty({ example: 'd-w-jenkins' })
  username: string;

  @ApiProperty({ example: 'D.W. Jenkins' })
  displayName: string;

  @ApiProperty({ enum: USER_ROLES })
  role: UserRole;
}

export interface UserFields {
  id: string;
  username: string;
  displayName: string;
  role: UserRole;
}

export function toUserDto(user: UserFields): UserDto {
  return { id: user.id, username: user.username, displayName: user.displayName, role: user.role };
}
