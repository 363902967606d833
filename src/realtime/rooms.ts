/** Socket.IO room names. */
export const articleRoom = (articleId: string) => `article:${articleId}`;
export const userRoom = (userId: string) => `user:${userId}`;
export const MODERATORS_ROOM = 'moderators';
