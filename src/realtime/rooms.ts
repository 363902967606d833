/** Socket.IO room names. */
export const articleRoom = (articleId: string) => `article:${articleId}`;
export const userRoom = (userId: string) => `user:${userId}`;
/** The connections opened with one session (token or cookie): closed together when it ends. */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
export const MODERATORS_ROOM = 'moderators';
